import { Alert, Button, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { routes } from '@haven/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { CaseTabProps } from '../../cases/components/CasePage';
import {
  caseReferralsKey,
  fetchCaseReferrals,
  referralProblemOf,
  type ReferralProblem,
} from '../api/referrals-api';
import { openCaseReferrals, staffNote, type OpenedReferral } from '../crypto/referral-crypto';
import { ConsentControl } from './ConsentControl';
import { NoteDialog } from './NoteDialog';
import { ReferralCardHeading, SharedFields } from './ReferralCardParts';
import { PacketView } from './PacketView';
import { ProposeForm } from './ProposeForm';
import { TransitionTimeline } from './TransitionTimeline';

/**
 * The case's referrals: consent to share, the propose form, and every referral with its status,
 * due day, assignee, decrypted reason, the packet as shared, and its transitions with notes.
 * Read when the tab opens (each read of a case's referrals is audited), not on focus.
 */
export function ReferralsTab({ ctx, loaded, reload }: CaseTabProps) {
  const { t } = useTranslation();
  const { detail, opened } = loaded;
  const queryClient = useQueryClient();
  const key = opened.key;
  const query = useQuery({
    queryKey: [...caseReferralsKey(detail.code), key],
    refetchOnWindowFocus: false,
    staleTime: 30_000,
    gcTime: 30_000,
    queryFn: async ({ signal }) => {
      const response = await fetchCaseReferrals(detail.code, signal);
      return { response, opened: await openCaseReferrals(ctx.worker, key, response.referrals) };
    },
  });
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: caseReferralsKey(detail.code) });
  };
  const nameOf = (id: string) => ctx.directory?.get(id)?.username ?? t('cases.unknownPerson');
  const profile = opened.profile.ok ? opened.profile.value : null;

  if (query.isError) {
    return (
      <Alert color="red" variant="light" role="alert">
        {t('referrals.errors.load')}
      </Alert>
    );
  }
  if (!query.data) {
    return (
      <Group>
        <Loader size="sm" />
        <Text>{t('referrals.loading')}</Text>
      </Group>
    );
  }
  const { response, opened: referrals } = query.data;

  return (
    <Stack gap="lg">
      <ConsentControl
        code={detail.code}
        shareConsentOn={response.shareConsentOn}
        profileSays={profile ? profile.consent.shareWithPartners : null}
        onChanged={async () => {
          await refresh();
          await reload();
        }}
      />
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('referrals.list.title', { count: referrals.length })}
        </Title>
        {referrals.length === 0 && <Text c="dimmed">{t('referrals.list.none')}</Text>}
        {referrals.map((item) => (
          <ReferralCard
            key={item.referral.id}
            item={item}
            today={response.today}
            ctx={ctx}
            caseKey={key}
            nameOf={nameOf}
            onChanged={refresh}
          />
        ))}
      </Stack>
      {key && !detail.rotationDue && (
        <ProposeForm
          code={detail.code}
          worker={ctx.worker}
          caseKey={key}
          profile={profile}
          onProposed={refresh}
        />
      )}
    </Stack>
  );
}

function ReferralCard({
  item,
  today,
  ctx,
  caseKey,
  nameOf,
  onChanged,
}: {
  item: OpenedReferral;
  today: string;
  ctx: CaseTabProps['ctx'];
  caseKey: CaseTabProps['loaded']['opened']['key'];
  nameOf: (id: string) => string;
  onChanged: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const { referral } = item;
  const [cancelling, setCancelling] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ReferralProblem | null>(null);
  const mine = referral.proposedBy === ctx.me.id;
  const canCancel = referral.status === 'proposed' && (mine || ctx.me.role === 'coordinator');
  const assignee = referral.partnerName
    ? referral.partnerName
    : referral.assigneeUserId
      ? nameOf(referral.assigneeUserId)
      : null;
  const latest = referral.packets.at(-1);

  const cancel = async (text: string) => {
    setBusy(true);
    setProblem(null);
    try {
      await api.request(routes.cancelReferral, {
        params: { referralId: referral.id },
        body: {
          expectedVersion: referral.version,
          ...(text && caseKey ? { note: await staffNote(ctx.worker, caseKey, text) } : {}),
        },
      });
      setCancelling(false);
    } catch (error) {
      setProblem(referralProblemOf(error));
    } finally {
      setBusy(false);
      await onChanged();
    }
  };

  return (
    <Card
      withBorder
      data-referral-id={referral.id}
      data-testid="case-referral"
      style={referral.overdue ? { borderColor: 'var(--mantine-color-red-6)' } : undefined}
    >
      <Stack gap="xs">
        <ReferralCardHeading
          referral={referral}
          today={today}
          problem={problem}
          onDismissProblem={() => setProblem(null)}
        />
        <Text size="sm" c="dimmed">
          {t('referrals.proposedBy', {
            name: nameOf(referral.proposedBy),
            day: referral.createdOn,
          })}
          {assignee && ` · ${t('referrals.assignedTo', { name: assignee })}`}
        </Text>
        <SharedFields fields={referral.fields} />
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="referral-reason">
          {item.reason.ok ? item.reason.value.reason : t('cases.unreadable')}
        </Text>
        {latest && (
          <Text size="xs" c="dimmed">
            {t(`referrals.basis.${latest.consentBasis}`)}
            {item.overrideReason?.ok ? `: ${item.overrideReason.value.reason}` : ''}
            {' · '}
            {latest.live
              ? t('referrals.packet.liveUntil', { day: latest.expiresOn })
              : t('referrals.packet.closed')}
          </Text>
        )}
        {item.packet && (
          <details>
            <summary>
              <Text span size="sm">
                {t('referrals.packet.asShared')}
              </Text>
            </summary>
            <PacketView packet={item.packet} />
          </details>
        )}
        <TransitionTimeline transitions={item.transitions} nameOf={nameOf} />
        {canCancel && (
          <Group>
            <Button size="xs" variant="light" color="red" onClick={() => setCancelling(true)}>
              {t('referrals.actions.cancel')}
            </Button>
          </Group>
        )}
      </Stack>
      {cancelling && (
        <NoteDialog
          title={t('referrals.actions.cancelTitle')}
          label={t('referrals.actions.cancelNote')}
          confirm={t('referrals.actions.cancel')}
          required={false}
          danger
          busy={busy}
          onCancel={() => setCancelling(false)}
          onConfirm={(text) => void cancel(text)}
        />
      )}
    </Card>
  );
}
