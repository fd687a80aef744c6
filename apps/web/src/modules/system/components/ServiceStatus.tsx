import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useServiceState } from '../hooks/useServiceState';

/** One line in the footer; a polite live region so a change is announced, not shouted. */
export function ServiceStatus() {
  const { t } = useTranslation();
  const state = useServiceState();
  return (
    <Text size="sm" role="status" aria-live="polite" data-state={state}>
      {t(`status.${state}`)}
    </Text>
  );
}
