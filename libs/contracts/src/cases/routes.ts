import { defineRoute } from '../http/route';
import {
  AccessChangeResponse,
  AssignCaseRequest,
  CaseCodeParams,
  CaseDetail,
  CaseEntryParams,
  CaseGrantParams,
  CaseListQuery,
  CaseListResponse,
  CaseVersionResponse,
  ChangeStatusRequest,
  ChangeStatusResponse,
  CreateCaseRequest,
  CreateCaseResponse,
  CreateEntryRequest,
  DuplicateCheckRequest,
  DuplicateCheckResponse,
  EntryVersionResponse,
  FollowUpsResponse,
  IndexKeyGrantsRequest,
  IndexKeyGrantsResponse,
  IndexKeyResponse,
  RotateCaseRequest,
  ShareCaseRequest,
  StaffDirectoryQuery,
  StaffDirectoryResponse,
  UpdateCaseRequest,
  UpdateEntryRequest,
} from './cases';

const notFound =
  'A case the caller may not reach answers 404 exactly like a case that does not exist.';
const stale = 'A stale `expectedVersion` answers 409 and writes nothing.';
const content =
  'Envelopes must be at the case’s current key version (else 409: rotate first), well formed ' +
  '(else 400) and at most 262,190 bytes (else 413). While a rotation is due, content writes ' +
  'answer 409.';

