import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyKey } from '@haven/contracts';
import type { FastifyRequest } from 'fastify';
import { RequestValidationException } from '../common/errors/request-validation.exception';

/**
 * The `Idempotency-Key` header, required and validated (16–128 base64url characters). A
 * missing or malformed key is a 400 like any other invalid field.
 */
export const IdempotencyKeyHeader = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string => {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const raw = request.headers[IDEMPOTENCY_KEY_HEADER];
    const parsed = IdempotencyKey.safeParse(raw);
    if (parsed.success) return parsed.data;
    throw new RequestValidationException([
      {
        path: `headers.${IDEMPOTENCY_KEY_HEADER}`,
        message:
          raw === undefined
            ? 'Idempotency-Key header is required'
            : 'Idempotency-Key must be 16 to 128 base64url characters',
      },
    ]);
  },
);
