import { LOCKDOWN_CODE } from '@haven/contracts';
import { ApiError } from '../../../api/client';
// The protocol module only: the crypto index also loads the worker client.
import { isWorkerCryptoError } from '../../crypto/crypto-protocol';

/** Keys under `errors.` in the locales. */
export type ErrorKey =
  | 'badCredentials'
  | 'wrongPassword'
  | 'throttled'
  | 'busy'
  | 'disabled'
  | 'lockdown'
  | 'badCode'
  | 'usernameTaken'
  | 'linkInvalid'
  | 'invalid'
  | 'rootMismatch'
  | 'weakParams'
  | 'network'
  | 'generic';

/**
 * What to tell a person about a failed account action. The API's messages are English and
 * written for developers as much as people; the dashboard shows its own, translated, chosen by
 * status (and, for the crypto worker, by error code).
 */
export function errorKey(
  error: unknown,
  context: 'signIn' | 'password' | 'openLink' | 'link' | 'other',
): ErrorKey {
  if (isWorkerCryptoError(error)) {
    if (error.code === 'AUTH_FAILED') return 'wrongPassword';
    if (error.code === 'UNCERTIFIED_KEY') return 'rootMismatch';
    if (error.code === 'WEAK_PARAMS' || error.code === 'BAD_PARAMS') return 'weakParams';
    return 'generic';
  }
  if (!(error instanceof ApiError)) return error instanceof TypeError ? 'network' : 'generic';
  // Opening a one-time link: any refusal means the link cannot be used.
  if (context === 'openLink' && error.status >= 400 && error.status < 500) return 'linkInvalid';
  switch (error.status) {
    case 400:
      return error.fields.some((f) => f.path === 'body.totpCode') ? 'badCode' : 'invalid';
    case 401:
      return context === 'signIn' ? 'badCredentials' : 'wrongPassword';
    case 403:
      if (context === 'link') return 'linkInvalid';
      if (error.code === LOCKDOWN_CODE) return 'lockdown';
      return context === 'signIn' ? 'disabled' : 'generic';
    case 409:
      return 'usernameTaken';
    case 429:
      return 'throttled';
    case 503:
      return 'busy';
    default:
      return 'generic';
  }
}