/** Routes of the cases feature; spread into the registry in ../routes.ts. */
export const caseRoutes = {
  listCases: defineRoute({
    method: 'GET',
    path: '/api/cases',
    tag: 'cases',
    summary: 'My cases, or (coordinators) all cases: keyset-paginated, newest change first',
    description:
      'Each item carries the summary record and the caller’s grant where the caller holds one; ' +
      'coordinators see metadata of every case with `scope=all`.',
    query: CaseListQuery,
    response: CaseListResponse,
    errors: [403],
  }),
  createCase: defineRoute({
    method: 'POST',
    path: '/api/cases',
    tag: 'cases',
    summary: 'Open a case: encrypted profile and summary, grants to ≥ 2 people, blind indexes',
    description: `One transaction; the server picks the case code. ${content}`,
    status: 201,
    body: CreateCaseRequest,
    response: CreateCaseResponse,
    errors: [409, 413],
  }),
  checkDuplicates: defineRoute({
    method: 'POST',
    path: '/api/cases/duplicates',
    tag: 'cases',
    summary: 'Is there a case with this phone or handle blind index?',
    body: DuplicateCheckRequest,
    response: DuplicateCheckResponse,
  }),
  getCase: defineRoute({
    method: 'GET',
    path: '/api/cases/:code',
    tag: 'cases',
    summary: 'A case: metadata, the caller’s grant, profile, timeline and who holds a grant',
    description: `Audited as a case read. ${notFound}`,
    params: CaseCodeParams,
    response: CaseDetail,
    errors: [404],
  }),
  updateCase: defineRoute({
    method: 'PATCH',
    path: '/api/cases/:code',
    tag: 'cases',
    summary: 'Edit the priority and/or the encrypted profile and summary',
    description: `${stale} ${content} ${notFound}`,
    params: CaseCodeParams,
    body: UpdateCaseRequest,
    response: CaseVersionResponse,
    errors: [404, 409, 413],
  }),
  changeCaseStatus: defineRoute({
    method: 'POST',
    path: '/api/cases/:code/status',
    tag: 'cases',
    summary: 'Move a case along new → active → referred → closed (reopen with a reason)',
    description: `An illegal change answers 409. ${stale} ${notFound}`,
    params: CaseCodeParams,
    body: ChangeStatusRequest,
    response: ChangeStatusResponse,
    errors: [404, 409, 413],
  }),
  createCaseEntry: defineRoute({
    method: 'POST',
    path: '/api/cases/:code/entries',
    tag: 'cases',
    summary: 'Log a contact (encrypted), with an optional follow-up day',
    description: `${content} ${notFound}`,
    status: 201,
    params: CaseCodeParams,
    body: CreateEntryRequest,
    response: EntryVersionResponse,
    errors: [404, 409, 413],
  }),
  updateCaseEntry: defineRoute({
    method: 'PUT',
    path: '/api/cases/:code/entries/:entryId',
    tag: 'cases',
    summary: 'Edit a logged contact and its follow-up day',
    description: `${stale} ${content} ${notFound}`,
    params: CaseEntryParams,
    body: UpdateEntryRequest,
    response: EntryVersionResponse,
    errors: [404, 409, 413],
  }),
  shareCase: defineRoute({
    method: 'POST',
    path: '/api/cases/:code/grants',
    tag: 'cases',
    summary: 'Share with a colleague: the case key sealed to them, with a reason',
    description: notFound,
    status: 201,
    params: CaseCodeParams,
    body: ShareCaseRequest,
    response: AccessChangeResponse,
    errors: [404, 409, 413],
  }),
  revokeCaseGrant: defineRoute({
    method: 'DELETE',
    path: '/api/cases/:code/grants/:userId',
    tag: 'cases',
    summary: 'Remove someone’s grant at once; the key must then be rotated',
    description:
      'Coordinators holding a grant. The supervisor’s grant cannot be removed, and at least two ' +
      `grantees always remain (409). ${notFound}`,
    params: CaseGrantParams,
    response: AccessChangeResponse,
    errors: [403, 404, 409],
  }),
  assignCase: defineRoute({
    method: 'POST',
    path: '/api/cases/:code/assignment',
    tag: 'cases',
    summary: 'Assign or reassign the case (coordinators)',
    description:
      'A new assignee without a grant needs one in the same request, sealed by the caller. ' +
      `Removing the previous assignee is a separate revoke + rotation. ${notFound}`,
    params: CaseCodeParams,
    body: AssignCaseRequest,
    response: AccessChangeResponse,
    errors: [403, 404, 409, 413],
  }),
  rotateCase: defineRoute({
    method: 'POST',
    path: '/api/cases/:code/rotation',
    tag: 'cases',
    summary:
      'Commit a key rotation: every record re-encrypted, the new key sealed to every grantee',
    description:
      'Refused (409) unless it covers every entry, every remaining grantee and every ' +
      'referral item under the case key at fromVersion (reasons, staff notes, packet key ' +
      `wraps, override reasons), exactly, at fromVersion + 1. Bodies up to 32 MiB. ${notFound}`,
    params: CaseCodeParams,
    body: RotateCaseRequest,
    response: AccessChangeResponse,
    errors: [404, 409, 413],
  }),
  followUps: defineRoute({
    method: 'GET',
    path: '/api/follow-ups',
    tag: 'cases',
    summary: 'My follow-ups: overdue, and due within seven days',
    response: FollowUpsResponse,
  }),
  indexKey: defineRoute({
    method: 'GET',
    path: '/api/index-key',
    tag: 'cases',
    summary: 'The caller’s grant of the organisation blind-index key',
    response: IndexKeyResponse,
  }),
  grantIndexKey: defineRoute({
    method: 'POST',
    path: '/api/index-key/grants',
    tag: 'cases',
    summary: 'Create the blind-index key (first coordinator) or seal it to colleagues',
    body: IndexKeyGrantsRequest,
    response: IndexKeyGrantsResponse,
    errors: [409],
  }),
  staffDirectory: defineRoute({
    method: 'GET',
    path: '/api/directory/staff',
    tag: 'cases',
    summary: 'Certified caseworkers and coordinators with their certificate chains',
    description:
      'Who a case can be shared with or assigned to, and whose grant signatures to trust. ' +
      'Uncertified accounts are left out; disabled ones are marked inactive. The browser ' +
      'verifies every chain against its pinned root before using a key.',
    query: StaffDirectoryQuery,
    response: StaffDirectoryResponse,
  }),
} as const;

/** Route names whose path names a case: the guard resolves the caller's relation to it. */
export const CASE_SCOPED_ROUTES = [
  'getCase',
  'updateCase',
  'changeCaseStatus',
  'createCaseEntry',
  'updateCaseEntry',
  'shareCase',
  'revokeCaseGrant',
  'assignCase',
  'rotateCase',
] as const satisfies readonly (keyof typeof caseRoutes)[];
