import { Controller } from '@nestjs/common';
import { routes, type ParsedBody, type RouteResponse, type Routes } from '@haven/contracts';
import type { z } from 'zod';
import { Caller } from '../access/caller';
import { Policy } from '../access/policy.decorator';
import { BodyLimit } from '../common/http/body-limit.decorator';
import { Route } from '../common/http/route.decorator';
import { ZodBody, ZodParam, ZodQuery } from '../common/validation/zod.decorators';
import { CaseAccessService } from './case-access.service';
import { CaseQueriesService } from './case-queries.service';
import { CasesService } from './cases.service';
import { IndexKeyService } from './index-key.service';

type Answer<K extends keyof Routes> = Promise<RouteResponse<Routes[K]>>;
type Body<K extends keyof Routes> = ParsedBody<Routes[K]>;
type Params<K extends keyof Routes> = Routes[K] extends { params: z.ZodType }
  ? z.output<Routes[K]['params']>
  : never;

/** A record of up to 256 KiB is about 350 KB as base64url, plus the rest of the body. */
const RECORD_BODY_LIMIT = 1024 * 1024;
/** A rotation carries every record of the case again. */
const ROTATION_BODY_LIMIT = 32 * 1024 * 1024;

const STAFF = ['caseworker', 'coordinator'] as const;
/** Case routes name the case by its code; the caller must hold a grant (else 404). */
const GRANTEE = { roles: STAFF, case: 'grantee', param: 'code' } as const;

/**
 * Cases and the contact log. Thin: each route states its policy and hands the validated input,
 * with the caller first, to a service. Auditors, admins and partners reach none of these.
 */
@Controller()
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly access: CaseAccessService,
    private readonly queries: CaseQueriesService,
    private readonly indexKey: IndexKeyService,
  ) {}

  @Route(routes.listCases)
  @Policy({ roles: STAFF })
  list(
    @Caller() caller: Caller,
    @ZodQuery(routes.listCases.query) query: z.output<Routes['listCases']['query']>,
  ): Answer<'listCases'> {
    return this.queries.list(caller, query);
  }

  @Route(routes.createCase)
  @Policy({ roles: STAFF })
  @BodyLimit(RECORD_BODY_LIMIT)
  create(
    @Caller() caller: Caller,
    @ZodBody(routes.createCase.body) body: Body<'createCase'>,
  ): Answer<'createCase'> {
    return this.cases.create(caller, body);
  }

  @Route(routes.checkDuplicates)
  @Policy({ roles: STAFF })
  duplicates(
    @Caller() caller: Caller,
    @ZodBody(routes.checkDuplicates.body) body: Body<'checkDuplicates'>,
  ): Answer<'checkDuplicates'> {
    return this.queries.duplicates(caller, body);
  }

  @Route(routes.getCase)
  @Policy(GRANTEE)
  read(
    @Caller() caller: Caller,
    @ZodParam(routes.getCase.params) params: Params<'getCase'>,
  ): Answer<'getCase'> {
    return this.cases.read(caller, params.code);
  }

  @Route(routes.updateCase)
  @Policy(GRANTEE)
  @BodyLimit(RECORD_BODY_LIMIT)
  update(
    @Caller() caller: Caller,
    @ZodParam(routes.updateCase.params) params: Params<'updateCase'>,
    @ZodBody(routes.updateCase.body) body: Body<'updateCase'>,
  ): Answer<'updateCase'> {
    return this.cases.update(caller, params.code, body);
  }

  @Route(routes.changeCaseStatus)
  @Policy(GRANTEE)
  @BodyLimit(RECORD_BODY_LIMIT)
  changeStatus(
    @Caller() caller: Caller,
    @ZodParam(routes.changeCaseStatus.params) params: Params<'changeCaseStatus'>,
    @ZodBody(routes.changeCaseStatus.body) body: Body<'changeCaseStatus'>,
  ): Answer<'changeCaseStatus'> {
    return this.cases.changeStatus(caller, params.code, body);
  }

  @Route(routes.createCaseEntry)
  @Policy(GRANTEE)
  @BodyLimit(RECORD_BODY_LIMIT)
  createEntry(
    @Caller() caller: Caller,
    @ZodParam(routes.createCaseEntry.params) params: Params<'createCaseEntry'>,
    @ZodBody(routes.createCaseEntry.body) body: Body<'createCaseEntry'>,
  ): Answer<'createCaseEntry'> {
    return this.cases.createEntry(caller, params.code, body);
  }

  @Route(routes.updateCaseEntry)
  @Policy(GRANTEE)
  @BodyLimit(RECORD_BODY_LIMIT)
  updateEntry(
    @Caller() caller: Caller,
    @ZodParam(routes.updateCaseEntry.params) params: Params<'updateCaseEntry'>,
    @ZodBody(routes.updateCaseEntry.body) body: Body<'updateCaseEntry'>,
  ): Answer<'updateCaseEntry'> {
    return this.cases.updateEntry(caller, params.code, params.entryId, body);
  }

  @Route(routes.shareCase)
  @Policy(GRANTEE)
  @BodyLimit(RECORD_BODY_LIMIT)
  share(
    @Caller() caller: Caller,
    @ZodParam(routes.shareCase.params) params: Params<'shareCase'>,
    @ZodBody(routes.shareCase.body) body: Body<'shareCase'>,
  ): Answer<'shareCase'> {
    return this.access.share(caller, params.code, body);
  }

  /** Coordinators only (403 for a caseworker holding a grant, checked in the service). */
  @Route(routes.revokeCaseGrant)
  @Policy(GRANTEE)
  revoke(
    @Caller() caller: Caller,
    @ZodParam(routes.revokeCaseGrant.params) params: Params<'revokeCaseGrant'>,
  ): Answer<'revokeCaseGrant'> {
    return this.access.revoke(caller, params.code, params.userId);
  }

  /** Coordinators only (403 for a caseworker holding a grant, checked in the service). */
  @Route(routes.assignCase)
  @Policy(GRANTEE)
  @BodyLimit(RECORD_BODY_LIMIT)
  assign(
    @Caller() caller: Caller,
    @ZodParam(routes.assignCase.params) params: Params<'assignCase'>,
    @ZodBody(routes.assignCase.body) body: Body<'assignCase'>,
  ): Answer<'assignCase'> {
    return this.access.assign(caller, params.code, body);
  }

  @Route(routes.rotateCase)
  @Policy(GRANTEE)
  @BodyLimit(ROTATION_BODY_LIMIT)
  rotate(
    @Caller() caller: Caller,
    @ZodParam(routes.rotateCase.params) params: Params<'rotateCase'>,
    @ZodBody(routes.rotateCase.body) body: Body<'rotateCase'>,
  ): Answer<'rotateCase'> {
    return this.access.rotate(caller, params.code, body);
  }

  @Route(routes.followUps)
  @Policy({ roles: STAFF })
  followUps(@Caller() caller: Caller): Answer<'followUps'> {
    return this.queries.followUps(caller);
  }

  @Route(routes.indexKey)
  @Policy({ roles: STAFF })
  getIndexKey(@Caller() caller: Caller): Answer<'indexKey'> {
    return this.indexKey.get(caller);
  }

  @Route(routes.grantIndexKey)
  @Policy({ roles: ['coordinator'] })
  grantIndexKey(
    @Caller() caller: Caller,
    @ZodBody(routes.grantIndexKey.body) body: Body<'grantIndexKey'>,
  ): Answer<'grantIndexKey'> {
    return this.indexKey.grant(caller, body);
  }
}
