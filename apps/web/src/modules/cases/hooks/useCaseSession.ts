import { routes, type MeResponse } from '@haven/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { useSession } from '../../auth/hooks/useSession';
import type { UserHandle } from '../../crypto';
import { cryptoWorker } from '../../auth/crypto-session';
import { verifyDirectory, type Directory, type Worker } from '../crypto/case-crypto';

export interface CaseSession {
  /** The page's crypto worker. */
  worker: Worker;
  user: UserHandle;
  me: MeResponse['user'];
  /** Colleagues with verified keys; undefined while loading. */
  directory: Directory | undefined;
  directoryError: boolean;
}

/**
 * The signed-in caller as the cases pages need them: their key handle and the verified staff
 * directory (whose keys may be sealed to, whose signatures are trusted). Keyed by the key
 * handle, so a lock or a new sign-in starts from a fresh, re-verified directory.
 */
export function useCaseSession(): CaseSession | null {
  const session = useSession();
  const signedIn = session.status === 'signed-in' ? session : null;
  const user = signedIn?.keys.user ?? null;
  const directory = useQuery({
    queryKey: ['cases', 'directory', user],
    enabled: user !== null,
    staleTime: 5 * 60_000,
    queryFn: async ({ signal }) =>
      verifyDirectory(cryptoWorker(), (await api.request(routes.staffDirectory, { signal })).staff),
  });
  if (!signedIn || !user) return null;
  return {
    worker: cryptoWorker(),
    user,
    me: signedIn.me.user,
    directory: directory.data,
    directoryError: directory.isError,
  };
}
