/**
 * Response headers for every API reply, errors and 404s included. The API only ever returns
 * JSON, so the policy forbids everything a document could do.
 *
 * Set from one precomputed map in an onSend hook rather than with @fastify/helmet: that plugin
 * builds a new helmet middleware for every request, and we need a fixed, small set anyway.
 */
import type { FastifyInstance } from 'fastify';

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'; form-action 'none'";

export function securityHeaders(production: boolean): Readonly<Record<string, string>> {
  return {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'cross-origin-resource-policy': 'same-origin',
    'cross-origin-opener-policy': 'same-origin',
    'x-frame-options': 'DENY',
    'x-permitted-cross-domain-policies': 'none',
    // Only where TLS is certain; a development server on http must stay reachable.
    ...(production ? { 'strict-transport-security': 'max-age=63072000; includeSubDomains' } : {}),
  };
}

export function registerSecurityHeaders(fastify: FastifyInstance, production: boolean): void {
  const headers = securityHeaders(production);
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    void reply.headers(headers);
    reply.removeHeader('x-powered-by');
    reply.removeHeader('server');
    done(null, payload);
  });
}
