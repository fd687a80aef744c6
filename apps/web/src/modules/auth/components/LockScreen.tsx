import { Alert, Button, Group, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../../system/hooks/useDocumentTitle';
import { useSession, useSessionActions } from '../hooks/useSession';
import { errorKey, type ErrorKey } from '../utils/error-text';

/**
 * Shown in place of any page while the session is locked (idle timeout, "Lock now", or a
 * reload): the keys are gone from memory and only the password brings them back. No TOTP:
 * the session itself is still valid.
 */
export function LockScreen() {
  const { t } = useTranslation();
  const session = useSession();
  const actions = useSessionActions();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorKey | null>(null);
  const title = t('lock.title');
  useDocumentTitle(title);
  const username = session.status === 'locked' ? session.me.user.username : '';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await actions.unlock(password);
    } catch (caught) {
      setError(errorKey(caught, 'password'));
    } finally {
      setPassword('');
      setBusy(false);
    }
  };

  return (
    <Stack gap="md" maw={420}>
      <Title order={1}>{title}</Title>
      <Text>{t('lock.body', { username })}</Text>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          {error && (
            <Alert color="red" variant="light" role="alert">
              {t(`errors.${error}`)}
            </Alert>
          )}
          <input
            type="text"
            name="username"
            value={username}
            autoComplete="username"
            readOnly
            hidden
          />
          <PasswordInput
            label={t('auth.password')}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            autoComplete="current-password"
            data-autofocus
            required
          />
          <Group>
            <Button type="submit" loading={busy} disabled={!password}>
              {t('lock.unlock')}
            </Button>
            <Button variant="subtle" onClick={() => void actions.signOut()}>
              {t('auth.signOut')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
