/**
 * The dashboard's one way to call the API. Every call names an entry of the route registry in
 * @haven/contracts (method, path, schemas), so parameters, body and answer are typed from the
 * same source the server validates against; every answer is parsed with the route's schema
 * before the app sees it. Sessions ride on the httpOnly cookie; this client never sees tokens.
 */
import {
  CSRF_HEADER,
  ErrorBody,
  buildPath,
  type FieldError,
  type RouteBody,
  type RouteDefinition,
  type RouteParams,
  type RouteQuery,
  type RouteResponse,
} from '@haven/contracts';

export interface RequestOptions<R extends RouteDefinition> {
  readonly params?: RouteParams<R>;
  readonly query?: RouteQuery<R>;
  /** Sent as JSON. */
  readonly body?: RouteBody<R>;
  readonly signal?: AbortSignal;
}

/**
 * A failed call: the HTTP status (0 when the answer was unusable) and the server's message,
 * which the API writes for people and keeps free of input values.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    message: string,
    readonly fields: readonly FieldError[] = [],
    /** A stable code where the server gives one (e.g. SESSION_LOCKED). */
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Methods that change state; they carry the CSRF header the API requires. */
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function readJson(response: Response): Promise<unknown> {
  const type = response.headers.get('content-type') ?? '';
  if (!/[/+]json\b/i.test(type)) return undefined;
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

function queryString(query: unknown): string {
  if (typeof query !== 'object' || query === null) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      search.append(key, String(item));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export interface ApiClientOptions {
  /** Defaults to the page's own origin (so the session cookie and CSP connect-src apply). */
  readonly baseUrl?: string;
  readonly fetch?: typeof fetch;
}

export interface ApiClient {
  request<R extends RouteDefinition>(
    route: R,
    options?: RequestOptions<R>,
  ): Promise<RouteResponse<R>>;
  /**
   * Calls `listener` with every 401 answer (signed out, or SESSION_LOCKED) and the route that
   * got it, so the session layer can lock or sign out whatever page made the call. Returns the
   * unsubscribe function.
   */
  onUnauthorized(listener: (error: ApiError, route: RouteDefinition) => void): () => void;
}

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const baseUrl = options.baseUrl ?? '';
  const send = options.fetch ?? ((input, init) => fetch(input, init));
  const unauthorized = new Set<(error: ApiError, route: RouteDefinition) => void>();

  return {
    onUnauthorized(listener) {
      unauthorized.add(listener);
      return () => {
        unauthorized.delete(listener);
      };
    },

    async request<R extends RouteDefinition>(
      route: R,
      { params, query, body, signal }: RequestOptions<R> = {},
    ): Promise<RouteResponse<R>> {
      const path = buildPath(route, (params ?? {}) as Record<string, string | number>);
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      // SameSite=Strict already keeps the cookie off cross-site requests; the custom header is
      // the second lock (a cross-site form or simple request cannot set it).
      if (UNSAFE.has(route.method)) headers[CSRF_HEADER] = '1';
      const response = await send(`${baseUrl}${path}${queryString(query)}`, {
        method: route.method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
        credentials: 'same-origin',
        // Answers may hold ciphertext and case metadata: keep them out of the HTTP cache.
        cache: 'no-store',
      });
      const payload = await readJson(response);
      if (!response.ok) {
        const parsed = ErrorBody.safeParse(payload);
        const error = parsed.success
          ? new ApiError(response.status, parsed.data.message, parsed.data.fields, parsed.data.code)
          : new ApiError(response.status, response.statusText || `HTTP ${response.status}`);
        if (response.status === 401) for (const listener of unauthorized) listener(error, route);
        throw error;
      }
      const parsed = route.response.safeParse(payload);
      if (!parsed.success) {
        throw new ApiError(0, `unexpected answer from ${route.method} ${route.path}`);
      }
      // The schema is R['response'], so its output is RouteResponse<R>; TypeScript cannot
      // follow that through the generic.
      return parsed.data as RouteResponse<R>;
    },
  };
}

/** The client the app uses. */
export const api = createApiClient();
