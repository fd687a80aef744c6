import { Controller, UseFilters } from '@nestjs/common';
import {
  type EnrolledResponse,
  type LinkTokenRequest,
  routes,
  type SetupBeginResponse,
  type SetupCompleteRequest,
  type SetupStatusResponse,
} from '@haven/contracts';
import { Policy } from '../access/policy.decorator';
import { AUTH_BODY_LIMIT } from '../auth/auth-hooks';
import { RetryAfterFilter } from '../auth/retry-later';
import { BodyLimit } from '../common/http/body-limit.decorator';
import { Route } from '../common/http/route.decorator';
import { ZodBody } from '../common/validation/zod.decorators';
import { SetupService } from './setup.service';

@Controller()
@UseFilters(RetryAfterFilter)
export class SetupController {
  constructor(private readonly setup: SetupService) {}

  /** Public: the dashboard asks before login whether to show first-run setup. */
  @Route(routes.setupStatus)
  @Policy({ public: true })
  async status(): Promise<SetupStatusResponse> {
    return { setupRequired: await this.setup.setupRequired() };
  }

  /** Public: the one-time link is the credential. */
  @Route(routes.setupBegin)
  @Policy({ public: true })
  @BodyLimit(AUTH_BODY_LIMIT)
  begin(@ZodBody(routes.setupBegin.body) body: LinkTokenRequest): Promise<SetupBeginResponse> {
    return this.setup.begin(body.token);
  }

  @Route(routes.setupComplete)
  @Policy({ public: true })
  @BodyLimit(AUTH_BODY_LIMIT)
  complete(
    @ZodBody(routes.setupComplete.body) body: SetupCompleteRequest,
  ): Promise<EnrolledResponse> {
    return this.setup.complete(body);
  }
}
