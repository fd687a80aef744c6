/** Statuses in which a referral still waits for someone (a due date can be missed). */
export const OPEN_STATUSES = [
  'proposed',
  'assigned',
  'declined',
  'accepted',
  'in_progress',
] as const;

/** Today as the API counts days (UTC calendar day, yyyy-mm-dd). */
export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * A referral is overdue when it is still open and its due day has passed (the due day itself
 * is not overdue yet). Days are yyyy-mm-dd strings, which compare correctly as text.
 */
export function isOverdue(
  referral: { status: string; dueOn: string | null },
  day: string = today(),
): boolean {
  if (referral.dueOn === null || referral.dueOn === '') return false;
  if (!(OPEN_STATUSES as readonly string[]).includes(referral.status)) return false;
  return referral.dueOn < day;
}

/** Whole days between the due day and `day` (positive: late by that many days). */
export function daysLate(dueOn: string, day: string = today()): number {
  const ms = Date.parse(`${day}T00:00:00Z`) - Date.parse(`${dueOn}T00:00:00Z`);
  return Math.round(ms / 86_400_000);
}
