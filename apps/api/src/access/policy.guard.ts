import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  Logger,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type AccessPolicy, isPublic, POLICY_KEY } from './policy.decorator';

type MetadataTarget = Parameters<Reflector['getAllAndOverride']>[1][number];

/** The policy that applies to a handler: its own, else its controller's. */
export function policyOf(
  reflector: Reflector,
  handler: MetadataTarget,
  controller: MetadataTarget,
): AccessPolicy | undefined {
  return reflector.getAllAndOverride<AccessPolicy | undefined>(POLICY_KEY, [handler, controller]);
}

/** Global guard: a route runs only if its policy lets the caller in. */
@Injectable()
export class PolicyGuard implements CanActivate {
  private readonly logger = new Logger('Access');

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const policy = policyOf(this.reflector, context.getHandler(), context.getClass());
    if (!policy) {
      this.logger.error(
        `${context.getClass().name}.${context.getHandler().name} has no @Policy; refused`,
      );
      throw new ForbiddenException('Access denied');
    }
    if (isPublic(policy)) return true;
    // Role policies need a session; sessions arrive with the authentication issue.
    throw new ForbiddenException('Access denied');
  }
}
