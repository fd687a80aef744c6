import { defineRoute } from './http/route';
import { authRoutes } from './auth/routes';
import { systemRoutes } from './system/routes';
import { caseRoutes } from './cases/routes';
import { auditRoutes } from './audit/routes';
import { reportRoutes } from './reports/routes';
import { retentionRoutes } from './retention/routes';
import { referralRoutes } from './referrals/routes';
import { triageRoutes } from './intake/triage-routes';
import { z } from 'zod';
import {
  AcceptInvitationRequest,
  CreatedInvitation,
  CreateInvitationRequest,
  EnrolledResponse,
  InvitationDetails,
  InvitationIdParams,
  InvitationListResponse,
  LinkTokenRequest,
} from './invitations/invitations';
import { SessionIdParams, SessionListResponse } from './sessions/sessions';
import {
  CertifyUserRequest,
  ChangeRoleRequest,
  UserIdParams,
  UserListResponse,
  UserSummary,
} from './users/users';
import {
  IntakeFollowUpBody,
  IntakeKeyResponse,
  IntakeReceipt,
  IntakeThreadBody,
  IntakeThreadResponse,
  SubmitIntakeBody,
} from './intake/intake';
import { SetupBeginResponse, SetupCompleteRequest, SetupStatusResponse } from './setup/setup';

/**
 * Every route the API serves. Controllers bind to these entries (`@Route(routes.health)`), the
 * OpenAPI document is generated from them, and a test fails if a served route is missing here.
 */
