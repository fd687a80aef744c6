import { defineRoute } from '../http/route';
import { CaseCodeParams } from '../cases/cases';
import {
  ApproveIntakeRotationRequest,
  CaseReplyRequest,
  CaseReplyResponse,
  CaseThreadsResponse,
  DiscardSubmissionRequest,
  FileFollowUpRequest,
  FollowUpIdParams,
  IntakeKeyGrantsRequest,
  IntakeKeyGrantsResponse,
  IntakeKeyStatus,
  IntakeRotationPending,
  IntakeRotationResponse,
  LinkSubmissionRequest,
  ProposeIntakeRotationRequest,
  SubmissionIdParams,
  TriageDone,
  TriageQueueResponse,
} from './triage';

const gone = 'A submission or follow-up that was triaged meanwhile answers 404.';
const caseNotFound =
  'A case the caller holds no grant for answers 404 exactly like a case that does not exist.';

/** Triage and the staff side of anonymous threads; spread into the registry in ../routes.ts. */
export const triageRoutes = {
  triageQueue: defineRoute({
    method: 'GET',
    path: '/api/triage/queue',
    tag: 'triage',
    summary: 'Sealed submissions (most urgent, then oldest first) and follow-ups to file',
    description: 'Coordinators only; audited as `intake.read`.',
    response: TriageQueueResponse,
    errors: [403],
  }),
  linkSubmission: defineRoute({
    method: 'POST',
    path: '/api/triage/submissions/:submissionId/case',
    tag: 'triage',
    summary: 'Convert a submission into a case (just opened) or merge it into one',
    description:
      'One transaction: the content as a case entry, the thread linked to the case, the ' +
      `submission deleted, the audit event. ${gone} ${caseNotFound} A thread already linked ` +
      'to another case answers 409.',
    params: SubmissionIdParams,
    body: LinkSubmissionRequest,
    response: TriageDone,
    errors: [403, 404, 409, 413],
  }),
  discardSubmission: defineRoute({
    method: 'POST',
    path: '/api/triage/submissions/:submissionId/discard',
    tag: 'triage',
    summary: 'Delete a submission, as spam or without a case',
    description: `Audited as \`intake.spam\` or \`intake.delete\`. ${gone}`,
    params: SubmissionIdParams,
    body: DiscardSubmissionRequest,
    response: TriageDone,
    errors: [403, 404],
  }),
  fileFollowUp: defineRoute({
    method: 'POST',
    path: '/api/triage/follow-ups/:messageId/file',
    tag: 'triage',
    summary: "File the person's follow-up into its case as an entry; the sealed copy is deleted",
    description: `${gone} ${caseNotFound}`,
    params: FollowUpIdParams,
    body: FileFollowUpRequest,
    response: TriageDone,
    errors: [403, 404, 409, 413],
  }),
  intakeKeyStatus: defineRoute({
    method: 'GET',
    path: '/api/triage/intake-key',
    tag: 'triage',
    summary: "The intake key: the caller's grant and coordinators who still lack one",
    response: IntakeKeyStatus,
    errors: [403, 503],
  }),
  grantIntakeKey: defineRoute({
    method: 'POST',
    path: '/api/triage/intake-key/grants',
    tag: 'triage',
    summary: 'Seal the intake key to certified coordinators (admin handover, or a holder)',
    description:
      'The caller must hold the key (the setup admin’s wrapped copy, or a grant). Once a ' +
      'coordinator holds it, the admin’s wrapped copy is deleted.',
    body: IntakeKeyGrantsRequest,
    response: IntakeKeyGrantsResponse,
    errors: [400, 403, 409],
  }),
  intakeRotationPending: defineRoute({
    method: 'GET',
    path: '/api/triage/intake-key/rotation/pending',
    tag: 'triage',
    summary: 'Every pending submission and follow-up sealed to the current intake key',
    description:
      'What a rotation must re-seal. Coordinators who hold the current key only (else 403); ' +
      'audited as `intake_key.rotation_read`.',
    response: IntakeRotationPending,
    errors: [403],
  }),
  proposeIntakeRotation: defineRoute({
    method: 'POST',
    path: '/api/triage/intake-key/rotation',
    tag: 'triage',
    summary: 'Propose a new intake key: pending rows re-sealed to it, grants at version + 1',
    description:
      'Coordinators who hold the current key. Replaces any earlier proposal. The re-sealed ' +
      'set must cover exactly the pending rows at the current version and the grants every ' +
      'certified, active coordinator, else 409. Nothing changes until an admin signs it.',
    status: 201,
    body: ProposeIntakeRotationRequest,
    response: IntakeRotationResponse,
    errors: [400, 403, 409, 413],
  }),
  approveIntakeRotation: defineRoute({
    method: 'POST',
    path: '/api/triage/intake-key/rotation/approve',
    tag: 'triage',
    summary: "Commit a proposed rotation with the root's signature over the new key",
    description:
      'Admins. One transaction: the signature must verify against the organisation root ' +
      '(else 400), the proposal must still cover every pending row at the old version and ' +
      'name only active coordinators (else 409, nothing written). Then the re-sealed rows, ' +
      'the new grants and the new key replace the old ones, and the old grants are deleted.',
    body: ApproveIntakeRotationRequest,
    response: IntakeRotationResponse,
    errors: [400, 403, 404, 409],
  }),
  caseThreads: defineRoute({
    method: 'GET',
    path: '/api/cases/:code/threads',
    tag: 'cases',
    summary: "The case's anonymous threads: their reply keys and message days (no content)",
    description: caseNotFound,
    params: CaseCodeParams,
    response: CaseThreadsResponse,
    errors: [404],
  }),
  replyToCase: defineRoute({
    method: 'POST',
    path: '/api/cases/:code/replies',
    tag: 'cases',
    summary: 'Send a sealed reply to the person on a linked anonymous thread',
    description:
      'One transaction: the reply, a copy as a case entry, the audit event (`case.reply`). ' +
      `${caseNotFound} No thread with that reply key on the case answers 409.`,
    status: 201,
    params: CaseCodeParams,
    body: CaseReplyRequest,
    response: CaseReplyResponse,
    errors: [400, 404, 409, 413],
  }),
} as const;
