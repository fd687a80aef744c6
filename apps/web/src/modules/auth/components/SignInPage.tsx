import { Alert, Button, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { useDocumentTitle } from '../../system/hooks/useDocumentTitle';
import { useSession, useSessionActions } from '../hooks/useSession';
import { errorKey, type ErrorKey } from '../utils/error-text';

/**
 * Username, password and the authenticator code. The password goes into the crypto worker
 * only; the API receives a key derived from it (docs/accounts.md).
 */
export function SignInPage() {
  const { t } = useTranslation();
  const session = useSession();
  const actions = useSessionActions();
  const location = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorKey | null>(null);
  const title = t('pages.signIn.title');
  useDocumentTitle(title);

  if (session.status === 'signed-in') {
    const from = (location.state as { from?: unknown } | null)?.from;
    return <Navigate to={typeof from === 'string' ? from : '/'} replace />;
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await actions.signIn({ username: username.trim(), password, totpCode: code.trim() });
    } catch (caught) {
      setError(errorKey(caught, 'signIn'));
      setCode('');
    } finally {
      setPassword('');
      setBusy(false);
    }
  };

  return (
    <Stack gap="md" maw={420}>
      <Title order={1}>{title}</Title>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          {error && (
            <Alert color="red" variant="light" role="alert">
              {t(`errors.${error}`)}
            </Alert>
          )}
          <TextInput
            label={t('auth.username')}
            value={username}
            onChange={(e) => setUsername(e.currentTarget.value)}
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
          />
          <PasswordInput
            label={t('auth.password')}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            autoComplete="current-password"
            required
          />
          <TextInput
            label={t('auth.totpCode')}
            description={t('auth.totpCodeHelp')}
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            required
          />
          <Button
            type="submit"
            loading={busy}
            disabled={!username || !password || code.length !== 6}
          >
            {t('auth.signIn')}
          </Button>
        </Stack>
      </form>
    </Stack>
  );
}
