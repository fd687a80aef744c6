import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  Logger,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import { AUTH_ERROR_CODES, CSRF_HEADER } from '@haven/contracts';
import type { FastifyRequest } from 'fastify';
import { AuditService } from '../audit/audit.service';
import { loggedRoute } from '../common/logging/logging';
import { sessionTokenFrom } from '../sessions/session-token';
import { SessionsService } from '../sessions/sessions.service';
import { attachCaller, type Caller } from './caller';
import { CASE_RELATION_RESOLVER, type CaseRelationResolver } from './case-relation';
import {
  type AccessPolicy,
  admitsLocked,
  caseRelationOf,
  isPublic,
  POLICY_KEY,
} from './policy.decorator';

type MetadataTarget = Parameters<Reflector['getAllAndOverride']>[1][number];

/** The policy that applies to a handler: its own, else its controller's. */
export function policyOf(
  reflector: Reflector,
  handler: MetadataTarget,
  controller: MetadataTarget,
): AccessPolicy | undefined {
  return reflector.getAllAndOverride<AccessPolicy | undefined>(POLICY_KEY, [handler, controller]);
}

/** Methods that change state: they need the CSRF header besides the SameSite cookie. */
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Global guard: a route runs only if its policy lets the caller in. In order:
 *  1. no policy → 403 (and the route-inventory test names the handler);
 *  2. public → in;
 *  3. no valid session → 401; idle-locked session → 401 SESSION_LOCKED (unless `whileLocked`);
 *  4. unsafe method without `X-Haven-CSRF: 1` → 403;
 *  5. role not listed → 403, or 404 on case routes (a case out of reach looks absent);
 *  6. case routes: no relation to the case (or no resolver registered yet) → 404.
 * Refusals of signed-in callers are audited; anonymous 401s are not (they identify nobody).
 */
@Injectable()
export class PolicyGuard implements CanActivate {
  private readonly logger = new Logger('Access');
  private resolver: CaseRelationResolver | null | undefined;

  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly moduleRef: ModuleRef,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = policyOf(this.reflector, context.getHandler(), context.getClass());
    if (!policy) {
      this.logger.error(
        `${context.getClass().name}.${context.getHandler().name} has no @Policy; refused`,
      );
      throw new ForbiddenException('Access denied');
    }
    if (isPublic(policy)) return true;

    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const token = sessionTokenFrom(request.headers.cookie);
    // Routes a locked session may use (who am I, unlock, sign out) are not activity: they do
    // not move the idle clock, so the dashboard's periodic session check cannot keep it awake.
    const state = token
      ? await this.sessions.authenticate(token, { touch: !admitsLocked(policy) })
      : { kind: 'none' as const };
    if (state.kind === 'none') throw new UnauthorizedException('Sign in to continue');
    const { caller } = state;
    if (state.kind === 'locked' && !admitsLocked(policy)) {
      throw new UnauthorizedException({
        message: 'Your session is locked: enter your password to continue',
        code: AUTH_ERROR_CODES.sessionLocked,
      });
    }
    if (UNSAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== '1') {
      await this.refused(caller, request, 'denied:csrf');
      throw new ForbiddenException({
        message: 'This request needs the X-Haven-CSRF: 1 header',
        code: AUTH_ERROR_CODES.csrf,
      });
    }
    const relation = caseRelationOf(policy);
    const roles = 'roles' in policy ? policy.roles : [];
    if (!roles.includes(caller.role)) {
      await this.refused(caller, request, 'denied:role');
      if (relation) throw new NotFoundException();
      throw new ForbiddenException('Access denied');
    }
    if (relation) {
      const caseId = (request.params as Record<string, unknown> | undefined)?.[relation.param];
      const resolver = this.caseResolver();
      const related =
        resolver !== null &&
        typeof caseId === 'string' &&
        (await resolver.hasRelation(caller, caseId, relation.relation));
      if (!related) {
        await this.refused(caller, request, 'denied:no_relation');
        throw new NotFoundException();
      }
    }
    attachCaller(request, caller);
    return true;
  }

  private async refused(caller: Caller, request: FastifyRequest, outcome: string): Promise<void> {
    await this.audit.recordNow({
      actor: { id: caller.userId, role: caller.role },
      action: 'access.route',
      target: `${request.method} ${loggedRoute(request)}`.slice(0, 100),
      outcome,
    });
  }

  /** Registered by the cases feature; until then, null (and case routes answer 404). */
  private caseResolver(): CaseRelationResolver | null {
    if (this.resolver === undefined) {
      try {
        this.resolver = this.moduleRef.get<CaseRelationResolver>(CASE_RELATION_RESOLVER, {
          strict: false,
        });
      } catch {
        this.resolver = null;
      }
    }
    return this.resolver;
  }
}
