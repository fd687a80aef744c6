/**
 * The referral state machine (docs/referrals.md), pure: no I/O. The table itself lives in the
 * shared contracts (REFERRAL_TRANSITIONS) so the dashboard offers only legal buttons; this
 * module is what the server decides with. Order of checks: an illegal change is a 409 whoever
 * asks; a legal change asked by someone whose part it is not is a 403 (callers who may not see
 * the referral at all never get here: they get the 404 of a referral that does not exist).
 */
import {
  REFERRAL_NOTE_REQUIRED,
  REFERRAL_STATUSES,
  REFERRAL_TRANSITIONS,
  referralTransitionMessage,
  type ReferralActor,
  type ReferralStatus,
} from '@haven/contracts';

export type TransitionDecision =
  { ok: true; noteRequired: boolean } | { ok: false; status: 409 | 403; message: string };

const ACTOR_NAMES: Readonly<Record<ReferralActor, string>> = {
  coordinator: 'a coordinator',
  proposer: 'the caseworker who proposed it',
  assignee: 'the assignee',
};

export function isReferralStatus(value: unknown): value is ReferralStatus {
  return typeof value === 'string' && (REFERRAL_STATUSES as readonly string[]).includes(value);
}

/** Whether `from → to` is in the table at all (for anyone). */
export function isLegalTransition(from: ReferralStatus, to: ReferralStatus): boolean {
  return REFERRAL_TRANSITIONS[from][to] !== undefined;
}

/** Who may make `from → to`; empty when the change is illegal. */
export function actorsFor(from: ReferralStatus, to: ReferralStatus): readonly ReferralActor[] {
  return REFERRAL_TRANSITIONS[from][to] ?? [];
}

/**
 * Decides a change asked for by a caller who is each of `actors` with respect to the referral
 * (a coordinator, its proposer, its assignee: possibly several, possibly none).
 */
export function decideTransition(
  from: ReferralStatus,
  to: ReferralStatus,
  actors: readonly ReferralActor[],
): TransitionDecision {
  const allowed = REFERRAL_TRANSITIONS[from][to];
  if (allowed === undefined) {
    return { ok: false, status: 409, message: referralTransitionMessage(from, to) };
  }
  if (!allowed.some((a) => actors.includes(a))) {
    const who = allowed.map((a) => ACTOR_NAMES[a]).join(' or ');
    return {
      ok: false,
      status: 403,
      message: `Only ${who} can make a ${from} referral ${to}`,
    };
  }
  return { ok: true, noteRequired: REFERRAL_NOTE_REQUIRED.includes(to) };
}

/** The audit verb of a transition: `referral.<verb>`. */
export const TRANSITION_VERB: Readonly<Record<ReferralStatus, string>> = {
  proposed: 'propose',
  assigned: 'assign',
  accepted: 'accept',
  declined: 'decline',
  in_progress: 'start',
  completed: 'complete',
  failed: 'fail',
  rejected: 'reject',
  cancelled: 'cancel',
  revoked: 'revoke',
};

/** Reaching these ends the assignee's access: the packet grants are deleted in the same write. */
export const ENDS_PACKET_ACCESS: readonly ReferralStatus[] = [
  'declined',
  'completed',
  'failed',
  'cancelled',
  'revoked',
];
