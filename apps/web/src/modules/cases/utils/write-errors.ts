import { ApiError } from '../../../api/client';

/** What went wrong with a write, as the case page explains it. */
export type WriteProblem = 'stale' | 'rotationDue' | 'notFound' | 'tooLarge' | 'conflict' | 'other';

/**
 * A 409 with STALE_VERSION or KEY_VERSION_CHANGED means someone else changed the case: reload.
 * ROTATION_DUE: the key must be rotated first (the page does that, then the write can be
 * retried). Other 409s are rule refusals (an illegal status change, the last two grantees).
 */
export function writeProblemOf(error: unknown): WriteProblem {
  if (!(error instanceof ApiError)) return 'other';
  if (error.status === 409) {
    if (error.code === 'STALE_VERSION' || error.code === 'KEY_VERSION_CHANGED') return 'stale';
    if (error.code === 'ROTATION_DUE') return 'rotationDue';
    return 'conflict';
  }
  if (error.status === 404) return 'notFound';
  if (error.status === 413) return 'tooLarge';
  return 'other';
}
