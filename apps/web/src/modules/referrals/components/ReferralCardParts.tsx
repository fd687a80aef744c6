import { Alert, Badge, Group, Text } from '@mantine/core';
import {
  PACKET_FIELDS,
  type PacketField,
  type ReferralService,
  type ReferralStatus,
  type ReferralUrgency,
} from '@haven/contracts';
import { useTranslation } from 'react-i18next';
import type { ReferralProblem } from '../api/referrals-api';
import { DueDay, ReferralStatusBadge, UrgencyBadge } from './badges';

/**
 * The top of a referral card, the same on the case's Referrals tab and the assignee's view:
 * service, urgency, status and due day, then the last action's problem (dismissible).
 */
export function ReferralCardHeading({
  referral,
  today,
  problem,
  onDismissProblem,
}: {
  referral: {
    service: ReferralService;
    urgency: ReferralUrgency;
    status: ReferralStatus;
    dueOn: string | null;
  };
  today: string;
  problem: ReferralProblem | null;
  onDismissProblem: () => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Group justify="space-between" align="flex-start">
        <Group gap="xs">
          <Text fw={600}>{t(`referrals.service.${referral.service}`)}</Text>
          <UrgencyBadge urgency={referral.urgency} />
          <ReferralStatusBadge status={referral.status} />
        </Group>
        <DueDay referral={referral} today={today} />
      </Group>
      {problem && (
        <Alert color="red" variant="light" role="alert" withCloseButton onClose={onDismissProblem}>
          {t(`referrals.errors.${problem}`)}
        </Alert>
      )}
    </>
  );
}

/** Which fields of the case the referral's packet carries, in the canonical order. */
export function SharedFields({ fields }: { fields: readonly PacketField[] }) {
  const { t } = useTranslation();
  return (
    <Group gap={4}>
      <Text size="sm">{t('referrals.fieldsShared')}</Text>
      {PACKET_FIELDS.filter((f) => fields.includes(f)).map((field) => (
        <Badge key={field} variant="outline" size="sm">
          {t(`referrals.field.${field}`)}
        </Badge>
      ))}
    </Group>
  );
}
