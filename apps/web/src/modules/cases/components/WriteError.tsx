import { Alert, Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { WriteProblem } from '../utils/write-errors';

interface WriteErrorProps {
  problem: WriteProblem | null;
  onReload: () => void;
  onClose: () => void;
}

/** A refused write, explained; a stale one offers to reload the latest version. */
export function WriteError({ problem, onReload, onClose }: WriteErrorProps) {
  const { t } = useTranslation();
  if (!problem) return null;
  return (
    <Alert
      color={problem === 'stale' ? 'yellow' : 'red'}
      variant="light"
      role="alert"
      withCloseButton
      onClose={onClose}
      data-testid="write-error"
    >
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm">{t(`cases.writeErrors.${problem}`)}</Text>
        {(problem === 'stale' || problem === 'rotationDue') && (
          <Button size="xs" variant="white" onClick={onReload}>
            {t('cases.reload')}
          </Button>
        )}
      </Group>
    </Alert>
  );
}
