import { Alert, Anchor, Code, Loader, Stack, Text, Title } from '@mantine/core';
import { routes, type SetupBeginResponse } from '@haven/contracts';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { api } from '../../../api/client';
import { cryptoWorker, wipeKeys } from '../../auth/crypto-session';
import { EnrolmentForm, type EnrolmentValues } from '../../auth/components/EnrolmentForm';
import { TotpEnrolment } from '../../auth/components/TotpEnrolment';
import { deriveLoginKeys } from '../../auth/session/session-flows';
import { toBase64Url } from '../../auth/utils/base64url';
import { errorKey, type ErrorKey } from '../../auth/utils/error-text';
import { useDocumentTitle } from '../../system/hooks/useDocumentTitle';
import { readSetupToken } from '../utils/setup-token';

type Stage =
  | { step: 'opening' }
  | { step: 'refused'; error: ErrorKey }
  | { step: 'form'; begun: SetupBeginResponse }
  | { step: 'done'; username: string; fingerprint: string; rootFingerprint: string };

/**
 * First-run setup through the one-time link `npm start` prints. The browser makes every key
 * (organisation root, intake key pair, the first admin's keys) in the crypto worker; the server
 * gets public keys, wrapped private keys and the admin's authKey, and stores them in one
 * transaction that uses the link up.
 */
export function SetupPage() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const [token] = useState(() => readSetupToken(location.hash));
  const [stage, setStage] = useState<Stage>({ step: 'opening' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorKey | null>(null);
  const title = t('pages.setup.title');
  useDocumentTitle(title);

  // Drop the fragment from the address bar and the history entry once it has been read.
  useEffect(() => {
    if (location.hash) {
      void navigate({ pathname: location.pathname, search: location.search }, { replace: true });
    }
  }, [location.hash, location.pathname, location.search, navigate]);

  useEffect(() => {
    if (!token) return undefined;
    let cancelled = false;
    api.request(routes.setupBegin, { body: { token } }).then(
      (begun) => {
        if (!cancelled) setStage({ step: 'form', begun });
      },
      (caught: unknown) => {
        if (!cancelled) setStage({ step: 'refused', error: errorKey(caught, 'openLink') });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [token]);

  const complete = async (values: EnrolmentValues, begun: SetupBeginResponse) => {
    if (!token) return;
    setBusy(true);
    setError(null);
    const worker = cryptoWorker();
    try {
      const { authKey, kek } = await deriveLoginKeys(values.username, values.password);
      const made = await worker.setupOrganisation(kek, begun.userId);
      await worker.release(kek);
      await api.request(routes.setupComplete, {
        body: {
          token,
          username: values.username,
          authKey,
          totpCode: values.totpCode,
          keys: {
            wrappedUserKey: toBase64Url(made.bundle.wrappedUserKey),
            boxPublicKey: toBase64Url(made.bundle.boxPublicKey),
            signPublicKey: toBase64Url(made.bundle.signPublicKey),
            wrappedBoxSecret: toBase64Url(made.bundle.wrappedBoxSecret),
            wrappedSignSeed: toBase64Url(made.bundle.wrappedSignSeed),
          },
          certificate: toBase64Url(made.certificate),
          orgRootPin: toBase64Url(made.orgRootPin),
          org: {
            rootSignPublicKey: toBase64Url(made.rootPublicKey),
            intakePublicKey: toBase64Url(made.intakePublicKey),
            intakeKeySignature: toBase64Url(made.intakeKeySignature),
          },
          wrappedOrgRootKey: toBase64Url(made.wrappedOrgRootKey),
          wrappedIntakeKey: toBase64Url(made.wrappedIntakeKey),
        },
      });
      setStage({
        step: 'done',
        username: values.username,
        fingerprint: made.fingerprint,
        rootFingerprint: made.rootFingerprint,
      });
    } catch (caught) {
      setError(errorKey(caught, 'link'));
    } finally {
      // Setup leaves nothing in memory: the admin signs in like everyone else.
      await wipeKeys();
      setBusy(false);
    }
  };

  return (
    <Stack gap="md" maw={560}>
      <Title order={1}>{title}</Title>
      {!token && (
        <Alert color="yellow" variant="light">
          {t('pages.setup.linkMissing')}
        </Alert>
      )}
      {token && stage.step === 'opening' && <Loader aria-label={t('pages.setup.opening')} />}
      {stage.step === 'refused' && (
        <Alert color="red" variant="light" role="alert">
          {t(`errors.${stage.error}`)}
        </Alert>
      )}
      {stage.step === 'form' && (
        <>
          <Text>{t('pages.setup.intro')}</Text>
          <TotpEnrolment totp={stage.begun.totp} />
          {error && (
            <Alert color="red" variant="light" role="alert">
              {t(`errors.${error}`)}
            </Alert>
          )}
          <EnrolmentForm
            submitLabel={t('pages.setup.submit')}
            busy={busy}
            onSubmit={(values) => void complete(values, stage.begun)}
          />
        </>
      )}
      {stage.step === 'done' && (
        <Stack gap="sm">
          <Alert color="green" variant="light" role="status">
            {t('pages.setup.done', { username: stage.username })}
          </Alert>
          <Text>{t('pages.setup.rootFingerprint')}</Text>
          <Code data-testid="root-fingerprint" fz="lg">
            {stage.rootFingerprint}
          </Code>
          <Text>{t('pages.setup.yourFingerprint')}</Text>
          <Code data-testid="own-fingerprint" fz="lg">
            {stage.fingerprint}
          </Code>
          <Anchor component={Link} to="/sign-in">
            {t('pages.setup.goSignIn')}
          </Anchor>
        </Stack>
      )}
    </Stack>
  );
}
