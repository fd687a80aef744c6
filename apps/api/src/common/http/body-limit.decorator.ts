import { RouteConfig } from '@nestjs/platform-fastify';

/** Requests over this size are refused with 413 unless a route raises its own limit. */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

/** Raises (or lowers) the body limit of one route, e.g. `@BodyLimit(512 * 1024)`. */
export const BodyLimit = (bytes: number): MethodDecorator => RouteConfig({ bodyLimit: bytes });

/** Reads `@BodyLimit` when Fastify registers a route (wired in bootstrap.ts). */
export function applyRouteBodyLimit(route: { config?: unknown; bodyLimit?: number }): void {
  const limit = (route.config as { bodyLimit?: unknown } | undefined)?.bodyLimit;
  if (typeof limit === 'number') route.bodyLimit = limit;
}
