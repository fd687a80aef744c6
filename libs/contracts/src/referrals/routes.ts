import { defineRoute } from '../http/route';
import { CaseCodeParams } from '../cases/cases';
import {
  CreatePartnerRequest,
  PartnerIdParams,
  PartnerListResponse,
  PartnerMembersResponse,
  PartnerOrg,
  UpdatePartnerRequest,
} from './partners';
import {
  AssignedReferral,
  AssignedReferralListResponse,
  AssigneeTransitionRequest,
  AssignReferralRequest,
  CaseReferralsResponse,
  ConsentResponse,
  ProposeReferralRequest,
  RecordConsentRequest,
  ReferralBoardQuery,
  ReferralBoardResponse,
  ReferralIdParams,
  ReferralVersionResponse,
  RejectReferralRequest,
  StaffTransitionRequest,
} from './referrals';

const caseNotFound =
  'A case the caller may not reach answers 404 exactly like a case that does not exist.';
const referralNotFound =
  'A referral the caller may not see answers 404 exactly like one that does not exist; a ' +
  'caller who may see it but not make this change gets 403.';
const machine =
  'A change the state machine does not allow answers 409 "A referral that is <from> cannot ' +
  'become <to>"; a stale `expectedVersion` answers 409. Nothing is written on any refusal.';
const assigneeNotFound =
  'Only referrals assigned to the caller (their partner organisation, or them as an internal ' +
  'caseworker) with a live, unexpired packet grant for them; any other id answers 404 exactly ' +
  'like one that does not exist.';

