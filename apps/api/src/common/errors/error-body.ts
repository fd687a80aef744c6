/**
 * Maps anything thrown while handling a request to the one error body clients ever see. Only
 * messages written by us reach the client; unknown errors become a bare 500.
 */
import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';
import type { ErrorBody } from '@haven/contracts';
import { RequestValidationException } from './request-validation.exception';

/** Fastify's own request errors (raised before a handler runs), with the message we send. */
const FASTIFY_ERRORS: Readonly<Record<string, { status: number; message: string }>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, message: 'Request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    message: 'Unsupported content type: send application/json',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    message: 'Request body size does not match Content-Length',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    message: 'Request body is empty but Content-Type is application/json',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, message: 'Malformed JSON body' },
  FST_ERR_BAD_URL: { status: 400, message: 'Malformed URL' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, message: 'Path parameter is too long' },
  FST_ERR_ASYNC_CONSTRAINT: { status: 400, message: 'Bad request' },
};

export interface MappedError {
  body: ErrorBody;
  /** True when this is a fault of ours (500): the caller should log it. */
  unexpected: boolean;
}

function reason(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

function plain(status: number, message: string): ErrorBody {
  return { statusCode: status, error: reason(status), message };
}

/** Message of an HttpException thrown by our own code (`new ForbiddenException('...')`). */
function httpMessage(exception: HttpException, status: number): string {
  // Unknown routes: Nest's message echoes the URL with its query string; never send it back.
  // Any other 404 also reads the same, so "not yours" and "does not exist" are indistinguishable.
  if (status === 404) return 'Not found';
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  return reason(status);
}

/** A stable code we attached (`new UnauthorizedException({ message, code: 'SESSION_LOCKED' })`). */
function codeOf(exception: HttpException): string | undefined {
  const response = exception.getResponse();
  const code = typeof response === 'object' ? (response as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[A-Z][A-Z_]*$/.test(code) ? code : undefined;
}

function fastifyClientError(exception: unknown): ErrorBody | undefined {
  if (!(exception instanceof Error)) return undefined;
  const { code, statusCode } = exception as Error & { code?: unknown; statusCode?: unknown };
  const known = typeof code === 'string' ? FASTIFY_ERRORS[code] : undefined;
  if (known) return plain(known.status, known.message);
  // Fastify's JSON parser raises SyntaxError (status 400) for malformed JSON and for
  // __proto__/constructor poisoning. Its message quotes the body, so it is not passed on.
  if (exception instanceof SyntaxError && statusCode === 400) {
    return plain(400, 'Malformed JSON body');
  }
  // Other 4xx from Fastify or its plugins: keep the status, send only the generic reason.
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return plain(statusCode, reason(statusCode));
  }
  return undefined;
}

/**
 * @param fastifyCode the `FST_*` code when Fastify itself rejected the request (Nest rewraps
 *   such errors as HttpExceptions carrying Fastify's message, which can quote the input).
 */
export function toErrorBody(exception: unknown, fastifyCode?: string): MappedError {
  if (fastifyCode !== undefined) {
    const known = FASTIFY_ERRORS[fastifyCode];
    if (known) return { body: plain(known.status, known.message), unexpected: false };
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = exception.getStatus();
      return { body: plain(status, reason(status)), unexpected: false };
    }
  }
  if (exception instanceof RequestValidationException) {
    return {
      body: { ...plain(400, 'Validation failed'), fields: [...exception.fields] },
      unexpected: false,
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status >= 500 && status !== 503) {
      return { body: plain(500, 'Internal error'), unexpected: true };
    }
    const code = codeOf(exception);
    return {
      body: { ...plain(status, httpMessage(exception, status)), ...(code ? { code } : {}) },
      unexpected: false,
    };
  }
  const client = fastifyClientError(exception);
  if (client) return { body: client, unexpected: false };
  return { body: plain(500, 'Internal error'), unexpected: true };
}
