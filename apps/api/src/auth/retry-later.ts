import { Catch, HttpException, type ArgumentsHost } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AllExceptionsFilter } from '../common/errors/all-exceptions.filter';

/** A 429 or 503 that tells the client when to try again (the Retry-After header). */
export class RetryLaterException extends HttpException {
  constructor(
    status: 429 | 503,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, status);
  }
}

/**
 * Adds Retry-After to RetryLaterException answers, then answers as the global filter does.
 * Put on controllers with `@UseFilters(RetryAfterFilter)`.
 */
@Catch(RetryLaterException)
export class RetryAfterFilter extends AllExceptionsFilter {
  override catch(exception: RetryLaterException, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    void reply.header('retry-after', String(Math.max(1, Math.ceil(exception.retryAfterSeconds))));
    super.catch(exception, host);
  }
}
