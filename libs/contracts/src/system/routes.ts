import { defineRoute } from '../http/route';
import { HealthResponse, OpenApiDocument, ReadyResponse } from './system';

/**
 * Liveness, readiness and the OpenAPI document. Part of the registry in ../routes.ts; the
 * dashboard imports this group alone where it needs only these routes, so its entry chunk does
 * not carry every feature's schemas.
 */
export const systemRoutes = {
  health: defineRoute({
    method: 'GET',
    path: '/api/health',
    tag: 'system',
    summary: 'Liveness: the process answers',
    response: HealthResponse,
  }),
  ready: defineRoute({
    method: 'GET',
    path: '/api/ready',
    tag: 'system',
    summary: 'Readiness: the database is reachable',
    response: ReadyResponse,
    errors: [503],
  }),
  docs: defineRoute({
    method: 'GET',
    path: '/api/docs',
    tag: 'system',
    summary: 'This OpenAPI document',
    response: OpenApiDocument,
  }),
} as const;