/** Partner directory, consent, referrals, board and the assignee view (docs/referrals.md). */
export const referralRoutes = {
  listPartners: defineRoute({
    method: 'GET',
    path: '/api/partners',
    tag: 'partners',
    summary: 'The partner directory (admins and coordinators)',
    response: PartnerListResponse,
    errors: [401, 403],
  }),
  createPartner: defineRoute({
    method: 'POST',
    path: '/api/partners',
    tag: 'partners',
    summary: 'Add a partner organisation',
    status: 201,
    body: CreatePartnerRequest,
    response: PartnerOrg,
    errors: [401, 403],
  }),
  updatePartner: defineRoute({
    method: 'PUT',
    path: '/api/partners/:partnerId',
    tag: 'partners',
    summary: 'Edit a partner organisation, or deactivate it (`active: false`)',
    params: PartnerIdParams,
    body: UpdatePartnerRequest,
    response: PartnerOrg,
    errors: [401, 403, 404],
  }),
  listPartnerMembers: defineRoute({
    method: 'GET',
    path: '/api/partners/:partnerId/members',
    tag: 'partners',
    summary: 'Partner users of an organisation, with certificate chains for sealing packets',
    params: PartnerIdParams,
    response: PartnerMembersResponse,
    errors: [401, 403, 404],
  }),
  recordShareConsent: defineRoute({
    method: 'PUT',
    path: '/api/cases/:code/consent',
    tag: 'referrals',
    summary: 'Record that the person consented to sharing with partners',
    description: `Case grantees. Audited as case.consent. ${caseNotFound}`,
    params: CaseCodeParams,
    body: RecordConsentRequest,
    response: ConsentResponse,
    errors: [404],
  }),
  withdrawShareConsent: defineRoute({
    method: 'DELETE',
    path: '/api/cases/:code/consent',
    tag: 'referrals',
    summary: 'Withdraw the recorded consent to share (new packets then need an override)',
    description: `Case grantees. Audited as case.consent. ${caseNotFound}`,
    params: CaseCodeParams,
    response: ConsentResponse,
    errors: [404],
  }),
  listCaseReferrals: defineRoute({
    method: 'GET',
    path: '/api/cases/:code/referrals',
    tag: 'referrals',
    summary: 'The referrals of a case with their transitions, notes and packets (ciphertext)',
    description: `Case grantees. ${caseNotFound}`,
    params: CaseCodeParams,
    response: CaseReferralsResponse,
    errors: [404],
  }),
  proposeReferral: defineRoute({
    method: 'POST',
    path: '/api/cases/:code/referrals',
    tag: 'referrals',
    summary: 'Propose a referral: service, urgency, due day, encrypted reason, fields to share',
    description:
      'Case grantees (caseworkers and coordinators). The reason must be at the case’s current ' +
      `key version (else 409). ${caseNotFound}`,
    status: 201,
    params: CaseCodeParams,
    body: ProposeReferralRequest,
    response: ReferralVersionResponse,
    errors: [404, 409, 413],
  }),
  referralBoard: defineRoute({
    method: 'GET',
    path: '/api/referrals',
    tag: 'referrals',
    summary: 'The coordinator board: every referral’s metadata, counts by status, filters',
    query: ReferralBoardQuery,
    response: ReferralBoardResponse,
    errors: [401, 403],
  }),
  assignReferral: defineRoute({
    method: 'POST',
    path: '/api/referrals/:referralId/assignment',
    tag: 'referrals',
    summary: 'Approve and assign (or re-assign after a decline) with a new sealed packet',
    description:
      'Coordinators holding a grant on the case. Consent basis `consent` needs the case’s ' +
      'share consent recorded (else 409); `override` needs a written reason. The packet must be ' +
      'sealed to every certified, enabled member of an active partner organisation (or to the ' +
      `internal caseworker) and to no one else (else 409). ${machine} ${referralNotFound}`,
    params: ReferralIdParams,
    body: AssignReferralRequest,
    response: ReferralVersionResponse,
    errors: [403, 404, 409, 413],
  }),
  rejectReferral: defineRoute({
    method: 'POST',
    path: '/api/referrals/:referralId/rejection',
    tag: 'referrals',
    summary: 'Reject a proposed referral, with a reason (coordinators)',
    description: `${machine} ${referralNotFound}`,
    params: ReferralIdParams,
    body: RejectReferralRequest,
    response: ReferralVersionResponse,
    errors: [403, 404, 409, 413],
  }),
  revokeReferral: defineRoute({
    method: 'POST',
    path: '/api/referrals/:referralId/revocation',
    tag: 'referrals',
    summary: 'Revoke an assigned referral: the assignee’s packet grants are deleted at once',
    description: `Coordinators. ${machine} ${referralNotFound}`,
    params: ReferralIdParams,
    body: StaffTransitionRequest,
    response: ReferralVersionResponse,
    errors: [403, 404, 409, 413],
  }),
  cancelReferral: defineRoute({
    method: 'POST',
    path: '/api/referrals/:referralId/cancellation',
    tag: 'referrals',
    summary: 'Cancel a referral (the proposer while proposed; coordinators): grants deleted',
    description: `${machine} ${referralNotFound}`,
    params: ReferralIdParams,
    body: StaffTransitionRequest,
    response: ReferralVersionResponse,
    errors: [403, 404, 409, 413],
  }),
  listAssignedReferrals: defineRoute({
    method: 'GET',
    path: '/api/partner/referrals',
    tag: 'partner',
    summary: 'Referrals assigned to me or my organisation, with my packet grant and the packet',
    description:
      'Partner users (their organisation’s referrals) and caseworkers (referrals assigned to ' +
      'them). Only referrals with a live, unexpired packet grant for the caller.',
    response: AssignedReferralListResponse,
    errors: [401, 403],
  }),
  getAssignedReferral: defineRoute({
    method: 'GET',
    path: '/api/partner/referrals/:referralId',
    tag: 'partner',
    summary: 'One referral assigned to me or my organisation: packet, grant, transitions',
    description: `Audited as a packet read. ${assigneeNotFound}`,
    params: ReferralIdParams,
    response: AssignedReferral,
    errors: [401, 403, 404],
  }),
  transitionAssignedReferral: defineRoute({
    method: 'POST',
    path: '/api/partner/referrals/:referralId/transitions',
    tag: 'partner',
    summary: 'Accept, decline (reason), start, complete or fail (outcome) an assigned referral',
    description:
      'Notes are packet notes under the current packet key. Completing, failing or declining ' +
      `deletes the packet grants. ${machine} ${assigneeNotFound}`,
    params: ReferralIdParams,
    body: AssigneeTransitionRequest,
    response: ReferralVersionResponse,
    errors: [401, 403, 404, 409, 413],
  }),
} as const;

/** Referral route names whose path names a case: the guard resolves the caller's relation. */
export const REFERRAL_CASE_SCOPED_ROUTES = [
  'recordShareConsent',
  'withdrawShareConsent',
  'listCaseReferrals',
  'proposeReferral',
] as const satisfies readonly (keyof typeof referralRoutes)[];

export type ReferralRouteName = keyof typeof referralRoutes;
