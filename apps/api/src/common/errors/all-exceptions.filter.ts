import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorBody } from './error-body';
import { fastifyErrorCode } from './fastify-error-codes';

/**
 * Global filter for every error raised while serving a request, including unknown routes and
 * Fastify's body-parsing errors (Nest routes those through its filters too). The client gets a
 * JSON error body and never a stack trace; unexpected errors are logged through the `err`
 * serializer (describeError), which keeps no request data.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { body, unexpected } = toErrorBody(exception, fastifyErrorCode(request));
    if (unexpected) request.log.error({ err: exception }, 'request failed');
    if (reply.sent) return;
    void reply
      .status(body.statusCode)
      .header('content-type', 'application/json; charset=utf-8')
      .send(body);
  }
}
