import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../../api/client';

/**
 * Server state lives in this cache, in memory only (no persister: nothing reaches browser
 * storage). Answers that the server refused (4xx) are not retried; they will not change.
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
