import { Controller, UseFilters } from '@nestjs/common';
import {
  type AcceptInvitationRequest,
  type CreatedInvitation,
  type CreateInvitationRequest,
  type EnrolledResponse,
  type InvitationDetails,
  type InvitationListResponse,
  type LinkTokenRequest,
  routes,
} from '@haven/contracts';
import { Caller } from '../access/caller';
import { Policy } from '../access/policy.decorator';
import { AUTH_BODY_LIMIT } from '../auth/auth-hooks';
import { RetryAfterFilter } from '../auth/retry-later';
import { BodyLimit } from '../common/http/body-limit.decorator';
import { Route } from '../common/http/route.decorator';
import { ZodBody, ZodParam } from '../common/validation/zod.decorators';
import { InvitationsService } from './invitations.service';

@Controller()
@UseFilters(RetryAfterFilter)
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Route(routes.createInvitation)
  @Policy({ roles: ['admin'] })
  create(
    @Caller() caller: Caller,
    @ZodBody(routes.createInvitation.body) body: CreateInvitationRequest,
  ): Promise<CreatedInvitation> {
    return this.invitations.create(caller, body.role, body.partnerOrgId ?? null);
  }

  @Route(routes.listInvitations)
  @Policy({ roles: ['admin'] })
  async list(@Caller() caller: Caller): Promise<InvitationListResponse> {
    return { invitations: await this.invitations.pending(caller) };
  }

  @Route(routes.revokeInvitation)
  @Policy({ roles: ['admin'] })
  revoke(
    @Caller() caller: Caller,
    @ZodParam(routes.revokeInvitation.params) params: { invitationId: string },
  ): Promise<void> {
    return this.invitations.revoke(caller, params.invitationId);
  }

  /** Public: the link itself is the credential (a 256-bit token, only its hash is stored). */
  @Route(routes.inspectInvitation)
  @Policy({ public: true })
  @BodyLimit(AUTH_BODY_LIMIT)
  inspect(
    @ZodBody(routes.inspectInvitation.body) body: LinkTokenRequest,
  ): Promise<InvitationDetails> {
    return this.invitations.inspect(body.token);
  }

  @Route(routes.acceptInvitation)
  @Policy({ public: true })
  @BodyLimit(AUTH_BODY_LIMIT)
  accept(
    @ZodBody(routes.acceptInvitation.body) body: AcceptInvitationRequest,
  ): Promise<EnrolledResponse> {
    return this.invitations.accept(body);
  }
}
