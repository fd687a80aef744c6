import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiError } from './client';

/**
 * Server state lives in this cache, in memory only (no persister: nothing reaches browser
 * storage). Answers that the server refused (4xx) are not retried; they will not change.
 *
 * This module (and TanStack Query with it) is loaded with the first lazily loaded page, never on
 * the sign-in route; load and clear it through `./server-state`, not directly.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        retry: (failureCount, error) =>
          !(error instanceof ApiError && error.status >= 400 && error.status < 500) &&
          failureCount < 2,
      },
      mutations: { retry: false },
    },
  });
}

/** The one cache of this page load, shared by every page. */
export const queryClient = createQueryClient();

/** Gives a lazily loaded page (or the lockdown banner) the shared cache. */
export function QueryCacheProvider({ children }: { children: ReactNode }) {
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
