import { Controller } from '@nestjs/common';
import { routes, type ParsedBody, type RouteResponse, type Routes } from '@haven/contracts';
import type { z } from 'zod';
import { Caller } from '../access/caller';
import { Policy } from '../access/policy.decorator';
import { Route } from '../common/http/route.decorator';
import { ZodBody, ZodParam } from '../common/validation/zod.decorators';
import { PurgeService } from './purge.service';
import { RetentionService } from './retention.service';

type Answer<K extends keyof Routes> = Promise<RouteResponse<Routes[K]>>;
type Body<K extends keyof Routes> = ParsedBody<Routes[K]>;
type Params<K extends keyof Routes> = Routes[K] extends { params: z.ZodType }
  ? z.output<Routes[K]['params']>
  : never;

const ADMIN = { roles: ['admin'] } as const;
const COORDINATOR = { roles: ['coordinator'] } as const;

/** Retention settings, purge-now and emergency lockdown. Thin: policy, validation, service. */
@Controller()
export class RetentionController {
  constructor(
    private readonly retention: RetentionService,
    private readonly purge: PurgeService,
  ) {}

  @Route(routes.getRetention)
  @Policy(ADMIN)
  get(@Caller() caller: Caller): Answer<'getRetention'> {
    return this.retention.settings(caller);
  }

  @Route(routes.updateRetention)
  @Policy(ADMIN)
  update(
    @Caller() caller: Caller,
    @ZodBody(routes.updateRetention.body) body: Body<'updateRetention'>,
  ): Answer<'updateRetention'> {
    return this.retention.update(caller, body);
  }

  /** Case-scoped: the caller must hold a grant (else 404); a caseworker with one gets 403. */
  @Route(routes.requestCasePurge)
  @Policy({ roles: ['caseworker', 'coordinator'], case: 'grantee', param: 'code' })
  request(
    @Caller() caller: Caller,
    @ZodParam(routes.requestCasePurge.params) params: Params<'requestCasePurge'>,
    @ZodBody(routes.requestCasePurge.body) body: Body<'requestCasePurge'>,
  ): Answer<'requestCasePurge'> {
    return this.purge.request(caller, params.code, body.reason);
  }

  @Route(routes.listPurgeRequests)
  @Policy(COORDINATOR)
  async list(@Caller() caller: Caller): Answer<'listPurgeRequests'> {
    return { requests: await this.purge.list(caller) };
  }

  @Route(routes.confirmPurgeRequest)
  @Policy(COORDINATOR)
  confirm(
    @Caller() caller: Caller,
    @ZodParam(routes.confirmPurgeRequest.params) params: Params<'confirmPurgeRequest'>,
  ): Answer<'confirmPurgeRequest'> {
    return this.purge.confirm(caller, params.requestId);
  }

  @Route(routes.getLockdown)
  @Policy(ADMIN)
  lockdown(@Caller() caller: Caller): Answer<'getLockdown'> {
    return this.retention.lockdown(caller);
  }

  @Route(routes.enterLockdown)
  @Policy(ADMIN)
  enter(
    @Caller() caller: Caller,
    @ZodBody(routes.enterLockdown.body) _body: Body<'enterLockdown'>,
  ): Answer<'enterLockdown'> {
    return this.retention.enterLockdown(caller);
  }

  @Route(routes.liftLockdown)
  @Policy(ADMIN)
  lift(@Caller() caller: Caller): Answer<'liftLockdown'> {
    return this.retention.liftLockdown(caller);
  }
}
