import { useSession } from '../../auth/hooks/useSession';
import { AssignedReferralsPage } from './AssignedReferralsPage';
import { ReferralBoard } from './ReferralBoard';

/**
 * "Referrals" in the menu: the board for coordinators; for partner users and caseworkers, the
 * referrals assigned to them ("Referrals for me").
 */
export function ReferralsPage() {
  const session = useSession();
  if (session.status === 'signed-in' && session.role === 'coordinator') return <ReferralBoard />;
  return <AssignedReferralsPage />;
}
