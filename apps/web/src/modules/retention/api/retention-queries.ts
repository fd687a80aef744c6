import { routes } from '@haven/contracts';
import { api } from '../../../api/client';

export const retentionQuery = {
  queryKey: ['retention', 'settings'],
  queryFn: ({ signal }: { signal: AbortSignal }) => api.request(routes.getRetention, { signal }),
} as const;

// Lockdown may be entered or lifted by another admin: always ask again.
export const lockdownQuery = {
  queryKey: ['retention', 'lockdown'],
  queryFn: ({ signal }: { signal: AbortSignal }) => api.request(routes.getLockdown, { signal }),
  staleTime: 0,
  refetchInterval: 30_000,
} as const;

export const purgeRequestsQuery = {
  queryKey: ['retention', 'purge-requests'],
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    api.request(routes.listPurgeRequests, { signal }),
  staleTime: 0,
} as const;
