import type { StaffRole } from '@haven/contracts';

/** What a feature says about one audited action. No content, no addresses, no usernames. */
export interface AuditEventInput {
  /** Who acted; null for anonymous actions (intake) and failed sign-ins of unknown accounts. */
  actor: { id: string; role: StaffRole } | null;
  /** `area.verb`, e.g. `auth.login`, `case.read`, `intake.submit`. */
  action: string;
  /** The target's code (case code, user id, referral id); never a name or other content. */
  target?: string | null;
  /** `ok`, `denied:<reason>` or `failed:<reason>`. */
  outcome: string;
}

/** The row as stored and hashed (everything but prev_hash and hash). */
export interface AuditEventRecord {
  seq: number;
  day: string;
  actor: string | null;
  role: string | null;
  action: string;
  target: string | null;
  outcome: string;
}

export const AUDIT_ACTION = /^[a-z_]+(\.[a-z_]+)+$/;
export const AUDIT_OUTCOME = /^[a-z_]+(:[a-z_]+)?$/;

/**
 * The object whose canonical JSON is hashed into the chain. Versioned so that the hashed
 * shape can change without rewriting history.
 */
export function hashedAuditEvent(e: AuditEventRecord): Record<string, string | number | null> {
  return {
    v: 1,
    seq: e.seq,
    day: e.day,
    actor: e.actor,
    role: e.role,
    action: e.action,
    target: e.target,
    outcome: e.outcome,
  };
}
