import { Alert, Anchor, Code, Loader, Stack, Text, Title } from '@mantine/core';
import { routes, type InvitationDetails } from '@haven/contracts';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { api } from '../../../api/client';
import { EnrolmentForm, type EnrolmentValues } from '../../auth/components/EnrolmentForm';
import { TotpEnrolment } from '../../auth/components/TotpEnrolment';
import { cryptoWorker, wipeKeys } from '../../auth/crypto-session';
import { deriveLoginKeys } from '../../auth/session/session-flows';
import { fromBase64Url, toBase64Url } from '../../auth/utils/base64url';
import { errorKey, type ErrorKey } from '../../auth/utils/error-text';
import { readSetupToken } from '../../setup/utils/setup-token';
import { useDocumentTitle } from '../../system/hooks/useDocumentTitle';

type Stage =
  | { step: 'opening' }
  | { step: 'refused'; error: ErrorKey }
  | { step: 'form'; details: InvitationDetails; rootFingerprint: string }
  | { step: 'done'; username: string; fingerprint: string };

/**
 * Accepting an invitation (`/invite#token=…`): the invitee picks a username and password,
 * enrols the authenticator, and the crypto worker makes their keys and pins the organisation
 * root. The account starts uncertified; the admin certifies it after comparing fingerprints.
 */
export function InvitePage() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const [token] = useState(() => readSetupToken(location.hash));
  const [stage, setStage] = useState<Stage>({ step: 'opening' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorKey | null>(null);
  const title = t('pages.invite.title');
  useDocumentTitle(title);

  useEffect(() => {
    if (location.hash) {
      void navigate({ pathname: location.pathname, search: location.search }, { replace: true });
    }
  }, [location.hash, location.pathname, location.search, navigate]);

  useEffect(() => {
    if (!token) return undefined;
    let cancelled = false;
    api
      .request(routes.inspectInvitation, { body: { token } })
      .then(async (details) => ({
        details,
        rootFingerprint: await cryptoWorker().rootFingerprint(
          fromBase64Url(details.orgRootPublicKey),
        ),
      }))
      .then(
        ({ details, rootFingerprint }) => {
          if (!cancelled) setStage({ step: 'form', details, rootFingerprint });
        },
        (caught: unknown) => {
          if (!cancelled) setStage({ step: 'refused', error: errorKey(caught, 'openLink') });
        },
      );
    return () => {
      cancelled = true;
    };
  }, [token]);

  const accept = async (values: EnrolmentValues, details: InvitationDetails) => {
    if (!token) return;
    setBusy(true);
    setError(null);
    const worker = cryptoWorker();
    try {
      const { authKey, kek } = await deriveLoginKeys(values.username, values.password);
      const created = await worker.createUserKeys(kek, details.userId);
      await worker.release(kek);
      const orgRootPin = await worker.makeOrgRootPin(
        created.user,
        fromBase64Url(details.orgRootPublicKey),
      );
      await api.request(routes.acceptInvitation, {
        body: {
          token,
          username: values.username,
          authKey,
          totpCode: values.totpCode,
          keys: {
            wrappedUserKey: toBase64Url(created.bundle.wrappedUserKey),
            boxPublicKey: toBase64Url(created.bundle.boxPublicKey),
            signPublicKey: toBase64Url(created.bundle.signPublicKey),
            wrappedBoxSecret: toBase64Url(created.bundle.wrappedBoxSecret),
            wrappedSignSeed: toBase64Url(created.bundle.wrappedSignSeed),
          },
          orgRootPin: toBase64Url(orgRootPin),
        },
      });
      setStage({ step: 'done', username: values.username, fingerprint: created.fingerprint });
    } catch (caught) {
      setError(errorKey(caught, 'link'));
    } finally {
      await wipeKeys();
      setBusy(false);
    }
  };

  return (
    <Stack gap="md" maw={560}>
      <Title order={1}>{title}</Title>
      {!token && (
        <Alert color="yellow" variant="light">
          {t('pages.invite.linkMissing')}
        </Alert>
      )}
      {token && stage.step === 'opening' && <Loader aria-label={t('pages.invite.opening')} />}
      {stage.step === 'refused' && (
        <Alert color="red" variant="light" role="alert">
          {t(`errors.${stage.error}`)}
        </Alert>
      )}
      {stage.step === 'form' && (
        <>
          <Text>{t('pages.invite.intro', { role: t(`roles.${stage.details.role}`) })}</Text>
          {stage.details.partnerOrgName && (
            <Text data-testid="invite-partner-org">
              {t('pages.invite.partnerOrg', { name: stage.details.partnerOrgName })}
            </Text>
          )}
          <Text size="sm">{t('pages.invite.rootFingerprint')}</Text>
          <Code data-testid="root-fingerprint" fz="md">
            {stage.rootFingerprint}
          </Code>
          <TotpEnrolment totp={stage.details.totp} />
          {error && (
            <Alert color="red" variant="light" role="alert">
              {t(`errors.${error}`)}
            </Alert>
          )}
          <EnrolmentForm
            submitLabel={t('pages.invite.submit')}
            busy={busy}
            onSubmit={(values) => void accept(values, stage.details)}
          />
        </>
      )}
      {stage.step === 'done' && (
        <Stack gap="sm">
          <Alert color="green" variant="light" role="status">
            {t('pages.invite.done', { username: stage.username })}
          </Alert>
          <Text>{t('pages.invite.readFingerprint')}</Text>
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
