import { routes } from '@haven/contracts';
import { api } from '../../../api/client';

/** The partner directory (admins and coordinators). Changes elsewhere matter: always refetch. */
export const partnersQuery = {
  queryKey: ['partners'],
  queryFn: ({ signal }: { signal: AbortSignal }) => api.request(routes.listPartners, { signal }),
  staleTime: 0,
} as const;

export const partnerMembersKey = (partnerId: string) => ['partners', 'members', partnerId] as const;

export function partnerMembersQuery(partnerId: string) {
  return {
    queryKey: partnerMembersKey(partnerId),
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      api.request(routes.listPartnerMembers, { params: { partnerId }, signal }),
    staleTime: 0,
  } as const;
}
