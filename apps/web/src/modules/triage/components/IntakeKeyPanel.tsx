import { Alert, Button, Card, List, Stack, Text, Title } from '@mantine/core';
import { routes } from '@haven/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { UserHandle } from '../../crypto';
import type { Worker } from '../../cases/crypto/case-crypto';
import { sealIntakeTo, verifyHolder } from '../crypto/triage-crypto';
import { intakeKeyQueryKey, type IntakeKeyState } from '../hooks/useIntakeKey';

/**
 * Hands the intake key to certified coordinators who lack it: the setup admin once (after
 * which the admin's copy is deleted), then any coordinator who holds it. Each grant is sealed
 * in the worker to a key whose certificate chain verified against the pinned root.
 */
export function IntakeKeyPanel({
  worker,
  user,
  state,
}: {
  worker: Worker;
  user: UserHandle;
  state: IntakeKeyState;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<'done' | 'failed' | null>(null);
  const { status, intake } = state;
  // After a handover the setup admin no longer holds the key: say what happened, not "ask".
  if (result === 'done' && (!intake || status.missing.length === 0)) {
    return (
      <Alert color="green" variant="light" role="status" data-testid="intake-key-panel">
        {t('triage.key.done')}
      </Alert>
    );
  }
  if (!intake) {
    return (
      <Alert color="yellow" variant="light" role="status" data-testid="intake-key-panel">
        {status.held ? t('triage.key.notYours') : t('triage.key.nobody')}
      </Alert>
    );
  }
  if (status.missing.length === 0) return null;

  const handOver = async () => {
    setBusy(true);
    setResult(null);
    try {
      const verified = (
        await Promise.all(status.missing.map((p) => verifyHolder(worker, p)))
      ).filter((p) => p !== null);
      if (verified.length === 0) throw new Error('no verified coordinator');
      await api.request(routes.grantIntakeKey, {
        body: {
          version: status.version,
          grants: await Promise.all(
            verified.map(async (p) => ({
              userId: p.id,
              envelope: await sealIntakeTo(worker, intake, p, user, status.version),
            })),
          ),
        },
      });
      setResult('done');
      await queryClient.invalidateQueries({ queryKey: intakeKeyQueryKey });
    } catch {
      setResult('failed');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder padding="md" data-testid="intake-key-panel">
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('triage.key.title')}
        </Title>
        <Text size="sm">{t('triage.key.explain')}</Text>
        <List size="sm">
          {status.missing.map((p) => (
            <List.Item key={p.id}>{p.username}</List.Item>
          ))}
        </List>
        <Button onClick={() => void handOver()} loading={busy} w="fit-content">
          {t('triage.key.handOver')}
        </Button>
        {result === 'done' && (
          <Alert color="green" variant="light" role="status">
            {t('triage.key.done')}
          </Alert>
        )}
        {result === 'failed' && (
          <Alert color="red" variant="light" role="alert">
            {t('triage.key.failed')}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}
