import { Controller, NotFoundException, Res } from '@nestjs/common';
import { routes, type SessionListResponse } from '@haven/contracts';
import type { FastifyReply } from 'fastify';
import { Caller } from '../access/caller';
import { ANY_STAFF, Policy } from '../access/policy.decorator';
import { Route } from '../common/http/route.decorator';
import { ZodParam } from '../common/validation/zod.decorators';
import { CLEAR_SITE_DATA, clearedSessionCookie } from './session-token';
import { SessionsService } from './sessions.service';

/** Each person's own sessions: list them, end one, end all ("sign out everywhere"). */
@Controller()
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Route(routes.listSessions)
  @Policy({ roles: ANY_STAFF })
  async list(@Caller() caller: Caller): Promise<SessionListResponse> {
    return { sessions: await this.sessions.list(caller) };
  }

  @Route(routes.endSession)
  @Policy({ roles: ANY_STAFF })
  async end(
    @Caller() caller: Caller,
    @ZodParam(routes.endSession.params) params: { sessionId: string },
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    if (!(await this.sessions.end(caller, params.sessionId))) throw new NotFoundException();
    if (params.sessionId === caller.sessionId) signedOut(reply);
  }

  @Route(routes.endAllSessions)
  @Policy({ roles: ANY_STAFF })
  async endAll(
    @Caller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.sessions.endAll(caller);
    signedOut(reply);
  }
}

/** The browser forgets the cookie and whatever the origin stored. */
export function signedOut(reply: FastifyReply): void {
  void reply
    .header('set-cookie', clearedSessionCookie())
    .header('clear-site-data', CLEAR_SITE_DATA);
}
