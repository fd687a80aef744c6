import { USERNAME_PATTERN } from '@haven/contracts';
import { normaliseUsername } from '@haven/crypto';
import { RequestValidationException } from '../common/errors/request-validation.exception';

/**
 * The stored form of a username: NFKC, trimmed, lower-cased (`normaliseUsername`, the same
 * function the login salt uses), and still within the username rules afterwards.
 */
export function enrolmentUsername(raw: string, path = 'body.username'): string {
  let name: string | undefined;
  try {
    name = normaliseUsername(raw);
  } catch {
    name = undefined;
  }
  if (name === undefined || !USERNAME_PATTERN.test(name)) {
    throw new RequestValidationException([
      { path, message: 'must be 3 to 64 letters, digits, dots, dashes or underscores' },
    ]);
  }
  return name;
}

/** A sign-in username in stored form, or null when it cannot be anyone's. */
export function loginUsername(raw: string): string | null {
  try {
    const name = normaliseUsername(raw);
    return USERNAME_PATTERN.test(name) ? name : null;
  } catch {
    return null;
  }
}
