import { defineRoute } from './http/route';
import { SetupStatusResponse } from './setup/setup';
import { HealthResponse, OpenApiDocument, ReadyResponse } from './system/system';

/**
 * Every route the API serves. Controllers bind to these entries (`@Route(routes.health)`), the
 * OpenAPI document is generated from them, and a test fails if a served route is missing here.
 */
export const routes = {
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
  setupStatus: defineRoute({
    method: 'GET',
    path: '/api/setup/status',
    tag: 'setup',
    summary: 'Whether first-run setup is still required',
    response: SetupStatusResponse,
  }),
} as const;

export type Routes = typeof routes;
export type RouteName = keyof Routes;
