import { useContext } from 'react';
import { SessionContext, type SessionActions } from '../session/session-context';
import { ANONYMOUS_SESSION, type Session } from '../utils/roles';

/** The current session (anonymous outside a SessionProvider, e.g. in isolated tests). */
export function useSession(): Session {
  return useContext(SessionContext)?.session ?? ANONYMOUS_SESSION;
}

export function useSessionActions(): SessionActions {
  const context = useContext(SessionContext);
  if (!context) throw new Error('useSessionActions needs a SessionProvider');
  return context.actions;
}
