import { useEffect, useState } from 'react';
import { HEALTH_POLL_MS, checkHealth } from '../api/health';

export type ServiceState = 'checking' | 'online' | 'offline';

/**
 * The API's liveness for the footer: checked on mount, every HEALTH_POLL_MS and when the
 * browser comes back online; one check at a time, none retried. Plain state rather than the
 * server-state cache, which the sign-in route does not load (api/server-state.ts); it holds
 * nothing personal, so sign-out has nothing of it to clear.
 */
export function useServiceState(): ServiceState {
  const [state, setState] = useState<ServiceState>('checking');

  useEffect(() => {
    let inFlight: AbortController | undefined;
    const check = () => {
      if (inFlight) return;
      const controller = new AbortController();
      inFlight = controller;
      checkHealth(controller.signal)
        .then(
          () => setState('online'),
          () => {
            if (!controller.signal.aborted) setState('offline');
          },
        )
        .finally(() => {
          if (inFlight === controller) inFlight = undefined;
        });
    };
    check();
    const timer = setInterval(check, HEALTH_POLL_MS);
    window.addEventListener('online', check);
    return () => {
      clearInterval(timer);
      window.removeEventListener('online', check);
      inFlight?.abort();
      inFlight = undefined;
    };
  }, []);

  return state;
}