export const routes = {
  // Liveness, readiness and this document (system/routes.ts).
  ...systemRoutes,
  setupStatus: defineRoute({
    method: 'GET',
    path: '/api/setup/status',
    tag: 'setup',
    summary: 'Whether first-run setup is still required',
    response: SetupStatusResponse,
  }),
  setupBegin: defineRoute({
    method: 'POST',
    path: '/api/setup/begin',
    tag: 'setup',
    summary: 'Open the one-time setup link: the first admin id and TOTP enrolment',
    description:
      'Token in the body (never in a URL). 403 when the link is unknown, used or expired, or ' +
      'setup is already complete.',
    body: LinkTokenRequest,
    response: SetupBeginResponse,
    errors: [403, 429],
  }),
  setupComplete: defineRoute({
    method: 'POST',
    path: '/api/setup/complete',
    tag: 'setup',
    summary: 'Create the organisation keys and the first admin in one transaction',
    description:
      'Every key was made in the browser; private halves arrive wrapped. The server checks the ' +
      "certificate chain, the root's signature on the intake key and the TOTP code.",
    status: 201,
    body: SetupCompleteRequest,
    response: EnrolledResponse,
    errors: [403, 409, 503],
  }),
  // Sign-in, unlock, sign-out, the caller and their keys (auth/routes.ts).
  ...authRoutes,
  listSessions: defineRoute({
    method: 'GET',
    path: '/api/sessions',
    tag: 'sessions',
    summary: "The caller's active sessions",
    response: SessionListResponse,
    errors: [401],
  }),
  endSession: defineRoute({
    method: 'DELETE',
    path: '/api/sessions/:sessionId',
    tag: 'sessions',
    summary: "End one of the caller's sessions",
    status: 204,
    params: SessionIdParams,
    response: z.undefined(),
    errors: [401, 403, 404],
  }),
  endAllSessions: defineRoute({
    method: 'DELETE',
    path: '/api/sessions',
    tag: 'sessions',
    summary: 'Sign out everywhere (this session included); answers Clear-Site-Data',
    status: 204,
    response: z.undefined(),
    errors: [401, 403],
  }),
  createInvitation: defineRoute({
    method: 'POST',
    path: '/api/invitations',
    tag: 'invitations',
    summary: 'Invite a person with a role: a one-time link valid for 72 hours',
    status: 201,
    body: CreateInvitationRequest,
    response: CreatedInvitation,
    errors: [401, 403],
  }),
  listInvitations: defineRoute({
    method: 'GET',
    path: '/api/invitations',
    tag: 'invitations',
    summary: 'Invitations not yet accepted and not expired',
    response: InvitationListResponse,
    errors: [401, 403],
  }),
  revokeInvitation: defineRoute({
    method: 'DELETE',
    path: '/api/invitations/:invitationId',
    tag: 'invitations',
    summary: 'Withdraw a pending invitation',
    status: 204,
    params: InvitationIdParams,
    response: z.undefined(),
    errors: [401, 403, 404],
  }),
  inspectInvitation: defineRoute({
    method: 'POST',
    path: '/api/invitations/inspect',
    tag: 'invitations',
    summary: 'Open an invitation link: role, account id, TOTP enrolment, root key',
    description: '403 when the link is unknown, used or expired.',
    body: LinkTokenRequest,
    response: InvitationDetails,
    errors: [403, 429],
  }),
  acceptInvitation: defineRoute({
    method: 'POST',
    path: '/api/invitations/accept',
    tag: 'invitations',
    summary: 'Create the invited account: username, authKey, TOTP code and browser-made keys',
    description: '409 when the username is taken; 403 when the link is unknown, used or expired.',
    status: 201,
    body: AcceptInvitationRequest,
    response: EnrolledResponse,
    errors: [403, 409, 503],
  }),
  listUsers: defineRoute({
    method: 'GET',
    path: '/api/users',
    tag: 'users',
    summary: 'Every account with its role and certification status',
    response: UserListResponse,
    errors: [401, 403],
  }),
  certifyUser: defineRoute({
    method: 'POST',
    path: '/api/users/:userId/certificate',
    tag: 'users',
    summary: "Store the certificate the admin's browser issued after comparing fingerprints",
    params: UserIdParams,
    body: CertifyUserRequest,
    response: UserSummary,
    errors: [401, 403, 404, 409],
  }),
  disableUser: defineRoute({
    method: 'POST',
    path: '/api/users/:userId/disable',
    tag: 'users',
    summary: 'Disable an account: its sessions end at once, its case grants are due for rotation',
    params: UserIdParams,
    response: UserSummary,
    errors: [401, 403, 404, 409],
  }),
  changeRole: defineRoute({
    method: 'PUT',
    path: '/api/users/:userId/role',
    tag: 'users',
    summary: 'Change a role: sessions end and the keys must be certified again for the new role',
    params: UserIdParams,
    body: ChangeRoleRequest,
    response: UserSummary,
    errors: [401, 403, 404, 409],
  }),
  // Anonymous intake: the only prefix the public intake origin proxies. No cookies, no ids in
  // URLs; POSTs carry an Idempotency-Key header (16-128 base64url characters).
  intakeKey: defineRoute({
    method: 'GET',
    path: '/api/intake/key',
    tag: 'intake',
    summary: 'The organisation intake key, signed by the root',
    description: 'Answers 503 until first-run setup has created the organisation keys.',
    response: IntakeKeyResponse,
    errors: [503],
  }),
  submitIntake: defineRoute({
    method: 'POST',
    path: '/api/intake/submissions',
    tag: 'intake',
    summary: 'Submit a sealed intake form',
    description:
      'Requires an Idempotency-Key header: a retry with the same key and body gets the same ' +
      'answer and stores nothing twice; the same key with another body gets 409. Bodies over ' +
      '64 KiB get 413; too many submissions from one address get 429 with Retry-After.',
    status: 201,
    body: SubmitIntakeBody,
    response: IntakeReceipt,
    errors: [409, 413, 429, 503],
  }),
  intakeThread: defineRoute({
    method: 'POST',
    path: '/api/intake/thread',
    tag: 'intake',
    summary: 'Read the replies of an anonymous thread',
    description:
      'POST so that the lookup id stays out of URLs. An unknown lookup id gets the answer of a ' +
      'thread without messages.',
    body: IntakeThreadBody,
    response: IntakeThreadResponse,
    errors: [429],
  }),
  intakeFollowUp: defineRoute({
    method: 'POST',
    path: '/api/intake/thread/messages',
    tag: 'intake',
    summary: 'Send a sealed follow-up to an anonymous thread',
    description:
      'Requires an Idempotency-Key header (as for submissions). When no thread has the lookup ' +
      'id, the follow-up is received as a new submission, so the answer never tells whether ' +
      'a receipt code exists.',
    status: 201,
    body: IntakeFollowUpBody,
    response: IntakeReceipt,
    errors: [409, 413, 429, 503],
  }),
  // Cases and the contact log (docs/cases.md).
  ...caseRoutes,
  // Triage of anonymous intake, and staff replies on its threads (docs/intake.md).
  ...triageRoutes,
  // The audit log, checkpoints and verification (auditors; docs/audit.md).
  ...auditRoutes,
  // Aggregate reports (coordinators and auditors; docs/audit.md).
  ...reportRoutes,
  // Retention settings, purge-now and emergency lockdown (docs/retention.md).
  ...retentionRoutes,
  // Partner directory, share consent, referrals, the board and the assignee view (docs/referrals.md).
  ...referralRoutes,
} as const;

export type Routes = typeof routes;
export type RouteName = keyof Routes;
