import { routes } from '@haven/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import type { IndexKeyHandle } from '../../crypto';
import { newIndexKey, openIndexKey, sealIndexTo } from '../crypto/case-crypto';
import type { CaseSession } from './useCaseSession';

/**
 * The organisation's blind-index key in the worker, or null when the caller has none yet.
 * Coordinators keep it flowing (docs/cases.md): the first coordinator who needs it creates
 * it; a coordinator who holds it seals it to every certified colleague still without it.
 */
export function useIndexKey(ctx: CaseSession | null) {
  const directory = ctx?.directory;
  return useQuery({
    queryKey: ['cases', 'index-key', ctx?.user ?? null],
    enabled: ctx !== null && directory !== undefined,
    staleTime: 10 * 60_000,
    retry: false,
    queryFn: async ({ signal }): Promise<IndexKeyHandle | null> => {
      if (!ctx || !directory) return null;
      const state = await api.request(routes.indexKey, { signal });
      let index: IndexKeyHandle | null = null;
      if (state.grant && state.version !== null) {
        index = await openIndexKey(ctx.worker, ctx.user, directory, state.grant, state.version);
      } else if (state.version === null && ctx.me.role === 'coordinator') {
        const myself = directory.get(ctx.me.id);
        if (!myself) return null;
        const created = await newIndexKey(ctx.worker);
        await api.request(routes.grantIndexKey, {
          body: {
            version: 1,
            grants: [
              {
                userId: ctx.me.id,
                envelope: await sealIndexTo(ctx.worker, created, myself, ctx.user),
              },
            ],
          },
        });
        return created;
      }
      if (index && ctx.me.role === 'coordinator' && state.missing.length > 0) {
        const grants = [];
        for (const id of state.missing) {
          const colleague = directory.get(id);
          if (colleague?.active) {
            grants.push({
              userId: id,
              envelope: await sealIndexTo(ctx.worker, index, colleague, ctx.user),
            });
          }
        }
        if (grants.length > 0 && state.version !== null) {
          await api.request(routes.grantIndexKey, { body: { version: state.version, grants } });
        }
      }
      return index;
    },
  });
}
