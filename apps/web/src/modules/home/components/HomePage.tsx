import { Alert, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import { useSession } from '../../auth/hooks/useSession';
import { useDocumentTitle } from '../../system/hooks/useDocumentTitle';

/** The signed-in start page; its per-role content arrives with the features. */
export function HomePage() {
  const { t } = useTranslation();
  const session = useSession();
  const title = t('pages.home.title');
  useDocumentTitle(title);
  const me = session.status === 'signed-in' ? session.me : null;
  // A partner's shell is their referral list alone.
  if (session.status === 'signed-in' && session.role === 'partner') {
    return <Navigate to="/referrals" replace />;
  }
  return (
    <Stack gap="sm">
      <Title order={1}>{title}</Title>
      <Text>
        {me
          ? t('pages.home.welcome', {
              username: me.user.username,
              role: t(`roles.${me.user.role}`),
            })
          : t('pages.home.body')}
      </Text>
      {me && !me.user.certified && (
        <Alert color="yellow" variant="light">
          {t('pages.home.uncertified')}
        </Alert>
      )}
    </Stack>
  );
}
