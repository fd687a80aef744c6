/**
 * Request handling common to every intake route, run before the body is validated:
 *
 * - `QuietRequestLogGuard` lowers this request's logger to `warn`, so a handled intake request
 *   leaves no log line at all. Even the usual line (method, route, status, duration) carries
 *   a timestamp, and the exact moment someone wrote is what the database deliberately does not
 *   keep (it stores the day). Faults of ours (5xx) are still logged, without request data.
 * - `IntakeThrottleGuard` counts the request against its address-hash bucket (see
 *   `AddressThrottle`) and answers 429 with `Retry-After` beyond the limit, before any work.
 *   The address is the TCP peer's: `X-Forwarded-For` is never read (`trustProxy: false`).
 */
import {
  type CanActivate,
  type ExecutionContext,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AddressThrottle, ThrottleBucket } from './address-throttle';

export const INTAKE_THROTTLE = Symbol('INTAKE_THROTTLE');
const THROTTLE_BUCKET = 'haven:intake-throttle-bucket';

/** Which throttle bucket a route counts against; routes without it are not throttled. */
export const Throttle = (bucket: ThrottleBucket): MethodDecorator =>
  SetMetadata(THROTTLE_BUCKET, bucket);

@Injectable()
export class QuietRequestLogGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    // The request's own child logger (shared with its reply); other requests are unaffected.
    request.log.level = 'warn';
    return true;
  }
}

@Injectable()
export class IntakeThrottleGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(INTAKE_THROTTLE) private readonly throttle: AddressThrottle,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const bucket = this.reflector.get<ThrottleBucket | undefined>(
      THROTTLE_BUCKET,
      context.getHandler(),
    );
    if (bucket === undefined) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    // trustProxy is false, so this is the socket's peer address, whatever headers say.
    const decision = this.throttle.take(bucket, request.ip);
    if (decision.allowed) return true;
    void http.getResponse<FastifyReply>().header('retry-after', String(decision.retryAfterSeconds));
    throw new HttpException(
      'Too many requests from this network. Please wait a few minutes and try again.',
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
