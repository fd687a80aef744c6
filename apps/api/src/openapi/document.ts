/**
 * The OpenAPI 3.1 document, generated from the contracts' route registry (no Nest, so
 * `npm run openapi` can build it under tsx). `apps/api/openapi.json` is its committed copy.
 */
import { STATUS_CODES } from 'node:http';
import {
  ErrorBody,
  type ErrorStatus,
  type RouteDefinition,
  routes,
  toOpenApiPath,
} from '@haven/contracts';
import {
  createDocument,
  type ZodOpenApiPathItemObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponsesObject,
} from 'zod-openapi';

export const API_VERSION = '0.1.0';

type OpenApiMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

function errorResponse(status: number) {
  return {
    description: STATUS_CODES[status] ?? 'Error',
    content: { 'application/json': { schema: ErrorBody } },
  };
}

function responsesOf(route: RouteDefinition): ZodOpenApiResponsesObject {
  const errors = new Set<ErrorStatus>(route.errors ?? []);
  if (route.body || route.query || route.params) errors.add(400);
  if (route.body) {
    errors.add(413);
    errors.add(415);
  }
  const status = route.status ?? 200;
  const responses: ZodOpenApiResponsesObject = {
    [`${status}`]: {
      description: STATUS_CODES[status] ?? 'Success',
      ...(status === 204 ? {} : { content: { 'application/json': { schema: route.response } } }),
    },
  };
  for (const code of [...errors].sort()) responses[`${code}`] = errorResponse(code);
  responses.default = { ...errorResponse(500), description: 'Any other error' };
  return responses;
}

export function buildOpenApiDocument(
  registry: Readonly<Record<string, RouteDefinition>> = routes,
): ReturnType<typeof createDocument> {
  const paths: ZodOpenApiPathsObject = {};
  for (const [name, route] of Object.entries(registry)) {
    const path = toOpenApiPath(route.path);
    const item: ZodOpenApiPathItemObject = paths[path] ?? {};
    item[route.method.toLowerCase() as OpenApiMethod] = {
      operationId: name,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: [route.tag],
      ...(route.params || route.query
        ? {
            requestParams: {
              ...(route.params ? { path: route.params } : {}),
              ...(route.query ? { query: route.query } : {}),
            },
          }
        : {}),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: route.body } },
            },
          }
        : {}),
      responses: responsesOf(route),
    };
    paths[path] = item;
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Haven API',
      version: API_VERSION,
      description:
        'Case intake and referral for NGO hotlines. Case content is end-to-end encrypted: the ' +
        'API stores and returns ciphertext only. Every non-2xx response has an ErrorBody.',
    },
    tags: [
      { name: 'system', description: 'Health, readiness and this document' },
      { name: 'setup', description: 'First-run setup' },
    ],
    paths,
  });
}

/** The committed file's exact text: stable key order, two-space indent, final newline. */
export function openApiJson(): string {
  return `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
}
