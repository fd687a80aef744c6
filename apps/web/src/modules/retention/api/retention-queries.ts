import { retentionRoutes } from '@haven/contracts';
import { api } from '../../../api/client';

export const retentionQuery = {
  queryKey: ['retention', 'settings'],
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    api.request(retentionRoutes.getRetention, { signal }),
} as const;

// Lockdown may be lifted by another admin (entering it would have ended this session): ask
// again on every mount and focus. No polling: requests move the session's idle clock.
export const lockdownQuery = {
  queryKey: ['retention', 'lockdown'],
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    api.request(retentionRoutes.getLockdown, { signal }),
  staleTime: 0,
} as const;

export const purgeRequestsQuery = {
  queryKey: ['retention', 'purge-requests'],
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    api.request(retentionRoutes.listPurgeRequests, { signal }),
  staleTime: 0,
} as const;
