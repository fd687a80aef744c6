/**
 * The server-state cache (TanStack Query, `./query-cache`) is not part of the sign-in route (the
 * budget is 200 KB gzip): it is loaded with the first page that needs it, and every lazily loaded
 * page is wrapped in its provider (app/router.tsx). The session clears it on sign-out through
 * `clearServerState`, whether or not a page using it is on screen.
 */
type QueryCacheModule = typeof import('./query-cache');

let loading: Promise<QueryCacheModule> | undefined;

/** Loads the cache once; a failed load (say, offline) is tried again on the next call. */
export function loadServerState(): Promise<QueryCacheModule> {
  loading ??= import('./query-cache').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/**
 * Drops every cached server answer and cancels the queries in flight (sign-out, session ended
 * elsewhere). Nothing to do if no page has loaded the cache yet.
 */
export async function clearServerState(): Promise<void> {
  const cache = await loading?.catch(() => undefined);
  cache?.queryClient.clear();
}
