import { Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { NotFoundPage } from '../../system/components/NotFoundPage';
import { useSession } from '../hooks/useSession';
import { audienceOf, type Audience } from '../utils/roles';
import { LockScreen } from './LockScreen';

interface RequireAudienceProps {
  audience: readonly Audience[];
  children: ReactNode;
}

/**
 * Deny by default in the UI too: anonymous visitors are sent to sign in; a signed-in role
 * that may not see the page gets "not found", which says nothing about what exists there; a
 * locked session sees the lock screen wherever it is. (The API enforces the same rules; this
 * only keeps the UI honest.)
 */
export function RequireAudience({ audience, children }: RequireAudienceProps) {
  const { t } = useTranslation();
  const session = useSession();
  const location = useLocation();
  if (session.status === 'loading') {
    return (
      <Center py="xl">
        <Loader aria-label={t('auth.checkingSession')} />
      </Center>
    );
  }
  if (session.status === 'locked') return <LockScreen />;
  const who = audienceOf(session);
  if (audience.includes(who)) return children;
  if (who === 'anonymous')
    return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  return <NotFoundPage />;
}
