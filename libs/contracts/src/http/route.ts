import type { z } from 'zod';

/** HTTP methods the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Error statuses a route may document besides the generic ones every route can return. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 503;

/**
 * One API route: the single description the server's controllers, the OpenAPI document and the
 * web client all read. Paths use `:name` placeholders (the router's syntax); every placeholder
 * has a field in `params`.
 */
export interface RouteDefinition {
  readonly method: HttpMethod;
  readonly path: string;
  /** One line for the OpenAPI operation. */
  readonly summary: string;
  readonly description?: string;
  /** OpenAPI tag, e.g. `system`. */
  readonly tag: string;
  /** Success status; 200 unless stated. */
  readonly status?: 200 | 201 | 204;
  /** Shape of the success body. The server strips anything not in it before replying. */
  readonly response: z.ZodType;
  readonly body?: z.ZodType;
  readonly query?: z.ZodObject;
  readonly params?: z.ZodObject;
  /** Error statuses worth documenting for this route (400 is implied by body/query/params). */
  readonly errors?: readonly ErrorStatus[];
}

/** Declares a route while keeping its literal types (method, path, schemas) for inference. */
export function defineRoute<const R extends RouteDefinition>(route: R): R {
  return route;
}

type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;
type InferInput<S> = S extends z.ZodType ? z.input<S> : undefined;

/** What a successful call returns. */
export type RouteResponse<R extends RouteDefinition> = z.output<R['response']>;
/** What the caller sends as JSON body (before server-side defaults/transforms). */
export type RouteBody<R extends RouteDefinition> = InferInput<R['body']>;
export type RouteQuery<R extends RouteDefinition> = InferInput<R['query']>;
export type RouteParams<R extends RouteDefinition> = InferInput<R['params']>;
/** The validated values the server's handler receives. */
export type ParsedBody<R extends RouteDefinition> = Infer<R['body']>;

const PLACEHOLDER = /:([A-Za-z_][A-Za-z0-9_]*)/g;

/** Names of the `:name` placeholders in a route path, in order. */
export function pathParamNames(path: string): string[] {
  return [...path.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/**
 * Fills a route's placeholders, URL-encoding each value. Throws when one is missing, so a
 * client bug never produces a request to the wrong path.
 */
export function buildPath(
  route: Pick<RouteDefinition, 'path'>,
  params: Readonly<Record<string, string | number>> = {},
): string {
  return route.path.replace(PLACEHOLDER, (_m, name: string) => {
    const value = params[name];
    if (value === undefined || value === '') {
      throw new Error(`missing path parameter "${name}" for ${route.path}`);
    }
    return encodeURIComponent(String(value));
  });
}

/** `/api/cases/:id` → `/api/cases/{id}` (OpenAPI's path template syntax). */
export function toOpenApiPath(path: string): string {
  return path.replace(PLACEHOLDER, (_m, name: string) => `{${name}}`);
}
