import { StaffRole, type MeResponse } from '@haven/contracts';
import type { UserHandle } from '../../crypto';

export type { StaffRole } from '@haven/contracts';

/** Staff roles, from the shared contracts (see DESIGN.md "Who uses it"). */
export const STAFF_ROLES: readonly StaffRole[] = StaffRole.options;

/** Who is looking at the dashboard: a signed-in role, or nobody yet. */
export type Audience = StaffRole | 'anonymous';

/** The caller's keys, unlocked in the crypto worker: the page holds only handles. */
export interface SessionKeys {
  user: UserHandle;
  /** Fingerprint of the caller's own public keys, to read out to the admin. */
  fingerprint: string;
  /** Fingerprint of the organisation root the keys were checked against. */
  rootFingerprint: string;
  /** The org root seed wrapped for this admin (first admin only), to certify other admins. */
  wrappedOrgRootKey: Uint8Array | null;
}

/**
 * Where the dashboard stands. `locked`: the server session is alive (or idle-locked) but no
 * key is in memory: the password is needed, not a full sign-in. A reload always lands here,
 * because keys never outlive the page.
 */
export type Session =
  | { status: 'loading' }
  | { status: 'anonymous' }
  | { status: 'locked'; me: MeResponse }
  | { status: 'signed-in'; role: StaffRole; me: MeResponse; keys: SessionKeys };

export const ANONYMOUS_SESSION: Session = { status: 'anonymous' };

export function audienceOf(session: Session): Audience {
  return session.status === 'signed-in' ? session.role : 'anonymous';
}
