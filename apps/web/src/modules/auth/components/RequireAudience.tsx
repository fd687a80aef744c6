import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { NotFoundPage } from '../../system/components/NotFoundPage';
import { useSession } from '../hooks/useSession';
import { audienceOf, type Audience } from '../utils/roles';

interface RequireAudienceProps {
  audience: readonly Audience[];
  children: ReactNode;
}

/**
 * Deny by default in the UI too: anonymous visitors are sent to sign in; a signed-in role
 * that may not see the page gets "not found", which says nothing about what exists there.
 * (The API enforces the same rules; this only keeps the UI honest.)
 */
export function RequireAudience({ audience, children }: RequireAudienceProps) {
  const session = useSession();
  const location = useLocation();
  const who = audienceOf(session);
  if (audience.includes(who)) return children;
  if (who === 'anonymous')
    return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  return <NotFoundPage />;
}
