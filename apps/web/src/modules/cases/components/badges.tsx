import { Badge } from '@mantine/core';
import type { CasePriority, CaseStatus } from '@haven/contracts';
import { useTranslation } from 'react-i18next';

const STATUS_COLOR: Record<CaseStatus, string> = {
  new: 'blue',
  active: 'green',
  referred: 'violet',
  closed: 'gray',
};

const PRIORITY_COLOR: Record<CasePriority, string> = {
  routine: 'gray',
  urgent: 'orange',
  critical: 'red',
};

export function StatusBadge({ status }: { status: CaseStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" data-status={status}>
      {t(`cases.status.${status}`)}
    </Badge>
  );
}

export function PriorityBadge({ priority }: { priority: CasePriority }) {
  const { t } = useTranslation();
  return (
    <Badge color={PRIORITY_COLOR[priority]} variant={priority === 'critical' ? 'filled' : 'light'}>
      {t(`cases.priority.${priority}`)}
    </Badge>
  );
}
