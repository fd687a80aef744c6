import { createContext } from 'react';
import type { Session } from '../utils/roles';

export interface SessionActions {
  signIn(input: { username: string; password: string; totpCode: string }): Promise<void>;
  unlock(password: string): Promise<void>;
  /** Wipes the keys now; the password brings them back. */
  lock(): Promise<void>;
  /** Ends the session on the server, wipes the keys and forgets the page's data. */
  signOut(): Promise<void>;
  /** After ending every session from the account page: the same, without the server call. */
  signedOut(): Promise<void>;
}

export interface SessionContextValue {
  session: Session;
  actions: SessionActions;
}

export const SessionContext = createContext<SessionContextValue | null>(null);
