import { systemRoutes } from '@haven/contracts';
import { api } from '../../../api/client';

/** How often the footer asks whether the API is up, so it notices an outage. */
export const HEALTH_POLL_MS = 60_000;

/** One liveness check of the API; rejects when it is unreachable or unhealthy. */
export function checkHealth(signal: AbortSignal): Promise<unknown> {
  return api.request(systemRoutes.health, { signal });
}
