import { routes, type ReferralBoardQuery } from '@haven/contracts';
import { ApiError, api } from '../../../api/client';

export const caseReferralsKey = (code: string) => ['referrals', 'case', code] as const;
export const boardKey = (filters: ReferralBoardQuery) => ['referrals', 'board', filters] as const;
export const assignedKey = ['referrals', 'assigned'] as const;

export function fetchCaseReferrals(code: string, signal?: AbortSignal) {
  return api.request(routes.listCaseReferrals, { params: { code }, signal });
}

/** What went wrong with a referral change, as the pages explain it. */
export type ReferralProblem =
  'stale' | 'conflict' | 'notFound' | 'forbidden' | 'tooLarge' | 'other';

export function referralProblemOf(error: unknown): ReferralProblem {
  if (!(error instanceof ApiError)) return 'other';
  if (error.status === 409) {
    return error.code === 'STALE_VERSION' || /changed by someone else/i.test(error.message)
      ? 'stale'
      : 'conflict';
  }
  if (error.status === 404) return 'notFound';
  if (error.status === 403) return 'forbidden';
  if (error.status === 413) return 'tooLarge';
  return 'other';
}
