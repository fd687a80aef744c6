import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import {
  REFERRAL_SERVICES,
  REFERRAL_STATUSES,
  routes,
  type ReferralBoardItem,
  type ReferralBoardQuery,
  type ReferralService,
} from '@haven/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../../api/client';
import { useCaseSession } from '../../cases/hooks/useCaseSession';
import { partnersQuery } from '../../partners/api/partners-api';
import { useDocumentTitle } from '../../system/hooks/useDocumentTitle';
import { boardKey, referralProblemOf } from '../api/referrals-api';
import { staffNote } from '../crypto/referral-crypto';
import { openGrants } from '../../cases/crypto/case-crypto';
import { boardActions, type StaffAction } from '../utils/actions';
import { AssignDialog } from './AssignDialog';
import { DueDay, ReferralStatusBadge, UrgencyBadge } from './badges';
import { NoteDialog } from './NoteDialog';

type Action = StaffAction;

/**
 * The coordinator's referral board: counts by status at a glance, filters (service, partner,
 * overdue), referrals grouped by status; approve-and-assign, reject, revoke, cancel.
 * Metadata only: content needs the coordinator's own grant on the case.
 */
export function ReferralBoard() {
  const { t } = useTranslation();
  const title = t('referrals.board.title');
  useDocumentTitle(title);
  const ctx = useCaseSession();
  const queryClient = useQueryClient();
  const [service, setService] = useState<ReferralService | null>(null);
  const [partner, setPartner] = useState<string | null>(null);
  const [overdue, setOverdue] = useState(false);
  const [assigning, setAssigning] = useState<ReferralBoardItem | null>(null);
  const [acting, setActing] = useState<{ item: ReferralBoardItem; action: Action } | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const filters: ReferralBoardQuery = {
    ...(service ? { service } : {}),
    ...(partner ? { partner } : {}),
    ...(overdue ? { overdue: 'true' as const } : {}),
  };
  const board = useQuery({
    queryKey: boardKey(filters),
    staleTime: 0,
    queryFn: ({ signal }) => api.request(routes.referralBoard, { query: filters, signal }),
  });
  const partners = useQuery(partnersQuery);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['referrals'] });
  const nameOf = (id: string) => ctx?.directory?.get(id)?.username ?? t('cases.unknownPerson');

  const act = async (item: ReferralBoardItem, action: Action, text: string) => {
    if (!ctx) return;
    setBusy(true);
    setMessage(null);
    try {
      let note: { id: string; envelope: string } | undefined;
      if (text) {
        // A staff note is a case record: it needs the coordinator's key to the case.
        const detail = await api.request(routes.getCase, { params: { code: item.caseCode } });
        const directory = ctx.directory;
        const [key] = directory
          ? await openGrants(ctx.worker, ctx.user, directory, [
              { caseId: detail.id, version: detail.keyVersion, grant: detail.myGrant },
            ])
          : [null];
        if (!key) throw new Error('no case key');
        note = await staffNote(ctx.worker, key, text);
      }
      const params = { referralId: item.id };
      const expectedVersion = item.version;
      if (action === 'reject') {
        if (!note) return;
        await api.request(routes.rejectReferral, { params, body: { expectedVersion, note } });
      } else if (action === 'revoke') {
        await api.request(routes.revokeReferral, {
          params,
          body: { expectedVersion, ...(note ? { note } : {}) },
        });
      } else {
        await api.request(routes.cancelReferral, {
          params,
          body: { expectedVersion, ...(note ? { note } : {}) },
        });
      }
      setActing(null);
      setMessage({ ok: true, text: t(`referrals.board.done.${action}`, { code: item.caseCode }) });
    } catch (error) {
      setMessage({ ok: false, text: t(`referrals.errors.${referralProblemOf(error)}`) });
    } finally {
      setBusy(false);
      await refresh();
    }
  };

  const data = board.data;
  const counts = new Map((data?.counts ?? []).map((c) => [c.status, c.count]));
  const groups = REFERRAL_STATUSES.map((status) => ({
    status,
    items: (data?.referrals ?? []).filter((r) => r.status === status),
  })).filter((g) => g.items.length > 0);

  return (
    <Stack gap="lg">
      <Title order={1}>{title}</Title>
      <Group gap="xs" data-testid="board-counts">
        {REFERRAL_STATUSES.map((status) => (
          <Badge key={status} variant="light" size="lg" data-count-status={status}>
            {t(`referrals.status.${status}`)}: {counts.get(status) ?? 0}
          </Badge>
        ))}
        <Badge color="red" variant="filled" size="lg" data-count-status="overdue">
          {t('referrals.board.overdueCount', { count: data?.overdueCount ?? 0 })}
        </Badge>
      </Group>
      <Group align="end">
        <Select
          label={t('referrals.serviceLabel')}
          placeholder={t('referrals.board.any')}
          clearable
          data={REFERRAL_SERVICES.map((s) => ({ value: s, label: t(`referrals.service.${s}`) }))}
          value={service}
          onChange={(value) => setService(value as ReferralService | null)}
        />
        <Select
          label={t('referrals.board.partner')}
          placeholder={t('referrals.board.any')}
          clearable
          searchable
          data={(partners.data?.partners ?? []).map((p) => ({ value: p.id, label: p.name }))}
          value={partner}
          onChange={setPartner}
        />
        <Checkbox
          label={t('referrals.board.onlyOverdue')}
          checked={overdue}
          onChange={(e) => setOverdue(e.currentTarget.checked)}
          mb={8}
        />
      </Group>
      {message && (
        <Alert
          color={message.ok ? 'green' : 'red'}
          variant="light"
          role={message.ok ? 'status' : 'alert'}
          withCloseButton
          onClose={() => setMessage(null)}
        >
          {message.text}
        </Alert>
      )}
      {board.isError && (
        <Alert color="red" variant="light" role="alert">
          {t('referrals.errors.load')}
        </Alert>
      )}
      {data && groups.length === 0 && <Text c="dimmed">{t('referrals.board.none')}</Text>}
      {groups.map((group) => (
        <Stack key={group.status} gap="xs" data-board-group={group.status}>
          <Title order={2} size="h4">
            {t(`referrals.status.${group.status}`)} ({group.items.length})
          </Title>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('referrals.board.case')}</Table.Th>
                <Table.Th>{t('referrals.serviceLabel')}</Table.Th>
                <Table.Th>{t('referrals.urgencyLabel')}</Table.Th>
                <Table.Th>{t('referrals.board.assignee')}</Table.Th>
                <Table.Th>{t('referrals.dueLabel')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {group.items.map((item) => {
                const allowed = boardActions(item.status);
                return (
                  <Table.Tr
                    key={item.id}
                    data-referral-id={item.id}
                    data-case-code={item.caseCode}
                    bg={item.overdue ? 'var(--mantine-color-red-light)' : undefined}
                  >
                    <Table.Td>
                      {item.canReadCase ? (
                        <Anchor component={Link} to={`/cases/${item.caseCode}`} ff="monospace">
                          {item.caseCode}
                        </Anchor>
                      ) : (
                        <Text ff="monospace">{item.caseCode}</Text>
                      )}
                    </Table.Td>
                    <Table.Td>{t(`referrals.service.${item.service}`)}</Table.Td>
                    <Table.Td>
                      <UrgencyBadge urgency={item.urgency} />
                    </Table.Td>
                    <Table.Td>
                      {item.partnerName ??
                        (item.assigneeUserId ? nameOf(item.assigneeUserId) : '—')}
                    </Table.Td>
                    <Table.Td>
                      <DueDay referral={item} today={data?.today ?? ''} />
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <ReferralStatusBadge status={item.status} />
                        {allowed.assign && (
                          <Button
                            size="xs"
                            disabled={!item.canReadCase || !ctx}
                            title={item.canReadCase ? undefined : t('referrals.board.needsGrant')}
                            onClick={() => setAssigning(item)}
                          >
                            {t('referrals.actions.assign')}
                          </Button>
                        )}
                        {allowed.staff.map((action) => (
                          <Button
                            key={action}
                            size="xs"
                            variant="light"
                            color={action === 'reject' ? 'orange' : 'red'}
                            disabled={action === 'reject' && !item.canReadCase}
                            onClick={() => setActing({ item, action })}
                          >
                            {t(`referrals.actions.${action}`)}
                          </Button>
                        ))}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Stack>
      ))}
      {assigning && ctx && (
        <AssignDialog
          item={assigning}
          ctx={ctx}
          onClose={() => setAssigning(null)}
          onDone={() => {
            setMessage({
              ok: true,
              text: t('referrals.board.done.assign', { code: assigning.caseCode }),
            });
            setAssigning(null);
            void refresh();
          }}
        />
      )}
      {acting && (
        <NoteDialog
          title={t(`referrals.actions.${acting.action}Title`)}
          label={t(`referrals.actions.${acting.action}Note`)}
          confirm={t(`referrals.actions.${acting.action}`)}
          required={acting.action === 'reject'}
          danger
          busy={busy}
          onCancel={() => setActing(null)}
          onConfirm={(text) =>
            void act(acting.item, acting.action, acting.item.canReadCase ? text : '')
          }
        />
      )}
    </Stack>
  );
}
