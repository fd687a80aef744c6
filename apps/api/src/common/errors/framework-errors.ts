import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { securityHeaders } from '../http/security-headers';
import { toErrorBody } from './error-body';

/**
 * Requests Fastify rejects before routing (malformed URL encoding, over-long path parameters).
 * They reach neither Nest nor the onSend hooks, and Fastify's default reply quotes the URL, so
 * they get the usual error body and headers here.
 */
export function frameworkErrorHandler(
  production: boolean,
): (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void {
  const headers = securityHeaders(production);
  return (error, _request, reply) => {
    const { body } = toErrorBody(error, error.code);
    void reply
      .code(body.statusCode)
      .headers(headers)
      .header('content-type', 'application/json; charset=utf-8')
      .send(body);
  };
}
