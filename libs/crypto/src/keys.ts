/**
 * User keys. Each user has a random 32-byte user key, wrapped under the password-derived
 * `kek`; an X25519 box keypair (grants are sealed to it) and an Ed25519 signing keypair
 * (grants and certificates are signed with it), whose private halves are wrapped under the
 * user key. A password change re-wraps only the user key, so nothing else is re-encrypted.
 */
import {
  assertBytes,
  bytesEqual,
  concatBytes,
  idBytes,
  lengthPrefixed,
  randomBytes,
  utf8Encode,
  wipe,
} from './bytes';
import { envelopeHeader, openEnvelope } from './envelope';
import { CryptoError } from './errors';
import {
  aeadDecrypt,
  aeadEncrypt,
  KEY_BYTES,
  NONCE_BYTES,
  newKey,
  newNonce,
  TAG_BYTES,
} from './primitives';
import { lib } from './sodium';

export interface BoxKeyPair {
  /** X25519 public key, 32 bytes. */
  publicKey: Uint8Array;
  /** X25519 secret key, 32 bytes. */
  privateKey: Uint8Array;
}

export interface SignKeyPair {
  /** Ed25519 public key, 32 bytes. */
  publicKey: Uint8Array;
  /** Ed25519 secret key in libsodium's 64-byte form (seed || public key). */
  privateKey: Uint8Array;
}

/** What the server stores for a user: public keys in clear, everything secret wrapped. */
export interface UserKeyBundle {
  /** The user key wrapped under `kek` (purpose `user-key`). */
  wrappedUserKey: Uint8Array;
  boxPublicKey: Uint8Array;
  signPublicKey: Uint8Array;
  /** The X25519 secret key wrapped under the user key (purpose `box-secret`). */
  wrappedBoxSecret: Uint8Array;
  /** The Ed25519 seed wrapped under the user key (purpose `sign-seed`). */
  wrappedSignSeed: Uint8Array;
}

/** A user's unlocked keys; held only in memory (the dashboard keeps them in its worker). */
export interface UserKeys {
  userId: string;
  userKey: Uint8Array;
  box: BoxKeyPair;
  sign: SignKeyPair;
}

export type WrapPurpose =
  'user-key' | 'box-secret' | 'sign-seed' | 'org-root-seed' | 'intake-secret';

const WRAP_PURPOSE: Readonly<Record<WrapPurpose, number>> = {
  'user-key': 0x01,
  'box-secret': 0x02,
  'sign-seed': 0x03,
  'org-root-seed': 0x04,
  'intake-secret': 0x05,
};

/** header (3) + nonce (24) + 32-byte secret + tag (16). */
export const WRAPPED_KEY_BYTES = 3 + NONCE_BYTES + KEY_BYTES + TAG_BYTES;

function wrapAd(header: Uint8Array, ownerId: Uint8Array): Uint8Array {
  return lengthPrefixed(header, utf8Encode('haven/wrap/v1'), ownerId);
}

/**
 * Wraps a 32-byte secret under `wrappingKey`. The purpose byte and the owner's id are bound as
 * additional data, so a server cannot swap one wrapped secret for another (e.g. present the
 * signing seed where the box secret is expected, or one user's blob as another's).
 */
export function wrapKey(
  wrappingKey: Uint8Array,
  purpose: WrapPurpose,
  ownerId: string,
  secret: Uint8Array,
): Uint8Array {
  assertBytes(wrappingKey, 'wrappingKey', KEY_BYTES);
  assertBytes(secret, 'secret', KEY_BYTES);
  const purposeByte = WRAP_PURPOSE[purpose];
  if (purposeByte === undefined) throw new CryptoError('BAD_INPUT', 'unknown wrap purpose');
  const header = concatBytes(envelopeHeader('wrappedKey'), Uint8Array.of(purposeByte));
  const nonce = newNonce();
  const ciphertext = aeadEncrypt(
    wrappingKey,
    nonce,
    secret,
    wrapAd(header, idBytes(ownerId, 'ownerId')),
  );
  return concatBytes(header, nonce, ciphertext);
}

export function unwrapKey(
  wrappingKey: Uint8Array,
  purpose: WrapPurpose,
  ownerId: string,
  envelope: Uint8Array,
): Uint8Array {
  assertBytes(wrappingKey, 'wrappingKey', KEY_BYTES);
  const owner = idBytes(ownerId, 'ownerId');
  const purposeByte = WRAP_PURPOSE[purpose];
  if (purposeByte === undefined) throw new CryptoError('BAD_INPUT', 'unknown wrap purpose');
  const reader = openEnvelope(envelope, 'wrappedKey');
  if (reader.u8() !== purposeByte) {
    throw new CryptoError('BAD_ENVELOPE', `wrapped key is not a ${purpose}`);
  }
  const nonce = reader.take(NONCE_BYTES);
  const ciphertext = reader.take(KEY_BYTES + TAG_BYTES);
  reader.end();
  const header = envelope.subarray(0, 3);
  return aeadDecrypt(wrappingKey, nonce, ciphertext, wrapAd(header, owner));
}

/** What `crypto_box_keypair` does (random secret, public = X25519 base-point multiple). */
export function generateBoxKeyPair(): BoxKeyPair {
  const privateKey = randomBytes(KEY_BYTES);
  return { publicKey: lib().crypto_scalarmult_base(privateKey), privateKey };
}

