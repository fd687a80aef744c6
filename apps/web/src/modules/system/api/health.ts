import { systemRoutes } from '@haven/contracts';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../../api/client';

/** Liveness of the API, polled gently so the footer notices an outage. */
export const healthQuery = queryOptions({
  queryKey: ['system', 'health'],
  queryFn: ({ signal }) => api.request(systemRoutes.health, { signal }),
  refetchInterval: 60_000,
  retry: false,
});
