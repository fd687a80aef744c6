import { Alert, Button, Checkbox, Code, Group, Loader, Modal, Stack, Text } from '@mantine/core';
import { routes, type UserSummary } from '@haven/contracts';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import { cryptoWorker } from '../../auth/crypto-session';
import { useSession } from '../../auth/hooks/useSession';
import { fromBase64Url, toBase64Url } from '../../auth/utils/base64url';
import { errorKey, type ErrorKey } from '../../auth/utils/error-text';

interface CertifyDialogProps {
  user: UserSummary;
  onClose: () => void;
  onCertified: () => void;
}

/**
 * Certifying someone's keys: the fingerprint of the keys the server holds for them is shown
 * here, computed in the crypto worker, and the admin compares it with the one the person reads
 * out from their own account page (by phone, in person: not over the dashboard). Only then
 * does the admin's worker sign the certificate.
 */
export function CertifyDialog({ user, onClose, onCertified }: CertifyDialogProps) {
  const { t } = useTranslation();
  const session = useSession();
  const [fingerprint, setFingerprint] = useState<string | null>(null);
  const [matches, setMatches] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorKey | 'rootNeeded' | null>(null);

  useEffect(() => {
    let cancelled = false;
    void cryptoWorker()
      .fingerprintOf(fromBase64Url(user.signPublicKey), fromBase64Url(user.boxPublicKey))
      .then((value) => {
        if (!cancelled) setFingerprint(value);
      });
    return () => {
      cancelled = true;
    };
  }, [user.signPublicKey, user.boxPublicKey]);

  const certify = async () => {
    if (session.status !== 'signed-in') return;
    if (user.role === 'admin' && !session.keys.wrappedOrgRootKey) {
      setError('rootNeeded');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const certificate = await cryptoWorker().certifyUser(
        session.keys.user,
        {
          subjectId: user.id,
          role: user.role,
          boxPublicKey: fromBase64Url(user.boxPublicKey),
          signPublicKey: fromBase64Url(user.signPublicKey),
        },
        session.keys.wrappedOrgRootKey ?? undefined,
      );
      await api.request(routes.certifyUser, {
        params: { userId: user.id },
        body: { certificate: toBase64Url(certificate) },
      });
      onCertified();
    } catch (caught) {
      setError(errorKey(caught, 'other'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title={t('users.certifyTitle', { username: user.username })}
      centered
    >
      <Stack gap="sm">
        <Text>{t('users.certifyInstructions', { username: user.username })}</Text>
        {fingerprint ? (
          <Code data-testid="certify-fingerprint" fz="lg">
            {fingerprint}
          </Code>
        ) : (
          <Loader />
        )}
        <Checkbox
          label={t('users.fingerprintsMatch')}
          checked={matches}
          onChange={(e) => setMatches(e.currentTarget.checked)}
        />
        {error && (
          <Alert color="red" variant="light" role="alert">
            {error === 'rootNeeded' ? t('users.rootNeeded') : t(`errors.${error}`)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={() => void certify()} disabled={!matches || !fingerprint} loading={busy}>
            {t('users.certify')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
