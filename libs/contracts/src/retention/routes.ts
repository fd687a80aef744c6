import { CaseCodeParams } from '../cases/cases';
import { defineRoute } from '../http/route';
import {
  EnterLockdownBody,
  LockdownStatus,
  PurgeDone,
  PurgeRequestBody,
  PurgeRequestListResponse,
  PurgeRequestParams,
  PurgeRequestSummary,
  RetentionResponse,
  RetentionSettings,
} from './retention';

/** Retention, purge-now and lockdown (docs/retention.md); spread into ../routes.ts. */
export const retentionRoutes = {
  getRetention: defineRoute({
    method: 'GET',
    path: '/api/retention',
    tag: 'retention',
    summary: 'The retention settings (admins)',
    response: RetentionResponse,
    errors: [401, 403],
  }),
  updateRetention: defineRoute({
    method: 'PUT',
    path: '/api/retention',
    tag: 'retention',
    summary: 'Change the retention settings (admins; audited as retention.update)',
    body: RetentionSettings,
    response: RetentionResponse,
    errors: [401, 403],
  }),
  requestCasePurge: defineRoute({
    method: 'POST',
    path: '/api/cases/:code/purge-request',
    tag: 'retention',
    summary: 'Ask for a case to be purged now; another coordinator must confirm within 24 h',
    description:
      'Coordinators holding a grant on the case. 409 when a request for the case is already ' +
      'waiting.',
    status: 201,
    params: CaseCodeParams,
    body: PurgeRequestBody,
    response: PurgeRequestSummary,
    errors: [401, 403, 404, 409],
  }),
  listPurgeRequests: defineRoute({
    method: 'GET',
    path: '/api/purge-requests',
    tag: 'retention',
    summary: 'Purge requests waiting for a second coordinator (unexpired)',
    response: PurgeRequestListResponse,
    errors: [401, 403],
  }),
  confirmPurgeRequest: defineRoute({
    method: 'POST',
    path: '/api/purge-requests/:requestId/confirm',
    tag: 'retention',
    summary: 'Confirm a purge request: the case is crypto-shredded at once',
    description:
      'A coordinator other than the one who asked. 409 when the caller made the request or it ' +
      'expired; 404 when there is no such request.',
    params: PurgeRequestParams,
    response: PurgeDone,
    errors: [401, 403, 404, 409],
  }),
  getLockdown: defineRoute({
    method: 'GET',
    path: '/api/lockdown',
    tag: 'retention',
    summary: 'Whether Haven is in emergency lockdown (admins)',
    response: LockdownStatus,
    errors: [401, 403],
  }),
  enterLockdown: defineRoute({
    method: 'POST',
    path: '/api/lockdown',
    tag: 'retention',
    summary: 'Enter emergency lockdown: every other session ends, only admins can sign in',
    body: EnterLockdownBody,
    response: LockdownStatus,
    errors: [401, 403, 409],
  }),
  liftLockdown: defineRoute({
    method: 'DELETE',
    path: '/api/lockdown',
    tag: 'retention',
    summary: 'Lift emergency lockdown',
    response: LockdownStatus,
    errors: [401, 403, 409],
  }),
} as const;

export type RetentionRoutes = typeof retentionRoutes;