export function boxKeyPairFromSecret(privateKey: Uint8Array): BoxKeyPair {
  assertBytes(privateKey, 'privateKey', KEY_BYTES);
  return { publicKey: lib().crypto_scalarmult_base(privateKey), privateKey: privateKey.slice() };
}

export function generateSignKeyPair(): SignKeyPair {
  const seed = randomBytes(KEY_BYTES);
  try {
    return signKeyPairFromSeed(seed);
  } finally {
    wipe(seed);
  }
}

export function signKeyPairFromSeed(seed: Uint8Array): SignKeyPair {
  assertBytes(seed, 'seed', KEY_BYTES);
  const { publicKey, privateKey } = lib().crypto_sign_seed_keypair(seed);
  return { publicKey, privateKey };
}

/** The 32-byte seed of a libsodium Ed25519 secret key (its first half). */
function signSeed(keyPair: SignKeyPair): Uint8Array {
  assertBytes(keyPair.privateKey, 'sign privateKey', 64);
  return keyPair.privateKey.slice(0, KEY_BYTES);
}

/** First login (or account setup): new user key and keypairs, wrapped for the server. */
export function createUserKeys(
  kek: Uint8Array,
  userId: string,
): { bundle: UserKeyBundle; keys: UserKeys } {
  assertBytes(kek, 'kek', KEY_BYTES);
  idBytes(userId, 'userId');
  const userKey = newKey();
  const box = generateBoxKeyPair();
  const sign = generateSignKeyPair();
  const seed = signSeed(sign);
  try {
    const bundle: UserKeyBundle = {
      wrappedUserKey: wrapKey(kek, 'user-key', userId, userKey),
      boxPublicKey: box.publicKey.slice(),
      signPublicKey: sign.publicKey.slice(),
      wrappedBoxSecret: wrapKey(userKey, 'box-secret', userId, box.privateKey),
      wrappedSignSeed: wrapKey(userKey, 'sign-seed', userId, seed),
    };
    return { bundle, keys: { userId, userKey, box, sign } };
  } finally {
    wipe(seed);
  }
}

/**
 * Unwraps a user's keys. A wrong password gives `AUTH_FAILED`. The public keys in the bundle
 * are recomputed from the private halves and compared, so a server that substitutes its own
 * public key in the bundle is caught here (`BAD_ENVELOPE`).
 */
export function unlockUserKeys(kek: Uint8Array, userId: string, bundle: UserKeyBundle): UserKeys {
  if (typeof bundle !== 'object' || bundle === null) {
    throw new CryptoError('BAD_INPUT', 'bundle must be an object');
  }
  const userKey = unwrapKey(kek, 'user-key', userId, bundle.wrappedUserKey);
  let boxSecret: Uint8Array | undefined;
  let seed: Uint8Array | undefined;
  try {
    boxSecret = unwrapKey(userKey, 'box-secret', userId, bundle.wrappedBoxSecret);
    seed = unwrapKey(userKey, 'sign-seed', userId, bundle.wrappedSignSeed);
    const box = boxKeyPairFromSecret(boxSecret);
    const sign = signKeyPairFromSeed(seed);
    const matches =
      bundle.boxPublicKey instanceof Uint8Array &&
      bundle.signPublicKey instanceof Uint8Array &&
      bytesEqual(box.publicKey, bundle.boxPublicKey) &&
      bytesEqual(sign.publicKey, bundle.signPublicKey);
    if (!matches) {
      wipe(box.privateKey, sign.privateKey);
      throw new CryptoError(
        'BAD_ENVELOPE',
        'public keys in the bundle do not match the private keys',
      );
    }
    return { userId, userKey, box, sign };
  } catch (error) {
    wipe(userKey);
    throw error;
  } finally {
    wipe(boxSecret, seed);
  }
}

/** Password change: the user key is re-wrapped under the new `kek`; nothing else changes. */
export function rewrapUserKey(
  oldKek: Uint8Array,
  newKek: Uint8Array,
  userId: string,
  wrappedUserKey: Uint8Array,
): Uint8Array {
  assertBytes(newKek, 'newKek', KEY_BYTES);
  const userKey = unwrapKey(oldKek, 'user-key', userId, wrappedUserKey);
  try {
    return wrapKey(newKek, 'user-key', userId, userKey);
  } finally {
    wipe(userKey);
  }
}

export function wipeUserKeys(keys: UserKeys): void {
  wipe(keys.userKey, keys.box.privateKey, keys.sign.privateKey);
}

/**
 * The organisation root signing key, created once at first-run setup. Its seed is wrapped
 * under the setting-up admin's user key (purpose `org-root-seed`); its public key is what
 * clients pin and what certificate chains end in.
 */
export function wrapOrgRootKey(admin: UserKeys, root: SignKeyPair): Uint8Array {
  const seed = signSeed(root);
  try {
    return wrapKey(admin.userKey, 'org-root-seed', admin.userId, seed);
  } finally {
    wipe(seed);
  }
}

export function unwrapOrgRootKey(admin: UserKeys, envelope: Uint8Array): SignKeyPair {
  const seed = unwrapKey(admin.userKey, 'org-root-seed', admin.userId, envelope);
  try {
    return signKeyPairFromSeed(seed);
  } finally {
    wipe(seed);
  }
}
