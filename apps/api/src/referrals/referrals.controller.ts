import { Controller } from '@nestjs/common';
import { routes, type ParsedBody, type RouteResponse, type Routes } from '@haven/contracts';
import type { z } from 'zod';
import { Caller } from '../access/caller';
import { Policy } from '../access/policy.decorator';
import { BodyLimit } from '../common/http/body-limit.decorator';
import { Route } from '../common/http/route.decorator';
import { ZodBody, ZodParam, ZodQuery } from '../common/validation/zod.decorators';
import { AssignedReferralsService } from './assigned-referrals.service';
import { ReferralsService } from './referrals.service';

type Answer<K extends keyof Routes> = Promise<RouteResponse<Routes[K]>>;
type Body<K extends keyof Routes> = ParsedBody<Routes[K]>;
type Params<K extends keyof Routes> = Routes[K] extends { params: z.ZodType }
  ? z.output<Routes[K]['params']>
  : never;

/** A packet of up to 256 KiB (≈ 350 KB as base64url), its wrap, grants and a note. */
const PACKET_BODY_LIMIT = 1024 * 1024;

const STAFF = ['caseworker', 'coordinator'] as const;
/** Case routes name the case by its code; the caller must hold a grant (else 404). */
const GRANTEE = { roles: STAFF, case: 'grantee', param: 'code' } as const;
const COORDINATOR = { roles: ['coordinator'] } as const;
/** Partner users, and caseworkers for referrals assigned to them internally. */
const ASSIGNEE = { roles: ['partner', 'caseworker'] } as const;

/**
 * Share consent, referrals and the assignee view (docs/referrals.md). Partners reach only the
 * three `/api/partner/referrals` routes; auditors and admins reach none of these.
 */
@Controller()
export class ReferralsController {
  constructor(
    private readonly referrals: ReferralsService,
    private readonly assigned: AssignedReferralsService,
  ) {}

  @Route(routes.recordShareConsent)
  @Policy(GRANTEE)
  recordConsent(
    @Caller() caller: Caller,
    @ZodParam(routes.recordShareConsent.params) params: Params<'recordShareConsent'>,
    @ZodBody(routes.recordShareConsent.body) body: Body<'recordShareConsent'>,
  ): Answer<'recordShareConsent'> {
    return this.referrals.recordConsent(caller, params.code, body);
  }

  @Route(routes.withdrawShareConsent)
  @Policy(GRANTEE)
  withdrawConsent(
    @Caller() caller: Caller,
    @ZodParam(routes.withdrawShareConsent.params) params: Params<'withdrawShareConsent'>,
  ): Answer<'withdrawShareConsent'> {
    return this.referrals.withdrawConsent(caller, params.code);
  }

  @Route(routes.listCaseReferrals)
  @Policy(GRANTEE)
  listForCase(
    @Caller() caller: Caller,
    @ZodParam(routes.listCaseReferrals.params) params: Params<'listCaseReferrals'>,
  ): Answer<'listCaseReferrals'> {
    return this.referrals.listForCase(caller, params.code);
  }

  @Route(routes.proposeReferral)
  @Policy(GRANTEE)
  @BodyLimit(PACKET_BODY_LIMIT)
  propose(
    @Caller() caller: Caller,
    @ZodParam(routes.proposeReferral.params) params: Params<'proposeReferral'>,
    @ZodBody(routes.proposeReferral.body) body: Body<'proposeReferral'>,
  ): Answer<'proposeReferral'> {
    return this.referrals.propose(caller, params.code, body);
  }

  @Route(routes.referralBoard)
  @Policy(COORDINATOR)
  board(
    @Caller() caller: Caller,
    @ZodQuery(routes.referralBoard.query) query: z.output<Routes['referralBoard']['query']>,
  ): Answer<'referralBoard'> {
    return this.referrals.board(caller, query);
  }

  @Route(routes.assignReferral)
  @Policy(COORDINATOR)
  @BodyLimit(PACKET_BODY_LIMIT)
  assign(
    @Caller() caller: Caller,
    @ZodParam(routes.assignReferral.params) params: Params<'assignReferral'>,
    @ZodBody(routes.assignReferral.body) body: Body<'assignReferral'>,
  ): Answer<'assignReferral'> {
    return this.referrals.assign(caller, params.referralId, body);
  }

  @Route(routes.rejectReferral)
  @Policy(COORDINATOR)
  @BodyLimit(PACKET_BODY_LIMIT)
  reject(
    @Caller() caller: Caller,
    @ZodParam(routes.rejectReferral.params) params: Params<'rejectReferral'>,
    @ZodBody(routes.rejectReferral.body) body: Body<'rejectReferral'>,
  ): Answer<'rejectReferral'> {
    return this.referrals.reject(caller, params.referralId, body);
  }

  @Route(routes.revokeReferral)
  @Policy(COORDINATOR)
  @BodyLimit(PACKET_BODY_LIMIT)
  revoke(
    @Caller() caller: Caller,
    @ZodParam(routes.revokeReferral.params) params: Params<'revokeReferral'>,
    @ZodBody(routes.revokeReferral.body) body: Body<'revokeReferral'>,
  ): Answer<'revokeReferral'> {
    return this.referrals.revoke(caller, params.referralId, body);
  }

  /** The proposer (while proposed) or a coordinator; others who see it get 403. */
  @Route(routes.cancelReferral)
  @Policy({ roles: STAFF })
  @BodyLimit(PACKET_BODY_LIMIT)
  cancel(
    @Caller() caller: Caller,
    @ZodParam(routes.cancelReferral.params) params: Params<'cancelReferral'>,
    @ZodBody(routes.cancelReferral.body) body: Body<'cancelReferral'>,
  ): Answer<'cancelReferral'> {
    return this.referrals.cancel(caller, params.referralId, body);
  }

  @Route(routes.listAssignedReferrals)
  @Policy(ASSIGNEE)
  listAssigned(@Caller() caller: Caller): Answer<'listAssignedReferrals'> {
    return this.assigned.list(caller);
  }

  @Route(routes.getAssignedReferral)
  @Policy(ASSIGNEE)
  readAssigned(
    @Caller() caller: Caller,
    @ZodParam(routes.getAssignedReferral.params) params: Params<'getAssignedReferral'>,
  ): Answer<'getAssignedReferral'> {
    return this.assigned.read(caller, params.referralId);
  }

  @Route(routes.transitionAssignedReferral)
  @Policy(ASSIGNEE)
  @BodyLimit(PACKET_BODY_LIMIT)
  transitionAssigned(
    @Caller() caller: Caller,
    @ZodParam(routes.transitionAssignedReferral.params)
    params: Params<'transitionAssignedReferral'>,
    @ZodBody(routes.transitionAssignedReferral.body) body: Body<'transitionAssignedReferral'>,
  ): Answer<'transitionAssignedReferral'> {
    return this.assigned.transition(caller, params.referralId, body);
  }
}
