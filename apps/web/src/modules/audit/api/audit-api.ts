/**
 * The audit pages' calls: query definitions for TanStack Query over the typed client, and the
 * export download (the one call that is not JSON, so it streams to a file instead).
 */
import {
  routes,
  type AuditEventPage,
  type AuditFilter,
  type AnomalyQuery,
  type UserActivityQuery,
} from '@haven/contracts';
import type { z } from 'zod';
import { api, ApiError } from '../../../api/client';

export const auditUsersQuery = {
  queryKey: ['audit', 'users'],
  queryFn: ({ signal }: { signal: AbortSignal }) => api.request(routes.auditUsers, { signal }),
  staleTime: 60_000,
} as const;

/** The log, newest first, 50 events a page, next pages by `nextBefore`. */
export function auditEventsQuery(filter: AuditFilter) {
  return {
    queryKey: ['audit', 'events', filter],
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last: AuditEventPage) => last.nextBefore ?? undefined,
    queryFn: ({ pageParam, signal }: { pageParam: number | undefined; signal: AbortSignal }) =>
      api.request(routes.auditEvents, {
        query: { ...filter, limit: 50, ...(pageParam ? { before: pageParam } : {}) },
        signal,
      }),
  };
}

export function anomaliesQuery(query: AnomalyQuery) {
  return {
    queryKey: ['audit', 'anomalies', query],
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      api.request(routes.auditAnomalies, { query, signal }),
  };
}

export function userActivityQuery(userId: string, query: z.input<typeof UserActivityQuery>) {
  return {
    queryKey: ['audit', 'activity', userId, query],
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      api.request(routes.auditUserActivity, { params: { userId }, query, signal }),
  };
}

/** Offers `blob` as a download named `name`. */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the click; the URL may go once the event loop turns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Downloads the filtered log as CSV or JSON, as the server made it (with its signed
 * checkpoint). The server audits the export.
 */
export async function downloadExport(filter: AuditFilter, format: 'csv' | 'json'): Promise<void> {
  const search = new URLSearchParams({ ...filter, format });
  const response = await fetch(`${routes.auditExport.path}?${search.toString()}`, {
    method: 'GET',
    headers: { Accept: format === 'csv' ? 'text/csv' : 'application/json' },
    credentials: 'same-origin',
    cache: 'no-store',
  });
  if (!response.ok) throw new ApiError(response.status, response.statusText);
  const name =
    /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ??
    `haven-audit.${format}`;
  saveFile(await response.blob(), name);
}
