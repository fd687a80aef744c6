import { StaffRole } from '@haven/contracts';

export type { StaffRole } from '@haven/contracts';

/** Staff roles, from the shared contracts (see DESIGN.md "Who uses it"). */
export const STAFF_ROLES: readonly StaffRole[] = StaffRole.options;

/** Who is looking at the dashboard: a signed-in role, or nobody yet. */
export type Audience = StaffRole | 'anonymous';

export type Session = { status: 'anonymous' } | { status: 'signed-in'; role: StaffRole };

export const ANONYMOUS_SESSION: Session = { status: 'anonymous' };

export function audienceOf(session: Session): Audience {
  return session.status === 'signed-in' ? session.role : 'anonymous';
}
