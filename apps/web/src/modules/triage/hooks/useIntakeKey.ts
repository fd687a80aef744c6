import { routes, type IntakeKeyStatus } from '@haven/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import type { IntakeHandle, UserHandle } from '../../crypto';
import type { Worker } from '../../cases/crypto/case-crypto';
import { openIntakeKey } from '../crypto/triage-crypto';

export interface IntakeKeyState {
  status: IntakeKeyStatus;
  /** The intake key in the worker; null when the caller holds none. */
  intake: IntakeHandle | null;
}

export const intakeKeyQueryKey = ['triage', 'intake-key'] as const;

/**
 * The caller's intake key (coordinators: their grant; the setup admin: the copy wrapped under
 * their user key), checked against the root's signature and opened in the worker.
 */
export function useIntakeKey(worker: Worker, user: UserHandle | null, role: string | null) {
  return useQuery({
    queryKey: [...intakeKeyQueryKey, user],
    enabled: user !== null,
    staleTime: 10 * 60_000,
    retry: false,
    queryFn: async ({ signal }): Promise<IntakeKeyState> => {
      if (!user) throw new Error('not signed in');
      const status = await api.request(routes.intakeKeyStatus, { signal });
      let adminCopy: string | null = null;
      if (role === 'admin' && !status.grant) {
        adminCopy = (await api.request(routes.myKeys, { signal })).wrappedIntakeKey;
      }
      return { status, intake: await openIntakeKey(worker, user, status, adminCopy) };
    },
  });
}
