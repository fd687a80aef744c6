import { Alert, Button, List, PasswordInput, Stack, TextInput } from '@mantine/core';
import { USERNAME_PATTERN } from '@haven/contracts';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MIN_PASSWORD_LENGTH, passwordProblem } from '../utils/password-policy';

export interface EnrolmentValues {
  username: string;
  password: string;
  totpCode: string;
}

interface EnrolmentFormProps {
  submitLabel: string;
  busy: boolean;
  onSubmit: (values: EnrolmentValues) => void;
}

/**
 * Username, new password (twice) and the first authenticator code. The password rules are
 * checked here, in the browser, because the server never sees the password.
 */
export function EnrolmentForm({ submitLabel, busy, onSubmit }: EnrolmentFormProps) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [code, setCode] = useState('');
  const [tried, setTried] = useState(false);

  const name = username.trim();
  const nameOk = USERNAME_PATTERN.test(name);
  const problem = passwordProblem(password, { username: name, confirmation });
  const codeOk = /^\d{6}$/.test(code.trim());

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!nameOk || problem || !codeOk) return;
    onSubmit({ username: name, password, totpCode: code.trim() });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <TextInput
          label={t('auth.username')}
          description={t('enrol.usernameRules')}
          value={username}
          onChange={(e) => setUsername(e.currentTarget.value)}
          error={tried && !nameOk ? t('enrol.usernameInvalid') : undefined}
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
        />
        <PasswordInput
          label={t('enrol.newPassword')}
          description={t('password.rules.intro', { min: MIN_PASSWORD_LENGTH })}
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={
            tried && problem && problem !== 'mismatch'
              ? t(`password.rules.${problem}`, { min: MIN_PASSWORD_LENGTH })
              : undefined
          }
          autoComplete="new-password"
          required
        />
        <PasswordInput
          label={t('enrol.confirmPassword')}
          value={confirmation}
          onChange={(e) => setConfirmation(e.currentTarget.value)}
          error={tried && problem === 'mismatch' ? t('password.rules.mismatch') : undefined}
          autoComplete="new-password"
          required
        />
        <TextInput
          label={t('enrol.firstCode')}
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          error={tried && !codeOk ? t('errors.badCode') : undefined}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          required
        />
        {tried && (problem || !nameOk || !codeOk) && (
          <Alert color="red" variant="light" role="alert">
            {t('enrol.fixFields')}
          </Alert>
        )}
        <List size="sm" c="dimmed">
          <List.Item>{t('enrol.passwordNeverSent')}</List.Item>
          <List.Item>{t('enrol.passwordCannotBeReset')}</List.Item>
        </List>
        <Button type="submit" loading={busy}>
          {submitLabel}
        </Button>
      </Stack>
    </form>
  );
}
