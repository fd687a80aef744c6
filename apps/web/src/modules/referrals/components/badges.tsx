import { Badge, Group, Text } from '@mantine/core';
import type { ReferralStatus, ReferralUrgency } from '@haven/contracts';
import { useTranslation } from 'react-i18next';
import { daysOverdue } from '../utils/overdue';

const STATUS_COLOR: Record<ReferralStatus, string> = {
  proposed: 'blue',
  assigned: 'violet',
  accepted: 'teal',
  declined: 'orange',
  in_progress: 'cyan',
  completed: 'green',
  failed: 'red',
  rejected: 'gray',
  cancelled: 'gray',
  revoked: 'gray',
};

const URGENCY_COLOR: Record<ReferralUrgency, string> = {
  routine: 'gray',
  urgent: 'orange',
  critical: 'red',
};

export function ReferralStatusBadge({ status }: { status: ReferralStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" data-referral-status={status}>
      {t(`referrals.status.${status}`)}
    </Badge>
  );
}

export function UrgencyBadge({ urgency }: { urgency: ReferralUrgency }) {
  const { t } = useTranslation();
  return (
    <Badge color={URGENCY_COLOR[urgency]} variant={urgency === 'critical' ? 'filled' : 'light'}>
      {t(`referrals.urgency.${urgency}`)}
    </Badge>
  );
}

/** The due day, highlighted with how late it is once an open referral has passed it. */
export function DueDay({
  referral,
  today,
}: {
  referral: { status: ReferralStatus; dueOn: string | null };
  today: string;
}) {
  const { t } = useTranslation();
  if (referral.dueOn === null)
    return (
      <Text size="sm" c="dimmed">
        {t('referrals.noDueDay')}
      </Text>
    );
  const late = daysOverdue(referral, today);
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="sm" c={late === null ? undefined : 'red'} fw={late === null ? undefined : 600}>
        {t('referrals.dueOn', { day: referral.dueOn })}
      </Text>
      {late !== null && (
        <Badge color="red" variant="filled" size="sm" data-testid="overdue">
          {t('referrals.overdue', { count: late })}
        </Badge>
      )}
    </Group>
  );
}
