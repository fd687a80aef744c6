import { Alert, Button, Card, Code, Stack, Text, Title } from '@mantine/core';
import { routes } from '@haven/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../../api/client';
import { fromBase64Url } from '../../auth/utils/base64url';
import type { UserHandle } from '../../crypto';
import type { Worker } from '../../cases/crypto/case-crypto';
import { buildRotationProposal, signProposedKey } from '../crypto/intake-rotation';
import { intakeKeyQueryKey, type IntakeKeyState } from '../hooks/useIntakeKey';

type Outcome =
  | { kind: 'proposed'; fingerprint: string }
  | { kind: 'approved'; version: number }
  | { kind: 'failed'; message: string };

/**
 * Rotation of the intake key (docs/intake.md, "Rotation of the intake key"). A coordinator who
 * holds the key proposes a new one (made and used in the worker; the pending rows re-sealed to
 * it, the new key sealed to every coordinator); the admin who holds the organisation root
 * compares its fingerprint and signs it, which commits the rotation.
 */
export function IntakeRotationPanel({
  worker,
  user,
  role,
  state,
}: {
  worker: Worker;
  user: UserHandle;
  role: string;
  state: IntakeKeyState;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const { status, intake } = state;
  const proposal = status.proposal;
  const fingerprint = useQuery({
    queryKey: ['triage', 'intake-rotation-fingerprint', proposal?.intakePublicKey ?? null],
    enabled: proposal !== null,
    staleTime: Infinity,
    queryFn: () => worker.intakeKeyFingerprint(fromBase64Url(proposal?.intakePublicKey ?? '')),
  });
  const failure = (error: unknown) =>
    setOutcome({
      kind: 'failed',
      message: error instanceof ApiError ? error.message : t('triage.rotation.failed'),
    });

  const propose = async () => {
    if (!intake) return;
    setBusy(true);
    setOutcome(null);
    try {
      const pending = await api.request(routes.intakeRotationPending);
      const built = await buildRotationProposal(worker, intake, user, status, pending);
      await api.request(routes.proposeIntakeRotation, { body: built.body });
      setOutcome({ kind: 'proposed', fingerprint: built.fingerprint });
      await queryClient.invalidateQueries({ queryKey: intakeKeyQueryKey });
    } catch (error) {
      failure(error);
    } finally {
      setBusy(false);
    }
  };

  const approve = async () => {
    if (!proposal) return;
    setBusy(true);
    setOutcome(null);
    try {
      const { wrappedOrgRootKey } = await api.request(routes.myKeys);
      if (!wrappedOrgRootKey) {
        setOutcome({ kind: 'failed', message: t('triage.rotation.noRoot') });
        return;
      }
      const signature = await signProposedKey(
        worker,
        user,
        wrappedOrgRootKey,
        proposal.intakePublicKey,
      );
      const done = await api.request(routes.approveIntakeRotation, {
        body: { rotationId: proposal.id, signature },
      });
      setOutcome({ kind: 'approved', version: done.version });
      await queryClient.invalidateQueries({ queryKey: intakeKeyQueryKey });
    } catch (error) {
      failure(error);
    } finally {
      setBusy(false);
    }
  };

  const canPropose = role === 'coordinator' && intake !== null;
  const canApprove = role === 'admin' && proposal !== null && !proposal.outdated;
  if (!canPropose && role !== 'admin') return null;

  return (
    <Card withBorder padding="md" data-testid="intake-rotation-panel">
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('triage.rotation.title')}
        </Title>
        {status.rotationDue && (
          <Alert color="yellow" variant="light" role="status">
            {t('triage.key.rotationDue')}
          </Alert>
        )}
        {proposal ? (
          <>
            <Text size="sm">
              {t('triage.rotation.pending', {
                username: proposal.proposedBy.username,
                day: proposal.proposedOn,
              })}
            </Text>
            <Text size="sm">
              {t('triage.rotation.fingerprint')}{' '}
              <Code data-testid="intake-rotation-fingerprint">{fingerprint.data ?? '…'}</Code>
            </Text>
            {proposal.outdated && (
              <Alert color="yellow" variant="light" role="status">
                {t('triage.rotation.outdated')}
              </Alert>
            )}
          </>
        ) : (
          <Text size="sm">
            {role === 'admin' ? t('triage.rotation.nonePending') : t('triage.rotation.explain')}
          </Text>
        )}
        {canApprove && (
          <>
            <Text size="sm">{t('triage.rotation.approveExplain')}</Text>
            <Button onClick={() => void approve()} loading={busy} w="fit-content">
              {t('triage.rotation.approve')}
            </Button>
          </>
        )}
        {canPropose && (
          <Button
            onClick={() => void propose()}
            loading={busy}
            w="fit-content"
            variant={status.rotationDue || proposal?.outdated ? 'filled' : 'default'}
          >
            {proposal ? t('triage.rotation.proposeAgain') : t('triage.rotation.propose')}
          </Button>
        )}
        {outcome?.kind === 'proposed' && (
          <Alert color="green" variant="light" role="status">
            {t('triage.rotation.proposed', { fingerprint: outcome.fingerprint })}
          </Alert>
        )}
        {outcome?.kind === 'approved' && (
          <Alert color="green" variant="light" role="status">
            {t('triage.rotation.approved', { version: outcome.version })}
          </Alert>
        )}
        {outcome?.kind === 'failed' && (
          <Alert color="red" variant="light" role="alert">
            {outcome.message}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}
