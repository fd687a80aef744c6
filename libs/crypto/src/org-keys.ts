/**
 * Organisation key material held by staff, besides their own keys:
 *
 * - The intake private key, wrapped for the admin who ran first-run setup (purpose
 *   `intake-secret`) until coordinators hold it through `intake` grants (an admin may issue
 *   but never receive such a grant, see GRANT_POLICY).
 * - The **root pin**: a MAC over the organisation root public key under a key derived from
 *   the user key. It is made once at enrolment, when the client first learns the root key,
 *   and stored on the server with the user's bundle. At every later sign-in the client checks
 *   it before pinning the root the server hands out, so a server that swaps the root key (to
 *   certify keys of its own) is caught: it cannot compute the MAC without the user key.
 */
import { assertBytes, bytesEqual, idBytes, lengthPrefixed, utf8Encode, wipe } from './bytes';
import { CryptoError } from './errors';
import { intakeKeyPairFromSecret } from './intake';
import { type BoxKeyPair, type UserKeys, unwrapKey, wrapKey } from './keys';
import { blake2b, deriveSubkey, KEY_BYTES, PUBLIC_KEY_BYTES } from './primitives';

export const ROOT_PIN_BYTES = 32;

function checkUser(user: UserKeys): void {
  if (typeof user !== 'object' || user === null) {
    throw new CryptoError('BAD_INPUT', 'user must be UserKeys');
  }
  assertBytes(user.userKey, 'userKey', KEY_BYTES);
  idBytes(user.userId, 'userId');
}

/** Wraps the intake private key under `holder`'s user key (purpose `intake-secret`). */
export function wrapIntakeKey(holder: UserKeys, intake: BoxKeyPair): Uint8Array {
  checkUser(holder);
  if (typeof intake !== 'object' || intake === null) {
    throw new CryptoError('BAD_INPUT', 'intake must be a BoxKeyPair');
  }
  return wrapKey(holder.userKey, 'intake-secret', holder.userId, intake.privateKey);
}

/**
 * Unwraps the intake key pair and checks it against the intake public key the caller trusts
 * (verified with `verifyIntakeKey` against the pinned root): `AUTH_FAILED` when it differs.
 */
export function unwrapIntakeKey(
  holder: UserKeys,
  envelope: Uint8Array,
  intakePublicKey: Uint8Array,
): BoxKeyPair {
  checkUser(holder);
  const secret = unwrapKey(holder.userKey, 'intake-secret', holder.userId, envelope);
  try {
    return intakeKeyPairFromSecret(secret, intakePublicKey);
  } finally {
    wipe(secret);
  }
}

function pinKey(user: UserKeys): Uint8Array {
  return deriveSubkey(KEY_BYTES, 1, 'hvnroot1', user.userKey);
}

function pinMessage(userId: string, rootPublicKey: Uint8Array): Uint8Array {
  return lengthPrefixed(
    utf8Encode('haven/org-root-pin/v1'),
    idBytes(userId, 'userId'),
    rootPublicKey,
  );
}

/**
 * `BLAKE2b-256(key = kdf(userKey, 1, "hvnroot1"), lp("haven/org-root-pin/v1", userId, rootPk))`.
 * Made at enrolment; stored by the server, which cannot forge one for another root key.
 */
export function makeOrgRootPin(user: UserKeys, rootPublicKey: Uint8Array): Uint8Array {
  checkUser(user);
  assertBytes(rootPublicKey, 'rootPublicKey', PUBLIC_KEY_BYTES);
  const key = pinKey(user);
  try {
    return blake2b(ROOT_PIN_BYTES, pinMessage(user.userId, rootPublicKey), key);
  } finally {
    wipe(key);
  }
}

/** Returns normally only for the pin this user made for this root; else `UNCERTIFIED_KEY`. */
export function verifyOrgRootPin(user: UserKeys, rootPublicKey: Uint8Array, pin: Uint8Array): void {
  checkUser(user);
  assertBytes(rootPublicKey, 'rootPublicKey', PUBLIC_KEY_BYTES);
  assertBytes(pin, 'pin', ROOT_PIN_BYTES);
  if (!bytesEqual(makeOrgRootPin(user, rootPublicKey), pin)) {
    throw new CryptoError('UNCERTIFIED_KEY', 'organisation root key does not match your enrolment');
  }
}
