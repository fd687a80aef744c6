import { ApiError } from '../../../api/client';
import { WorkerCryptoError } from '../../crypto/crypto-protocol';
import { errorKey } from './error-text';

describe('errorKey', () => {
  it('never tells a sign-in which part was wrong', () => {
    expect(errorKey(new ApiError(401, 'Wrong username, password or code'), 'signIn')).toBe(
      'badCredentials',
    );
    expect(errorKey(new ApiError(403, 'This account is disabled'), 'signIn')).toBe('disabled');
  });

  it('tells a refused sign-in during emergency lockdown why', () => {
    expect(errorKey(new ApiError(403, 'x', [], 'LOCKDOWN'), 'signIn')).toBe('lockdown');
  });

  it('names throttling, shedding and link refusals', () => {
    expect(errorKey(new ApiError(429, 'x'), 'signIn')).toBe('throttled');
    expect(errorKey(new ApiError(503, 'x'), 'password')).toBe('busy');
    expect(errorKey(new ApiError(400, 'x'), 'openLink')).toBe('linkInvalid');
    expect(errorKey(new ApiError(403, 'x'), 'link')).toBe('linkInvalid');
    expect(errorKey(new ApiError(409, 'x'), 'link')).toBe('usernameTaken');
    expect(
      errorKey(new ApiError(400, 'x', [{ path: 'body.totpCode', message: 'no' }]), 'link'),
    ).toBe('badCode');
  });

  it('turns crypto worker refusals into warnings a person can act on', () => {
    expect(errorKey(new WorkerCryptoError('AUTH_FAILED', 'x'), 'password')).toBe('wrongPassword');
    expect(errorKey(new WorkerCryptoError('UNCERTIFIED_KEY', 'x'), 'signIn')).toBe('rootMismatch');
    expect(errorKey(new WorkerCryptoError('WEAK_PARAMS', 'x'), 'signIn')).toBe('weakParams');
    expect(errorKey(new TypeError('Failed to fetch'), 'signIn')).toBe('network');
  });
});
