import { Controller } from '@nestjs/common';
import { routes, type ParsedBody, type RouteResponse, type Routes } from '@haven/contracts';
import type { z } from 'zod';
import { Caller } from '../access/caller';
import { Policy } from '../access/policy.decorator';
import { BodyLimit } from '../common/http/body-limit.decorator';
import { Route } from '../common/http/route.decorator';
import { ZodBody, ZodParam } from '../common/validation/zod.decorators';
import { IntakeKeyService } from './intake-key.service';
import { IntakeRotationService } from './intake-rotation.service';
import { TriageService } from './triage.service';

type Answer<K extends keyof Routes> = Promise<RouteResponse<Routes[K]>>;
type Body<K extends keyof Routes> = ParsedBody<Routes[K]>;
type Params<K extends keyof Routes> = Routes[K] extends { params: z.ZodType }
  ? z.output<Routes[K]['params']>
  : never;

/**
 * A rotation re-seals every pending row (each at most a 16 KiB bucket, ~22 KB as base64url, as
 * the intake's 64 KiB body limit allows): room for a queue of about 2,500 of them.
 */
const ROTATION_BODY_LIMIT = 64 * 1024 * 1024;

/** An entry of up to 256 KiB is about 350 KB as base64url, plus a sealed reply. */
const ENTRY_BODY_LIMIT = 1024 * 1024;

const COORDINATOR = { roles: ['coordinator'] } as const;
/** Case routes name the case by its code; the caller must hold a grant (else 404). */
const GRANTEE = { roles: ['caseworker', 'coordinator'], case: 'grantee', param: 'code' } as const;

/**
 * Triage (coordinators), the intake key's handover, and staff replies on anonymous threads.
 * Thin: each route states its policy and hands the validated input, caller first, to a service.
 */
@Controller()
export class TriageController {
  constructor(
    private readonly triage: TriageService,
    private readonly intakeKey: IntakeKeyService,
    private readonly rotation: IntakeRotationService,
  ) {}

  @Route(routes.triageQueue)
  @Policy(COORDINATOR)
  queue(@Caller() caller: Caller): Answer<'triageQueue'> {
    return this.triage.queue(caller);
  }

  @Route(routes.linkSubmission)
  @Policy(COORDINATOR)
  @BodyLimit(ENTRY_BODY_LIMIT)
  link(
    @Caller() caller: Caller,
    @ZodParam(routes.linkSubmission.params) params: Params<'linkSubmission'>,
    @ZodBody(routes.linkSubmission.body) body: Body<'linkSubmission'>,
  ): Answer<'linkSubmission'> {
    return this.triage.link(caller, params.submissionId, body);
  }

  @Route(routes.discardSubmission)
  @Policy(COORDINATOR)
  discard(
    @Caller() caller: Caller,
    @ZodParam(routes.discardSubmission.params) params: Params<'discardSubmission'>,
    @ZodBody(routes.discardSubmission.body) body: Body<'discardSubmission'>,
  ): Answer<'discardSubmission'> {
    return this.triage.discard(caller, params.submissionId, body);
  }

  @Route(routes.fileFollowUp)
  @Policy(COORDINATOR)
  @BodyLimit(ENTRY_BODY_LIMIT)
  file(
    @Caller() caller: Caller,
    @ZodParam(routes.fileFollowUp.params) params: Params<'fileFollowUp'>,
    @ZodBody(routes.fileFollowUp.body) body: Body<'fileFollowUp'>,
  ): Answer<'fileFollowUp'> {
    return this.triage.fileFollowUp(caller, params.messageId, body);
  }

  @Route(routes.intakeKeyStatus)
  @Policy({ roles: ['admin', 'coordinator'] })
  keyStatus(@Caller() caller: Caller): Answer<'intakeKeyStatus'> {
    return this.intakeKey.status(caller);
  }

  @Route(routes.grantIntakeKey)
  @Policy({ roles: ['admin', 'coordinator'] })
  grantKey(
    @Caller() caller: Caller,
    @ZodBody(routes.grantIntakeKey.body) body: Body<'grantIntakeKey'>,
  ): Answer<'grantIntakeKey'> {
    return this.intakeKey.grant(caller, body);
  }

  @Route(routes.intakeRotationPending)
  @Policy(COORDINATOR)
  rotationPending(@Caller() caller: Caller): Answer<'intakeRotationPending'> {
    return this.rotation.pending(caller);
  }

  @Route(routes.proposeIntakeRotation)
  @Policy(COORDINATOR)
  @BodyLimit(ROTATION_BODY_LIMIT)
  proposeRotation(
    @Caller() caller: Caller,
    @ZodBody(routes.proposeIntakeRotation.body) body: Body<'proposeIntakeRotation'>,
  ): Answer<'proposeIntakeRotation'> {
    return this.rotation.propose(caller, body);
  }

  @Route(routes.approveIntakeRotation)
  @Policy({ roles: ['admin'] })
  approveRotation(
    @Caller() caller: Caller,
    @ZodBody(routes.approveIntakeRotation.body) body: Body<'approveIntakeRotation'>,
  ): Answer<'approveIntakeRotation'> {
    return this.rotation.approve(caller, body);
  }

  @Route(routes.caseThreads)
  @Policy(GRANTEE)
  threads(
    @Caller() caller: Caller,
    @ZodParam(routes.caseThreads.params) params: Params<'caseThreads'>,
  ): Answer<'caseThreads'> {
    return this.triage.threads(caller, params.code);
  }

  @Route(routes.replyToCase)
  @Policy(GRANTEE)
  @BodyLimit(ENTRY_BODY_LIMIT)
  reply(
    @Caller() caller: Caller,
    @ZodParam(routes.replyToCase.params) params: Params<'replyToCase'>,
    @ZodBody(routes.replyToCase.body) body: Body<'replyToCase'>,
  ): Answer<'replyToCase'> {
    return this.triage.reply(caller, params.code, body);
  }
}
