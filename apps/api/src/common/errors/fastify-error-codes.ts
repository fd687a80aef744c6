import type { FastifyInstance, FastifyRequest } from 'fastify';

const codes = new WeakMap<FastifyRequest, string>();

/**
 * Remembers the code of an error Fastify raised itself (body too large, bad JSON, ...). Nest
 * turns those into plain HttpExceptions before our filter sees them, losing the code.
 */
export function captureFastifyErrorCodes(fastify: FastifyInstance): void {
  fastify.addHook('onError', (request, _reply, error, done) => {
    if (typeof error.code === 'string' && error.code.startsWith('FST_')) {
      codes.set(request, error.code);
    }
    done();
  });
}

export function fastifyErrorCode(request: FastifyRequest): string | undefined {
  return codes.get(request);
}
