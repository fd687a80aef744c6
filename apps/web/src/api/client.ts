/**
 * The dashboard's one way to call the API. Every call names an entry of the route registry in
 * @haven/contracts (method, path, schemas), so parameters, body and answer are typed from the
 * same source the server validates against; every answer is parsed with the route's schema
 * before the app sees it. Sessions ride on the httpOnly cookie; this client never sees tokens.
 */
import {
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
  ) {
    super(message);
  }
}

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
}

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const baseUrl = options.baseUrl ?? '';
  const send = options.fetch ?? ((input, init) => fetch(input, init));

  return {
    async request<R extends RouteDefinition>(
      route: R,
      { params, query, body, signal }: RequestOptions<R> = {},
    ): Promise<RouteResponse<R>> {
      const path = buildPath(route, (params ?? {}) as Record<string, string | number>);
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
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
        const error = ErrorBody.safeParse(payload);
        throw error.success
          ? new ApiError(response.status, error.data.message, error.data.fields)
          : new ApiError(response.status, response.statusText || `HTTP ${response.status}`);
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
