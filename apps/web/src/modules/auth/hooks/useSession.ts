import { ANONYMOUS_SESSION, type Session } from '../utils/roles';

/**
 * The current session. Signing in arrives with the accounts feature; until then every
 * visitor is anonymous. The session will come from the API (an httpOnly cookie the page
 * cannot read), never from browser storage.
 */
export function useSession(): Session {
  return ANONYMOUS_SESSION;
}
