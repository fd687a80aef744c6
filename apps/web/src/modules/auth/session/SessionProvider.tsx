import { AUTH_ERROR_CODES, authRoutes, type MeResponse } from '@haven/contracts';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, type ApiError } from '../../../api/client';
import { clearServerState } from '../../../api/server-state';
import { wipeKeys } from '../crypto-session';
import { useIdleTimer } from '../hooks/useIdleTimer';
import type { Session } from '../utils/roles';
import { SessionContext, type SessionActions } from './session-context';
import * as flows from './session-flows';

/** Answers to these routes are about the credentials typed, not about the session. */
const CREDENTIAL_ROUTES: ReadonlySet<string> = new Set(
  [authRoutes.login, authRoutes.unlock, authRoutes.changePassword].map(
    (r) => `${r.method} ${r.path}`,
  ),
);

/** How often a signed-in dashboard checks that its session still exists. */
export const SESSION_CHECK_MS = 20_000;

/**
 * Owns the dashboard's session: asks the API who is signed in, keeps the unlocked keys'
 * handles, locks after the idle timeout or when the API says SESSION_LOCKED, and wipes the
 * crypto worker on lock and sign-out; sign-out also empties the server-state cache. Nothing is
 * written to browser storage.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session>({ status: 'loading' });
  // The latest session for callbacks that outlive a render (API listeners, actions).
  const current = useRef(session);
  useEffect(() => {
    current.current = session;
  }, [session]);

  const toLocked = useCallback(async (me: MeResponse) => {
    await wipeKeys();
    setSession({ status: 'locked', me });
  }, []);

  const toAnonymous = useCallback(async () => {
    await wipeKeys();
    await clearServerState();
    setSession({ status: 'anonymous' });
  }, []);

  // Who is signed in? A live session still needs the password: keys never survive a reload.
  useEffect(() => {
    let cancelled = false;
    api.request(authRoutes.me).then(
      (me) => {
        if (!cancelled) setSession({ status: 'locked', me });
      },
      () => {
        if (!cancelled) setSession({ status: 'anonymous' });
      },
    );
    return () => {
      cancelled = true;
    };
  }, []);

  // Any 401 from elsewhere: locked sessions lock, ended ones sign out.
  useEffect(
    () =>
      api.onUnauthorized((error: ApiError, route) => {
        if (CREDENTIAL_ROUTES.has(`${route.method} ${route.path}`)) return;
        const now = current.current;
        if (now.status === 'anonymous' || now.status === 'loading') return;
        if (error.code === AUTH_ERROR_CODES.sessionLocked) void toLocked(now.me);
        else void toAnonymous();
      }),
    [toAnonymous, toLocked],
  );

  const actions = useMemo<SessionActions>(
    () => ({
      async signIn(input) {
        const { me, keys } = await flows.signIn(input);
        setSession({ status: 'signed-in', role: me.user.role, me, keys });
      },
      async unlock(password) {
        const now = current.current;
        if (now.status !== 'locked') return;
        const { me, keys } = await flows.unlock(now.me, password);
        setSession({ status: 'signed-in', role: me.user.role, me, keys });
      },
      async lock() {
        const now = current.current;
        if (now.status === 'signed-in') await toLocked(now.me);
      },
      async signOut() {
        await api.request(authRoutes.logout).catch(() => undefined);
        await toAnonymous();
      },
      async signedOut() {
        await toAnonymous();
      },
    }),
    [toAnonymous, toLocked],
  );

  // While keys are in memory, ask every SESSION_CHECK_MS whether the session still exists: a
  // session ended elsewhere (emergency lockdown, an admin disabling the account, "sign out
  // everywhere") then wipes the keys and the decrypted pages within seconds, even on an
  // unattended screen. The 401 reaches the listener above.
  const signedIn = session.status === 'signed-in';
  useEffect(() => {
    if (!signedIn) return;
    const timer = setInterval(() => {
      api.request(authRoutes.me).catch(() => undefined);
    }, SESSION_CHECK_MS);
    return () => clearInterval(timer);
  }, [signedIn]);

  const idleSeconds = session.status === 'signed-in' ? session.me.session.idleTimeoutSeconds : 0;
  useIdleTimer(idleSeconds * 1000, () => void actions.lock());

  const value = useMemo(() => ({ session, actions }), [session, actions]);
  return <SessionContext value={value}>{children}</SessionContext>;
}
