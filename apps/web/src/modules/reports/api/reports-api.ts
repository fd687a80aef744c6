import { routes, type ReportQuery } from '@haven/contracts';
import { api } from '../../../api/client';

export function reportSummaryQuery(query: ReportQuery) {
  return {
    queryKey: ['reports', 'summary', query],
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      api.request(routes.reportSummary, { query, signal }),
  };
}
