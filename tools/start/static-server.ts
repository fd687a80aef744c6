/**
 * Serves a built front end (dist/apps/web or dist/apps/intake) with Haven's security headers and
 * proxies API calls to the API, so that the browser talks to one origin per front end.
 * Nothing is logged: no addresses, no paths.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyHttpProxy from '@fastify/http-proxy';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { commonHeaders } from './csp';

export interface StaticAppOptions {
  /** Folder with index.html and assets/. */
  root: string;
  host: string;
  port: number;
  /** Builds the CSP for one response; `nonce` is fresh per response. */
  csp(nonce: string): string;
  /** API paths proxied to `apiUrl` (e.g. '/api' or '/api/intake'). */
  proxyPrefix: string;
  apiUrl: string;
  /** When true every response is `no-store` (the intake page must leave nothing on a device). */
  noStoreEverything: boolean;
}

export async function serveStaticApp(opts: StaticAppOptions): Promise<FastifyInstance> {
  const indexTemplate = readFileSync(join(opts.root, 'index.html'), 'utf8');
  const app = Fastify({ logger: false, trustProxy: false });

  app.addHook('onSend', async (req, reply) => {
    for (const [k, v] of Object.entries(commonHeaders)) reply.header(k, v);
    // API responses bring their own CSP and cache headers; page and asset responses get ours.
    if (!req.url.startsWith(opts.proxyPrefix)) {
      if (!reply.hasHeader('content-security-policy'))
        reply.header('content-security-policy', opts.csp(''));
      if (opts.noStoreEverything) reply.header('cache-control', 'no-store');
    }
  });

  const sendIndex = (nonce: string) => indexTemplate.replaceAll('__CSP_NONCE__', nonce);

  await app.register(fastifyHttpProxy, {
    upstream: opts.apiUrl,
    prefix: opts.proxyPrefix,
    rewritePrefix: opts.proxyPrefix,
    // The API never trusts forwarding headers; do not invent them either.
    xfwd: false,
  } as Parameters<typeof fastifyHttpProxy>[1]);

  await app.register(fastifyStatic, {
    root: opts.root,
    index: false,
    wildcard: true,
    serveDotFiles: false,
    cacheControl: !opts.noStoreEverything,
    setHeaders(reply, path) {
      if (!opts.noStoreEverything && path.includes('/assets/')) {
        void reply.header('cache-control', 'public, max-age=31536000, immutable');
      }
    },
  });

  const page = (_req: unknown, reply: import('fastify').FastifyReply) => {
    const nonce = randomBytes(16).toString('base64');
    return reply
      .header('content-security-policy', opts.csp(nonce))
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(sendIndex(nonce));
  };
  app.get('/', page);
  app.get('/index.html', page);
  // Client-side routes (e.g. /sign-in) get the app; unknown asset-like paths get a plain 404.
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    const isPage =
      !path.startsWith('/api/') && !path.startsWith('/assets/') && !/\.[a-z0-9]+$/i.test(path);
    if ((req.method === 'GET' || req.method === 'HEAD') && isPage) {
      return page(req, reply);
    }
    return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
  });

  await app.listen({ host: opts.host, port: opts.port });
  return app;
}
