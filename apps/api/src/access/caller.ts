import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { StaffRole } from '@haven/contracts';

/** The signed-in person behind a request, as the policy guard established it. */
export interface Caller {
  readonly userId: string;
  readonly role: StaffRole;
  readonly sessionId: string;
  /** True when the session is past its idle timeout (only `whileLocked` routes see this). */
  readonly locked: boolean;
}

const callers = new WeakMap<object, Caller>();

export function attachCaller(request: object, caller: Caller): void {
  callers.set(request, caller);
}

export function callerOf(request: object): Caller | undefined {
  return callers.get(request);
}

/**
 * The caller of a route with a role policy: `handler(@Caller() caller: Caller)`. Public
 * routes have none; asking for it there is a programming error (500), never a silent default.
 */
export const Caller = createParamDecorator((_data: unknown, ctx: ExecutionContext) => {
  const caller = callerOf(ctx.switchToHttp().getRequest<object>());
  if (!caller) throw new Error('@Caller() used on a route without a signed-in caller');
  return caller;
});
