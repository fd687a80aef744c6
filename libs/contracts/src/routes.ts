import { defineRoute } from './http/route';
import { caseRoutes } from './cases/routes';
import { auditRoutes } from './audit/routes';
import { reportRoutes } from './reports/routes';
import { retentionRoutes } from './retention/routes';
import { referralRoutes } from './referrals/routes';
import { triageRoutes } from './intake/triage-routes';
import {
  ChangePasswordRequest,
  KeysResponse,
  LoginRequest,
  MeResponse,
  PreloginRequest,
  PreloginResponse,
  UnlockRequest,
} from './auth/auth';
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
import { HealthResponse, OpenApiDocument, ReadyResponse } from './system/system';

/**
 * Every route the API serves. Controllers bind to these entries (`@Route(routes.health)`), the
 * OpenAPI document is generated from them, and a test fails if a served route is missing here.
 */
export const routes = {
  health: defineRoute({
    method: 'GET',
    path: '/api/health',
    tag: 'system',
    summary: 'Liveness: the process answers',
    response: HealthResponse,
  }),
  ready: defineRoute({
    method: 'GET',
    path: '/api/ready',
    tag: 'system',
    summary: 'Readiness: the database is reachable',
    response: ReadyResponse,
    errors: [503],
  }),
  docs: defineRoute({
    method: 'GET',
    path: '/api/docs',
    tag: 'system',
    summary: 'This OpenAPI document',
    response: OpenApiDocument,
  }),
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
  prelogin: defineRoute({
    method: 'POST',
    path: '/api/auth/prelogin',
    tag: 'auth',
    summary: 'KDF parameters and salt for a username (the same kind of answer for unknown names)',
    body: PreloginRequest,
    response: PreloginResponse,
  }),
  login: defineRoute({
    method: 'POST',
    path: '/api/auth/login',
    tag: 'auth',
    summary: 'Sign in with authKey and a TOTP code; sets the session cookie',
    description:
      'Wrong username, authKey or code, and a replayed code, all answer the same 401. Too many ' +
      'failures answer 429 with Retry-After; a full verification queue answers 503 with ' +
      'Retry-After.',
    body: LoginRequest,
    response: MeResponse,
    errors: [401, 403, 429, 503],
  }),
  unlock: defineRoute({
    method: 'POST',
    path: '/api/auth/unlock',
    tag: 'auth',
    summary: 'Revive an idle-locked session with the password-derived authKey (no TOTP)',
    body: UnlockRequest,
    response: MeResponse,
    errors: [401, 403, 429, 503],
  }),
  logout: defineRoute({
    method: 'POST',
    path: '/api/auth/logout',
    tag: 'auth',
    summary: 'End this session; answers Clear-Site-Data',
    status: 204,
    response: z.undefined(),
    errors: [401, 403],
  }),
  me: defineRoute({
    method: 'GET',
    path: '/api/auth/me',
    tag: 'auth',
    summary: 'The signed-in user and session (also answers for an idle-locked session)',
    response: MeResponse,
    errors: [401],
  }),
  myKeys: defineRoute({
    method: 'GET',
    path: '/api/auth/keys',
    tag: 'auth',
    summary: "The caller's wrapped keys, certificate chain and organisation public keys",
    response: KeysResponse,
    errors: [401],
  }),
  changePassword: defineRoute({
    method: 'POST',
    path: '/api/auth/password',
    tag: 'auth',
    summary: 'Change password: new authKey and the re-wrapped user key; ends other sessions',
    status: 204,
    body: ChangePasswordRequest,
    response: z.undefined(),
    errors: [401, 403, 429, 503],
  }),
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
