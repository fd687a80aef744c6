import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import {
  CASE_PRIORITIES,
  CASE_STATUSES,
  CaseSummary,
  normaliseCaseCode,
  routes,
  type CaseListItem,
  type CasePriority,
  type CaseStatus,
} from '@haven/contracts';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../../../api/client';
import { useDocumentTitle } from '../../system/hooks/useDocumentTitle';
import { decryptAll, openGrants, summaryRef, type Opened } from '../crypto/case-crypto';
import { useCaseSession } from '../hooks/useCaseSession';
import { useIndexKey } from '../hooks/useIndexKey';
import { PriorityBadge, StatusBadge } from './badges';

interface ListRow extends Omit<CaseListItem, 'summary'> {
  /** null: no grant (metadata only); not ok: could not be opened. */
  summary: Opened<CaseSummary> | null;
}

/** "My cases" for everyone, "All cases" for coordinators; newest change first, 50 at a time. */
export function CaseListPage() {
  const { t } = useTranslation();
  const ctx = useCaseSession();
  useIndexKey(ctx); // keeps the blind-index key flowing to colleagues (coordinators)
  const navigate = useNavigate();
  const coordinator = ctx?.me.role === 'coordinator';
  const [scope, setScope] = useState<'mine' | 'all'>('mine');
  const [status, setStatus] = useState<CaseStatus | null>(null);
  const [priority, setPriority] = useState<CasePriority | null>(null);
  const [assignee, setAssignee] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState(false);
  const title = t('cases.list.title');
  useDocumentTitle(title);
  const directory = ctx?.directory;

  const list = useInfiniteQuery({
    queryKey: ['cases', 'list', ctx?.user ?? null, scope, status, priority, assignee],
    enabled: ctx !== null && directory !== undefined,
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: { nextCursor: string | null }) => last.nextCursor ?? undefined,
    gcTime: 60_000,
    queryFn: async ({ pageParam, signal }) => {
      if (!ctx || !directory) return { rows: [] as ListRow[], nextCursor: null };
      const page = await api.request(routes.listCases, {
        query: {
          scope,
          status: status ?? undefined,
          priority: priority ?? undefined,
          assignee: assignee ?? undefined,
          cursor: pageParam,
          limit: 50,
        },
        signal,
      });
      const withGrant = page.items.filter((i) => i.grant !== null && i.summary !== null);
      const keys = await openGrants(
        ctx.worker,
        ctx.user,
        directory,
        withGrant.map((i) => ({ caseId: i.id, version: i.keyVersion, grant: i.grant ?? '' })),
      );
      const summaries = await decryptAll(
        ctx.worker,
        withGrant.map((i, n) => ({
          key: keys[n] ?? null,
          ref: summaryRef,
          envelope: i.summary ?? '',
          schema: CaseSummary,
        })),
      );
      const byId = new Map(withGrant.map((i, n) => [i.id, summaries[n]]));
      const rows: ListRow[] = page.items.map((i) => ({ ...i, summary: byId.get(i.id) ?? null }));
      return { rows, nextCursor: page.nextCursor };
    },
  });

  const findCase = (event: FormEvent) => {
    event.preventDefault();
    const normalised = normaliseCaseCode(code);
    if (!normalised) {
      setCodeError(true);
      return;
    }
    setCodeError(false);
    void navigate(`/cases/${normalised}`);
  };

  const nameOf = (id: string | null) =>
    id === null
      ? t('cases.unassigned')
      : (directory?.get(id)?.username ?? t('cases.unknownPerson'));
  const rows = list.data?.pages.flatMap((p) => p.rows) ?? [];
  const caseworkers = [...(directory?.values() ?? [])]
    .filter((c) => c.role === 'caseworker')
    .map((c) => ({ value: c.id, label: c.username }));

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Title order={1}>{title}</Title>
        <Button component={Link} to="/cases/new">
          {t('cases.list.newCase')}
        </Button>
      </Group>
      <form onSubmit={findCase} aria-label={t('cases.find.label')}>
        <Group align="flex-end" gap="xs">
          <TextInput
            label={t('cases.find.label')}
            placeholder="K7M3-QX9P"
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
            error={codeError ? t('cases.find.invalid') : undefined}
            autoComplete="off"
            spellCheck={false}
          />
          <Button type="submit" variant="light">
            {t('cases.find.open')}
          </Button>
        </Group>
      </form>
      <Group gap="sm" align="flex-end" wrap="wrap">
        {coordinator && (
          <SegmentedControl
            aria-label={t('cases.list.scope')}
            value={scope}
            onChange={(value) => setScope(value as 'mine' | 'all')}
            data={[
              { value: 'mine', label: t('cases.list.mine') },
              { value: 'all', label: t('cases.list.all') },
            ]}
          />
        )}
        <Select
          w={170}
          label={t('cases.list.status')}
          clearable
          placeholder={t('cases.list.any')}
          data={CASE_STATUSES.map((s) => ({ value: s, label: t(`cases.status.${s}`) }))}
          value={status}
          onChange={(value) => setStatus(value as CaseStatus | null)}
        />
        <Select
          w={170}
          label={t('cases.list.priority')}
          clearable
          placeholder={t('cases.list.any')}
          data={CASE_PRIORITIES.map((p) => ({ value: p, label: t(`cases.priority.${p}`) }))}
          value={priority}
          onChange={(value) => setPriority(value as CasePriority | null)}
        />
        <Select
          w={200}
          label={t('cases.list.assignee')}
          clearable
          searchable
          placeholder={t('cases.list.any')}
          data={caseworkers}
          value={assignee}
          onChange={setAssignee}
        />
      </Group>
      {ctx?.directoryError && (
        <Alert color="red" variant="light" role="alert">
          {t('cases.errors.directory')}
        </Alert>
      )}
      {list.isError && (
        <Alert color="red" variant="light" role="alert">
          {t('cases.errors.load')}
        </Alert>
      )}
      {list.isPending ? (
        <Group>
          <Loader size="sm" />
          <Text>{t('cases.loading')}</Text>
        </Group>
      ) : rows.length === 0 ? (
        <Text c="dimmed">{t('cases.list.empty')}</Text>
      ) : (
        <Table striped highlightOnHover data-testid="case-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('cases.list.code')}</Table.Th>
              <Table.Th>{t('cases.list.person')}</Table.Th>
              <Table.Th>{t('cases.list.status')}</Table.Th>
              <Table.Th>{t('cases.list.priority')}</Table.Th>
              <Table.Th>{t('cases.list.assignee')}</Table.Th>
              <Table.Th>{t('cases.list.updated')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.id} data-code={row.code}>
                <Table.Td>
                  {row.grant ? (
                    <Link to={`/cases/${row.code}`}>{row.code}</Link>
                  ) : (
                    <Text span ff="monospace">
                      {row.code}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {row.summary === null ? (
                    <Badge variant="outline" color="gray">
                      {t('cases.list.metadataOnly')}
                    </Badge>
                  ) : row.summary.ok ? (
                    <Stack gap={0}>
                      <Text fw={500}>{row.summary.value.alias}</Text>
                      {row.summary.value.headline && (
                        <Text size="sm" c="dimmed" lineClamp={1}>
                          {row.summary.value.headline}
                        </Text>
                      )}
                    </Stack>
                  ) : (
                    <Text c="red">{t('cases.unreadable')}</Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={row.status} />
                </Table.Td>
                <Table.Td>
                  <PriorityBadge priority={row.priority} />
                </Table.Td>
                <Table.Td>{nameOf(row.assigneeId)}</Table.Td>
                <Table.Td>{row.updatedOn}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {list.hasNextPage && (
        <Group>
          <Button
            variant="default"
            loading={list.isFetchingNextPage}
            onClick={() => void list.fetchNextPage()}
          >
            {t('cases.list.loadMore')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
