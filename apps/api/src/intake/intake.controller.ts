import { Controller, UseGuards } from '@nestjs/common';
import {
  type IntakeKeyResponse,
  type IntakeReceipt,
  type IntakeThreadResponse,
  type ParsedBody,
  routes,
} from '@haven/contracts';
import { Policy } from '../access/policy.decorator';
import { BodyLimit } from '../common/http/body-limit.decorator';
import { Route } from '../common/http/route.decorator';
import { ZodBody } from '../common/validation/zod.decorators';
import { IdempotencyKeyHeader } from './idempotency-key.decorator';
import { IntakeThrottleGuard, QuietRequestLogGuard, Throttle } from './intake-guards';
import { IntakeService } from './intake.service';

/** Sealed submissions are padded to 1, 4 or 16 KiB; 64 KiB leaves room and refuses the rest. */
export const INTAKE_BODY_LIMIT = 64 * 1024;

/**
 * The public, anonymous intake: no session, no cookies, no ids in URLs. Guards run in order:
 * the global policy guard, then log silencing and the per-address throttle, before any body
 * validation or database work.
 */
@Controller()
@Policy({ public: true })
@UseGuards(QuietRequestLogGuard, IntakeThrottleGuard)
export class IntakeController {
  constructor(private readonly intake: IntakeService) {}

  @Route(routes.intakeKey)
  key(): Promise<IntakeKeyResponse> {
    return this.intake.intakeKey();
  }

  @Route(routes.submitIntake)
  @BodyLimit(INTAKE_BODY_LIMIT)
  @Throttle('write')
  submit(
    @IdempotencyKeyHeader() idempotencyKey: string,
    @ZodBody(routes.submitIntake.body) body: ParsedBody<typeof routes.submitIntake>,
  ): Promise<IntakeReceipt> {
    return this.intake.submit(body, idempotencyKey);
  }

  @Route(routes.intakeThread)
  @BodyLimit(INTAKE_BODY_LIMIT)
  @Throttle('read')
  thread(
    @ZodBody(routes.intakeThread.body) body: ParsedBody<typeof routes.intakeThread>,
  ): Promise<IntakeThreadResponse> {
    return this.intake.thread(body.lookupId);
  }

  @Route(routes.intakeFollowUp)
  @BodyLimit(INTAKE_BODY_LIMIT)
  @Throttle('write')
  followUp(
    @IdempotencyKeyHeader() idempotencyKey: string,
    @ZodBody(routes.intakeFollowUp.body) body: ParsedBody<typeof routes.intakeFollowUp>,
  ): Promise<IntakeReceipt> {
    return this.intake.followUp(body, idempotencyKey);
  }
}
