import { Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useSession, useSessionActions } from '../hooks/useSession';

/** Header controls: who is signed in, "Lock now", "Sign out". */
export function SessionMenu() {
  const { t } = useTranslation();
  const session = useSession();
  const actions = useSessionActions();
  const navigate = useNavigate();
  if (session.status !== 'signed-in' && session.status !== 'locked') return null;

  const signOut = async () => {
    await actions.signOut();
    await navigate('/sign-in', { replace: true });
  };

  return (
    <Group gap="xs" wrap="nowrap">
      <Text size="sm" visibleFrom="sm" data-testid="signed-in-user">
        {session.me.user.username}
      </Text>
      {session.status === 'signed-in' && (
        <Button size="xs" variant="light" onClick={() => void actions.lock()}>
          {t('auth.lockNow')}
        </Button>
      )}
      <Button size="xs" variant="subtle" onClick={() => void signOut()}>
        {t('auth.signOut')}
      </Button>
    </Group>
  );
}
