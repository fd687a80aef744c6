import { Alert, Anchor, Group, Loader, Stack, Tabs, Text, Title } from '@mantine/core';
import { normaliseCaseCode } from '@haven/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../../api/client';
import { useDocumentTitle } from '../../system/hooks/useDocumentTitle';
import { RequestPurgeButton } from '../../retention/components/RequestPurgeButton';
import { ReferralsTab } from '../../referrals/components/ReferralsTab';
import { MessagesTab } from '../../triage/components/MessagesTab';
import { caseDetailKey, useCaseDetail, type LoadedCase } from '../hooks/useCaseDetail';
import { useCaseSession, type CaseSession } from '../hooks/useCaseSession';
import { rotateCaseKey } from '../utils/rotate-case';
import { AccessTab } from './AccessTab';
import { PriorityBadge, StatusBadge } from './badges';
import { ProfileTab } from './ProfileTab';
import { StatusControl } from './StatusControl';
import { TimelineTab } from './TimelineTab';

/** What a tab needs to read and change the case. */
export interface CaseTabProps {
  ctx: CaseSession;
  loaded: LoadedCase;
  /** Reads the case again (after a write, or to see someone else's change). */
  reload: () => Promise<void>;
}

/** One case: header with status, then profile, timeline, referrals and access tabs. */
export function CasePage() {
  const { t } = useTranslation();
  const params = useParams();
  const code = normaliseCaseCode(params.code ?? '') ?? '';
  const ctx = useCaseSession();
  const queryClient = useQueryClient();
  const query = useCaseDetail(ctx, code);
  const [tab, setTab] = useState<string | null>('profile');
  const [rotating, setRotating] = useState(false);
  const [rotationFailed, setRotationFailed] = useState(false);
  useDocumentTitle(code || t('cases.list.title'));
  const reload = async () => {
    await queryClient.invalidateQueries({ queryKey: caseDetailKey(code) });
    await queryClient.invalidateQueries({ queryKey: ['cases', 'list'] });
  };

  // A grant was removed (here or elsewhere) and the key not yet rotated: rotate it now, so that
  // nothing new is written under a key the removed person may have kept.
  const attempted = useRef<string>('');
  const data = query.data;
  useEffect(() => {
    const directory = ctx?.directory;
    const key = data?.opened.key;
    if (!ctx || !directory || !data?.detail.rotationDue || !key) return;
    const marker = `${data.detail.id}@${data.detail.keyVersion}`;
    if (attempted.current === marker) return;
    attempted.current = marker;
    setRotating(true);
    void (async () => {
      try {
        await rotateCaseKey(ctx.worker, ctx.user, directory, key, data.detail.code, data.detail);
        setRotationFailed(false);
      } catch {
        setRotationFailed(true);
      } finally {
        setRotating(false);
        await reload();
      }
    })();
    // reload is stable enough for this purpose (it closes over code and the query client).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ctx, data]);

  if (!code) return <NotReachable />;
  if (query.isError) {
    return query.error instanceof ApiError && query.error.status === 404 ? (
      <NotReachable />
    ) : (
      <Alert color="red" variant="light" role="alert">
        {t('cases.errors.load')}
      </Alert>
    );
  }
  if (!ctx || !data) {
    return (
      <Group>
        <Loader size="sm" />
        <Text>{t('cases.loading')}</Text>
      </Group>
    );
  }
  const { detail, opened } = data;
  const nameOf = (id: string | null) =>
    id === null
      ? t('cases.unassigned')
      : (ctx.directory?.get(id)?.username ?? t('cases.unknownPerson'));
  const alias = opened.profile.ok ? opened.profile.value.alias : null;

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/cases" size="sm">
        {t('cases.backToList')}
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={1}>
            <Text span ff="monospace" inherit data-testid="case-code">
              {detail.code}
            </Text>
            {alias && ` · ${alias}`}
          </Title>
          <Group gap="xs">
            <StatusBadge status={detail.status} />
            <PriorityBadge priority={detail.priority} />
            <Text size="sm" c="dimmed" data-testid="case-assignee">
              {t('cases.header.assignee', { name: nameOf(detail.assigneeId) })}
            </Text>
            <Text size="sm" c="dimmed">
              {t('cases.header.supervisor', { name: nameOf(detail.supervisorId) })}
            </Text>
          </Group>
        </Stack>
        <Stack gap="xs" align="flex-end">
          <StatusControl ctx={ctx} loaded={data} reload={reload} />
          <RequestPurgeButton code={detail.code} />
        </Stack>
      </Group>
      {!opened.key && (
        <Alert color="red" variant="light" role="alert">
          {t('cases.errors.grant')}
        </Alert>
      )}
      {detail.rotationDue && (
        <Alert color="yellow" variant="light" role="status">
          {rotating
            ? t('cases.rotation.running')
            : rotationFailed
              ? t('cases.rotation.failed')
              : t('cases.rotation.due')}
        </Alert>
      )}
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="profile">{t('cases.tabs.profile')}</Tabs.Tab>
          <Tabs.Tab value="timeline">
            {t('cases.tabs.timeline', { count: detail.entries.length })}
          </Tabs.Tab>
          <Tabs.Tab value="messages">{t('triage.messages.tab')}</Tabs.Tab>
          <Tabs.Tab value="referrals">{t('cases.tabs.referrals')}</Tabs.Tab>
          <Tabs.Tab value="access">{t('cases.tabs.access')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="profile" pt="md">
          <ProfileTab ctx={ctx} loaded={data} reload={reload} />
        </Tabs.Panel>
        <Tabs.Panel value="timeline" pt="md">
          <TimelineTab ctx={ctx} loaded={data} reload={reload} />
        </Tabs.Panel>
        <Tabs.Panel value="messages" pt="md">
          <MessagesTab ctx={ctx} loaded={data} reload={reload} />
        </Tabs.Panel>
        <Tabs.Panel value="referrals" pt="md">
          <ReferralsTab ctx={ctx} loaded={data} reload={reload} />
        </Tabs.Panel>
        <Tabs.Panel value="access" pt="md">
          <AccessTab ctx={ctx} loaded={data} reload={reload} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

/** The same page for a case that does not exist and one the caller may not open. */
function NotReachable() {
  const { t } = useTranslation();
  return (
    <Stack gap="sm">
      <Title order={1}>{t('cases.notFound.title')}</Title>
      <Text>{t('cases.notFound.body')}</Text>
      <Anchor component={Link} to="/cases">
        {t('cases.backToList')}
      </Anchor>
    </Stack>
  );
}
