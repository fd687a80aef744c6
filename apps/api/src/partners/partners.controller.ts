import { Controller } from '@nestjs/common';
import { routes, type ParsedBody, type RouteResponse, type Routes } from '@haven/contracts';
import type { z } from 'zod';
import { Caller } from '../access/caller';
import { Policy } from '../access/policy.decorator';
import { Route } from '../common/http/route.decorator';
import { ZodBody, ZodParam } from '../common/validation/zod.decorators';
import { PartnersService } from './partners.service';

type Answer<K extends keyof Routes> = Promise<RouteResponse<Routes[K]>>;
type Body<K extends keyof Routes> = ParsedBody<Routes[K]>;
type Params<K extends keyof Routes> = Routes[K] extends { params: z.ZodType }
  ? z.output<Routes[K]['params']>
  : never;

/** Admins and coordinators manage the partner directory; nobody else reaches it. */
const DIRECTORY = { roles: ['admin', 'coordinator'] } as const;

@Controller()
export class PartnersController {
  constructor(private readonly partners: PartnersService) {}

  @Route(routes.listPartners)
  @Policy(DIRECTORY)
  async list(@Caller() caller: Caller): Answer<'listPartners'> {
    return { partners: await this.partners.list(caller) };
  }

  @Route(routes.createPartner)
  @Policy(DIRECTORY)
  create(
    @Caller() caller: Caller,
    @ZodBody(routes.createPartner.body) body: Body<'createPartner'>,
  ): Answer<'createPartner'> {
    return this.partners.create(caller, body);
  }

  @Route(routes.updatePartner)
  @Policy(DIRECTORY)
  update(
    @Caller() caller: Caller,
    @ZodParam(routes.updatePartner.params) params: Params<'updatePartner'>,
    @ZodBody(routes.updatePartner.body) body: Body<'updatePartner'>,
  ): Answer<'updatePartner'> {
    return this.partners.update(caller, params.partnerId, body);
  }

  @Route(routes.listPartnerMembers)
  @Policy(DIRECTORY)
  members(
    @Caller() caller: Caller,
    @ZodParam(routes.listPartnerMembers.params) params: Params<'listPartnerMembers'>,
  ): Answer<'listPartnerMembers'> {
    return this.partners.members(caller, params.partnerId);
  }
}
