import { isReferralOverdue, type ReferralStatus } from '@haven/contracts';

/** Today as the API counts days (UTC calendar day, yyyy-mm-dd). */
export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both yyyy-mm-dd). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * How late an open referral is on `day` (the server's "today", so that a browser clock in
 * another time zone does not disagree with the board): days past its due day, or null when it
 * is not overdue (no due day, due today or later, or finished).
 */
export function daysOverdue(
  referral: { status: ReferralStatus; dueOn: string | null },
  day: string,
): number | null {
  if (!isReferralOverdue(referral, day) || referral.dueOn === null) return null;
  return daysBetween(referral.dueOn, day);
}
