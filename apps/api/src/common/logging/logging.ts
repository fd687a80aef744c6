/**
 * JSON logs with nothing about the person behind a request: no IP address, port, user agent,
 * headers, query string or body. A request line carries the route pattern (`/api/cases/:id`,
 * so ids stay out too), the method, the status and the time taken.
 */
import type { LoggerService } from '@nestjs/common';
import {
  type FastifyBaseLogger,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import type { LogLevel } from '../../config/config';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** Where log lines go; tests pass a collector, production leaves it to stdout. */
export interface LogDestination {
  write(line: string): void;
}

const MAX_PATH_LOG = 200;

/** The route pattern when one matched, else the path without its query string. */
export function loggedRoute(request: Pick<FastifyRequest, 'routeOptions' | 'url'>): string {
  const pattern = request.routeOptions.url;
  if (pattern) return pattern;
  const path = request.url.split('?', 1)[0] ?? '';
  return path.length > MAX_PATH_LOG ? `${path.slice(0, MAX_PATH_LOG)}…` : path;
}

export function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  return { id: request.id, method: request.method, route: loggedRoute(request) };
}

export function serializeReply(reply: Pick<FastifyReply, 'statusCode'>): Record<string, unknown> {
  return { statusCode: reply.statusCode };
}

/** An SQLSTATE: database errors can quote the values that failed, so their text is not kept. */
const SQLSTATE = /^[0-9A-Z]{5}$/;

export interface LoggedError {
  [key: string]: unknown;
  type: string;
  message: string;
  stack: string;
  code?: string;
}

/**
 * What may be logged about an error: its class, code, message and call stack. The message is
 * withheld for database errors (PostgreSQL quotes the offending values) and the stack keeps
 * frames only (its first line repeats the message).
 */
export function describeError(err: unknown): LoggedError {
  if (!(err instanceof Error)) return { type: typeof err, message: '(not an Error)', stack: '' };
  const code = (err as { code?: unknown }).code;
  const fromDatabase =
    err.name === 'QueryFailedError' ||
    err.name === 'DatabaseError' ||
    (typeof code === 'string' && SQLSTATE.test(code));
  const stack = (err.stack ?? '')
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .map((line) => line.trim())
    .join('\n');
  return {
    type: err.constructor.name || err.name,
    message: fromDatabase ? '(database error text withheld)' : err.message,
    stack,
    ...(typeof code === 'string' ? { code } : {}),
  };
}

export function fastifyLoggerOptions(
  level: LogLevel,
  destination?: LogDestination,
): FastifyServerOptions['logger'] {
  return {
    level,
    ...(destination ? { stream: destination } : {}),
    serializers: {
      req: serializeRequest,
      res: serializeReply,
      err: describeError,
    },
  };
}

/**
 * Nest's own messages (start-up, module errors, the access guard) written through the same
 * pino logger as the request lines: one JSON format, one destination, one level setting.
 */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: FastifyBaseLogger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  /** Nest passes `(message, context)` or, for errors, `(message, stack, context)`. */
  private write(level: Level, message: unknown, rest: unknown[]): void {
    const last = rest.at(-1);
    const context = rest.length > 0 && typeof last === 'string' ? last : undefined;
    const stack = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
    if (message instanceof Error) {
      this.logger[level]({ context, err: message }, 'error');
      return;
    }
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    this.logger[level](stack ? { context, stack } : { context }, text);
  }
}

/**
 * One line per finished request instead of Fastify's two (incoming + completed): half the
 * logging cost, and the first line would add nothing once the serializers strip it down.
 */
export class RequestLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line = {
      req: request,
      res: reply,
      responseTime: Math.round(reply.elapsedTime * 100) / 100,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}
