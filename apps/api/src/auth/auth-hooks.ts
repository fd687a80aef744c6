import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { routes } from '@haven/contracts';
import type { FastifyInstance } from 'fastify';
import { AuditService } from '../audit/audit.service';
import { PasswordHasher } from './password-hasher.service';

/** Bodies of sign-in, enrolment and password routes are small; anything over 4 KiB is refused. */
export const AUTH_BODY_LIMIT = 4 * 1024;

/** The routes that carry AUTH_BODY_LIMIT (their refusals of oversized bodies are audited). */
export const AUTH_LIMITED_ROUTES: ReadonlySet<string> = new Set(
  [
    routes.prelogin,
    routes.login,
    routes.unlock,
    routes.changePassword,
    routes.setupBegin,
    routes.setupComplete,
    routes.inspectInvitation,
    routes.acceptInvitation,
  ].map((r) => `${r.method} ${r.path}`),
);

/** Routes that verify an authKey: shed at the door when the verification queue is full. */
export const SHED_ROUTES: ReadonlySet<string> = new Set(
  [routes.login, routes.unlock].map((r) => `${r.method} ${r.path}`),
);

/**
 * How long a shed request waits for its 503: as long as Retry-After says. A client that
 * retries at once (a script, a retry loop, a flood) is held to that pace instead of turning
 * every refusal into another request; timers cost nothing while the waiting requests do.
 */
export const SHED_DELAY_MS = 1000;

export const BUSY_BODY = {
  statusCode: 503,
  error: 'Service Unavailable',
  message: 'The server is busy; try again in a moment',
} as const;

/**
 * Two Fastify hooks for the auth routes, below Nest:
 *
 * - **Shedding at the door.** When the argon2 queue is full, sign-in and unlock are answered
 *   503 with Retry-After in `onRequest`, before the body is parsed or Nest is involved, after
 *   SHED_DELAY_MS: under a burst, the requests that cannot be served must cost almost nothing,
 *   or they starve the ones being served (measured: docs/accounts.md).
 * - **Oversized bodies.** Fastify refuses an oversized body with 413 before any guard or
 *   handler runs; the `onSend` hook appends an audit event for such refusals on the auth routes
 *   before answering (no actor: the body was never read, the session never looked at).
 */
@Injectable()
export class AuthRouteHooks implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly audit: AuditService,
    private readonly hasher: PasswordHasher,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', (request, reply, done) => {
      if (this.hasher.busy && SHED_ROUTES.has(`${request.method} ${request.routeOptions.url}`)) {
        setTimeout(() => {
          void reply
            .code(503)
            .header('retry-after', String(SHED_DELAY_MS / 1000))
            .header('content-type', 'application/json; charset=utf-8')
            .send(BUSY_BODY);
        }, SHED_DELAY_MS).unref();
        return;
      }
      done();
    });
    // onSend, not onResponse: the refusal is answered only once its audit event is written.
    fastify.addHook('onSend', async (request, reply, payload) => {
      if (reply.statusCode !== 413) return payload;
      const route = `${request.method} ${request.routeOptions.url ?? ''}`;
      if (!AUTH_LIMITED_ROUTES.has(route)) return payload;
      await this.audit
        .recordNow({
          actor: null,
          action: 'auth.request',
          target: route,
          outcome: 'denied:body_too_large',
        })
        .catch((err: unknown) => request.log.error({ err }, 'audit of a refused body failed'));
      return payload;
    });
  }
}
