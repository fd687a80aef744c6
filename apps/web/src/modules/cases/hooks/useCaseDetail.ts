import { routes, type CaseDetail } from '@haven/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { openCase, type OpenedCase } from '../crypto/case-crypto';
import type { CaseSession } from './useCaseSession';

export interface LoadedCase {
  detail: CaseDetail;
  opened: OpenedCase;
}

export const caseDetailKey = (code: string) => ['cases', 'detail', code] as const;

/**
 * One case, read (an audited case read on the server) and opened in the worker. Not refetched
 * on window focus: every read is an audit event, so reads happen when the page needs them.
 */
export function useCaseDetail(ctx: CaseSession | null, code: string) {
  const directory = ctx?.directory;
  return useQuery({
    queryKey: [...caseDetailKey(code), ctx?.user ?? null],
    enabled: ctx !== null && directory !== undefined,
    refetchOnWindowFocus: false,
    staleTime: 60_000,
    gcTime: 60_000,
    queryFn: async ({ signal }): Promise<LoadedCase> => {
      if (!ctx || !directory) throw new Error('not signed in');
      const detail = await api.request(routes.getCase, { params: { code }, signal });
      return { detail, opened: await openCase(ctx.worker, ctx.user, directory, detail) };
    },
  });
}
