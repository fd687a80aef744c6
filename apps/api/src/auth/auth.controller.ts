import { Controller, Req, Res, UseFilters } from '@nestjs/common';
import {
  type ChangePasswordRequest,
  type KeysResponse,
  type LoginRequest,
  type MeResponse,
  type PreloginRequest,
  type PreloginResponse,
  routes,
  type UnlockRequest,
} from '@haven/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Caller } from '../access/caller';
import { ANY_STAFF, Policy } from '../access/policy.decorator';
import { BodyLimit } from '../common/http/body-limit.decorator';
import { Route } from '../common/http/route.decorator';
import { ZodBody } from '../common/validation/zod.decorators';
import { signedOut } from '../sessions/sessions.controller';
import { sessionCookie } from '../sessions/session-token';
import { AuthService } from './auth.service';
import { AUTH_BODY_LIMIT } from './auth-hooks';
import { RetryAfterFilter } from './retry-later';

@Controller()
@UseFilters(RetryAfterFilter)
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Route(routes.prelogin)
  @Policy({ public: true })
  @BodyLimit(AUTH_BODY_LIMIT)
  prelogin(@ZodBody(routes.prelogin.body) body: PreloginRequest): Promise<PreloginResponse> {
    return this.auth.prelogin(body.username);
  }

  @Route(routes.login)
  @Policy({ public: true })
  @BodyLimit(AUTH_BODY_LIMIT)
  async login(
    @ZodBody(routes.login.body) body: LoginRequest,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MeResponse> {
    const { me, token } = await this.auth.login(body, request.ip);
    void reply.header('set-cookie', sessionCookie(token));
    return me;
  }

  @Route(routes.unlock)
  @Policy({ roles: ANY_STAFF, whileLocked: true })
  @BodyLimit(AUTH_BODY_LIMIT)
  unlock(
    @Caller() caller: Caller,
    @ZodBody(routes.unlock.body) body: UnlockRequest,
    @Req() request: FastifyRequest,
  ): Promise<MeResponse> {
    return this.auth.unlock(caller, body.authKey, request.ip);
  }

  @Route(routes.logout)
  @Policy({ roles: ANY_STAFF, whileLocked: true })
  async logout(
    @Caller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.auth.logout(caller);
    signedOut(reply);
  }

  @Route(routes.me)
  @Policy({ roles: ANY_STAFF, whileLocked: true })
  me(@Caller() caller: Caller): Promise<MeResponse> {
    return this.auth.me(caller);
  }

  @Route(routes.myKeys)
  @Policy({ roles: ANY_STAFF })
  myKeys(@Caller() caller: Caller): Promise<KeysResponse> {
    return this.auth.myKeys(caller);
  }

  @Route(routes.changePassword)
  @Policy({ roles: ANY_STAFF })
  @BodyLimit(AUTH_BODY_LIMIT)
  changePassword(
    @Caller() caller: Caller,
    @ZodBody(routes.changePassword.body) body: ChangePasswordRequest,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    return this.auth.changePassword(caller, body, request.ip);
  }
}
