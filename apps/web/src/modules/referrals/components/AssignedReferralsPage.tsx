import { Alert, Button, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { routes } from '@haven/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import { useSession } from '../../auth/hooks/useSession';
import { cryptoWorker } from '../../auth/crypto-session';
import { useDocumentTitle } from '../../system/hooks/useDocumentTitle';
import { assignedKey, referralProblemOf, type ReferralProblem } from '../api/referrals-api';
import { openAssignment, packetNote, type OpenedAssignment } from '../crypto/referral-crypto';
import { ASSIGNEE_NOTE_REQUIRED, assigneeActions, type AssigneeTarget } from '../utils/actions';
import { NoteDialog } from './NoteDialog';
import { ReferralCardHeading, SharedFields } from './ReferralCardParts';
import { PacketView } from './PacketView';
import { TransitionTimeline } from './TransitionTimeline';

type Target = AssigneeTarget;

/**
 * The referrals assigned to the caller: a partner user's organisation's packets, or an internal
 * caseworker's "Referrals for me". Each packet is opened in the crypto worker (the granting
 * coordinator's certificate checked against the pinned root); nothing else of the case is here.
 */
export function AssignedReferralsPage() {
  const { t } = useTranslation();
  const session = useSession();
  const signedIn = session.status === 'signed-in' ? session : null;
  const partnerOrg = signedIn?.me.user.partnerOrg ?? null;
  const title =
    signedIn?.role === 'partner'
      ? t('referrals.assigned.partnerTitle')
      : t('referrals.assigned.title');
  useDocumentTitle(title);
  const user = signedIn?.keys.user ?? null;
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: [...assignedKey, user],
    enabled: user !== null,
    refetchOnWindowFocus: false,
    staleTime: 0,
    queryFn: async ({ signal }) => {
      if (!user) throw new Error('not signed in');
      const response = await api.request(routes.listAssignedReferrals, { signal });
      const opened: OpenedAssignment[] = [];
      for (const referral of response.referrals) {
        opened.push(await openAssignment(cryptoWorker(), user, referral));
      }
      return { today: response.today, opened };
    },
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: assignedKey });

  return (
    <Stack gap="lg">
      <Stack gap={2}>
        <Title order={1}>{title}</Title>
        {partnerOrg && (
          <Text c="dimmed" data-testid="partner-org">
            {partnerOrg.name}
          </Text>
        )}
        <Text size="sm" c="dimmed">
          {t('referrals.assigned.intro')}
        </Text>
      </Stack>
      {query.isError && (
        <Alert color="red" variant="light" role="alert">
          {t('referrals.errors.load')}
        </Alert>
      )}
      {!query.data && !query.isError && (
        <Group>
          <Loader size="sm" />
          <Text>{t('referrals.loading')}</Text>
        </Group>
      )}
      {query.data?.opened.length === 0 && <Text c="dimmed">{t('referrals.assigned.none')}</Text>}
      {query.data?.opened.map((item) => (
        <AssignmentCard
          key={item.referral.id}
          item={item}
          today={query.data.today}
          onChanged={refresh}
        />
      ))}
    </Stack>
  );
}

function AssignmentCard({
  item,
  today,
  onChanged,
}: {
  item: OpenedAssignment;
  today: string;
  onChanged: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const { referral } = item;
  const [asking, setAsking] = useState<Target | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ReferralProblem | null>(null);
  const session = useSession();
  const myId = session.status === 'signed-in' ? session.me.user.id : '';

  const move = async (to: Target, text: string) => {
    const key = item.packetKey;
    if (!key) return;
    setBusy(true);
    setProblem(null);
    try {
      await api.request(routes.transitionAssignedReferral, {
        params: { referralId: referral.id },
        body: {
          expectedVersion: referral.version,
          to,
          ...(text ? { note: await packetNote(cryptoWorker(), key, text) } : {}),
        },
      });
      setAsking(null);
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
      data-testid="assigned-referral"
      data-referral-id={referral.id}
      style={referral.overdue ? { borderColor: 'var(--mantine-color-red-6)' } : undefined}
    >
      <Stack gap="xs">
        <ReferralCardHeading
          referral={referral}
          today={today}
          problem={problem}
          onDismissProblem={() => setProblem(null)}
        />
        <Text size="xs" c="dimmed">
          {t('referrals.assigned.since', { day: referral.assignedOn, expires: referral.expiresOn })}
        </Text>
        <SharedFields fields={referral.fields} />
        <PacketView packet={item.packet} />
        <TransitionTimeline
          transitions={item.transitions}
          nameOf={(id) =>
            id === myId ? t('referrals.assigned.you') : t('referrals.assigned.staff')
          }
        />
        {item.packetKey && (
          <Group gap="xs">
            {assigneeActions(referral.status).map((to) => (
              <Button
                key={to}
                size="xs"
                variant={to === 'declined' || to === 'failed' ? 'light' : 'filled'}
                color={to === 'declined' || to === 'failed' ? 'red' : undefined}
                loading={busy && asking === null}
                onClick={() =>
                  ASSIGNEE_NOTE_REQUIRED.includes(to) ? setAsking(to) : void move(to, '')
                }
              >
                {t(`referrals.assigned.action.${to}`)}
              </Button>
            ))}
          </Group>
        )}
      </Stack>
      {asking && (
        <NoteDialog
          title={t(`referrals.assigned.action.${asking}`)}
          label={
            asking === 'declined'
              ? t('referrals.assigned.declineReason')
              : t('referrals.assigned.outcome')
          }
          confirm={t(`referrals.assigned.action.${asking}`)}
          required
          danger={asking !== 'completed'}
          busy={busy}
          onCancel={() => setAsking(null)}
          onConfirm={(text) => void move(asking, text)}
        />
      )}
    </Card>
  );
}
