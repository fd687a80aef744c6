import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  PasswordInput,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { routes } from '@haven/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import { useSession, useSessionActions } from '../../auth/hooks/useSession';
import { changePassword } from '../../auth/session/session-flows';
import { errorKey, type ErrorKey } from '../../auth/utils/error-text';
import { MIN_PASSWORD_LENGTH, passwordProblem } from '../../auth/utils/password-policy';
import { useDocumentTitle } from '../../system/hooks/useDocumentTitle';

const sessionsQuery = {
  queryKey: ['account', 'sessions'],
  queryFn: ({ signal }: { signal: AbortSignal }) => api.request(routes.listSessions, { signal }),
  staleTime: 0,
} as const;

function when(iso: string, language: string): string {
  return new Date(iso).toLocaleString(language, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The signed-in person's own account: fingerprint, sessions, password. */
export function AccountPage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const actions = useSessionActions();
  const queryClient = useQueryClient();
  const title = t('pages.account.title');
  useDocumentTitle(title);
  const sessions = useQuery(sessionsQuery);
  const end = useMutation({
    mutationFn: (sessionId: string) => api.request(routes.endSession, { params: { sessionId } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionsQuery.queryKey }),
  });
  const endAll = useMutation({
    mutationFn: () => api.request(routes.endAllSessions),
    onSuccess: () => actions.signedOut(),
  });

  if (session.status !== 'signed-in') return null;
  const { me, keys } = session;

  return (
    <Stack gap="lg" maw={720}>
      <Title order={1}>{title}</Title>
      <Stack gap="xs">
        <Text>
          {t('pages.account.signedInAs', {
            username: me.user.username,
            role: t(`roles.${me.user.role}`),
          })}
        </Text>
        <Group gap="xs">
          <Badge color={me.user.certified ? 'green' : 'yellow'} variant="light">
            {me.user.certified
              ? t('users.status.certified')
              : t('users.status.pending_certification')}
          </Badge>
          {!me.user.canReceiveCases && <Text size="sm">{t('pages.account.noCasesYet')}</Text>}
        </Group>
        <Text>{t('pages.account.fingerprint')}</Text>
        <Code data-testid="own-fingerprint" fz="lg">
          {keys.fingerprint}
        </Code>
        <Text size="sm">{t('pages.account.rootFingerprint')}</Text>
        <Code fz="sm">{keys.rootFingerprint}</Code>
      </Stack>

      <Stack gap="xs">
        <Title order={2}>{t('pages.account.sessions')}</Title>
        <Text size="sm">{t('pages.account.sessionsNote')}</Text>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('pages.account.started')}</Table.Th>
              <Table.Th>{t('pages.account.lastSeen')}</Table.Th>
              <Table.Th>{t('pages.account.ends')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(sessions.data?.sessions ?? []).map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td>{when(s.createdAt, i18n.language)}</Table.Td>
                <Table.Td>{when(s.lastSeenAt, i18n.language)}</Table.Td>
                <Table.Td>{when(s.expiresAt, i18n.language)}</Table.Td>
                <Table.Td>
                  {s.current ? (
                    <Badge variant="light">{t('pages.account.thisSession')}</Badge>
                  ) : (
                    <Button size="xs" variant="light" onClick={() => end.mutate(s.id)}>
                      {t('pages.account.endSession')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Group>
          <Button variant="light" onClick={() => void actions.lock()}>
            {t('auth.lockNow')}
          </Button>
          <Button color="red" variant="light" onClick={() => endAll.mutate()}>
            {t('pages.account.signOutEverywhere')}
          </Button>
        </Group>
      </Stack>

      <PasswordChange />
    </Stack>
  );
}

function PasswordChange() {
  const { t } = useTranslation();
  const session = useSession();
  const queryClient = useQueryClient();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<ErrorKey | null>(null);
  const [tried, setTried] = useState(false);
  if (session.status !== 'signed-in') return null;
  const problem = passwordProblem(next, { username: session.me.user.username, confirmation });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    setDone(false);
    if (problem) return;
    setBusy(true);
    setError(null);
    try {
      await changePassword(session.me, current, next);
      setDone(true);
      setTried(false);
      await queryClient.invalidateQueries({ queryKey: sessionsQuery.queryKey });
    } catch (caught) {
      setError(errorKey(caught, 'password'));
    } finally {
      setCurrent('');
      setNext('');
      setConfirmation('');
      setBusy(false);
    }
  };

  return (
    <Stack gap="xs" maw={420}>
      <Title order={2}>{t('pages.account.changePassword')}</Title>
      <Text size="sm">{t('pages.account.changePasswordNote')}</Text>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          {done && (
            <Alert color="green" variant="light" role="status">
              {t('pages.account.passwordChanged')}
            </Alert>
          )}
          {error && (
            <Alert color="red" variant="light" role="alert">
              {t(`errors.${error}`)}
            </Alert>
          )}
          <PasswordInput
            label={t('pages.account.currentPassword')}
            value={current}
            onChange={(e) => setCurrent(e.currentTarget.value)}
            autoComplete="current-password"
          />
          <PasswordInput
            label={t('enrol.newPassword')}
            value={next}
            onChange={(e) => setNext(e.currentTarget.value)}
            error={
              tried && problem && problem !== 'mismatch'
                ? t(`password.rules.${problem}`, { min: MIN_PASSWORD_LENGTH })
                : undefined
            }
            autoComplete="new-password"
          />
          <PasswordInput
            label={t('enrol.confirmPassword')}
            value={confirmation}
            onChange={(e) => setConfirmation(e.currentTarget.value)}
            error={tried && problem === 'mismatch' ? t('password.rules.mismatch') : undefined}
            autoComplete="new-password"
          />
          <Button type="submit" loading={busy} disabled={!current}>
            {t('pages.account.changePassword')}
          </Button>
        </Stack>
      </form>
    </Stack>
  );
}
