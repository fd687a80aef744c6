import type { FastifyInstance } from 'fastify';

/**
 * While the server closes, every reply says `Connection: close`. Node's `server.close()` only
 * drops connections that are idle at that moment; a kept-alive connection whose request was
 * still in flight would otherwise stay open until the keep-alive timeout and hold up shutdown.
 */
export function closeConnectionsWhenClosing(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });
}
