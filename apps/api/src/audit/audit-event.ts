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
  /**
   * `HH:MM` (UTC), or null. Staff activity carries the minute, which the anomaly flags need
   * (reads per hour, unusual hours, failed sign-ins per 15 minutes); events of anonymous people
   * keep the day only, like every other table about them (docs/audit.md, "Time of day").
   */
  time: string | null;
  actor: string | null;
  role: string | null;
  action: string;
  target: string | null;
  outcome: string;
}

export const AUDIT_ACTION = /^[a-z_]+(\.[a-z_]+)+$/;
export const AUDIT_OUTCOME = /^[a-z_]+(:[a-z_]+)?$/;

/**
 * Actions of people without an account (the intake). Their events record the day only: the
 * minute a submission arrived could be matched against someone's observed connection.
 */
const DAY_ONLY_ACTIONS = /^intake\./;

export function recordsTimeOfDay(action: string): boolean {
  return !DAY_ONLY_ACTIONS.test(action);
}

/** The day and (where recorded) the minute of `now`, both UTC. */
export function eventClock(action: string, now: Date): { day: string; time: string | null } {
  const iso = now.toISOString();
  return { day: iso.slice(0, 10), time: recordsTimeOfDay(action) ? iso.slice(11, 16) : null };
}

/**
 * The object whose canonical JSON is hashed into the chain. Versioned so that the hashed shape
 * can change without rewriting history: v1 (day only) is what every event without a minute
 * hashes as, v2 adds the minute. The version follows from the row itself (time null or not),
 * so a verifier needs no extra column, and blanking or adding a minute breaks the hash.
 */
export function hashedAuditEvent(e: AuditEventRecord): Record<string, string | number | null> {
  // Keys written in canonical (sorted) order: canonicalJson sorts them anyway, and an object
  // built already sorted is cheaper to canonicalise, which verification does a million times.
  if (e.time === null) {
    return {
      action: e.action,
      actor: e.actor,
      day: e.day,
      outcome: e.outcome,
      role: e.role,
      seq: e.seq,
      target: e.target,
      v: 1,
    };
  }
  return {
    action: e.action,
    actor: e.actor,
    day: e.day,
    outcome: e.outcome,
    role: e.role,
    seq: e.seq,
    target: e.target,
    time: e.time,
    v: 2,
  };
}
