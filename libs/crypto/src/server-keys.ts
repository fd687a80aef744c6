/**
 * What the API itself needs from cryptography. The server holds one secret, `SERVER_SECRET`
 * (32 random bytes from its configuration); everything else it keys is derived from it with
 * `crypto_kdf_derive_from_key`, one subkey per purpose, so that no two uses share a key and a
 * leaked subkey reveals neither the secret nor its siblings.
 *
 * - `deriveServerSubkey`: the subkeys (login-salt seed, TOTP-secret encryption, throttle keys).
 * - `sealServerSecret` / `openServerSecret`: XChaCha20-Poly1305 for small secrets the server
 *   must keep at rest (TOTP secrets), bound to the row they belong to by additional data.
 * - `keyedHash`: a keyed BLAKE2b of a short text (e.g. a username under throttling), so that a
 *   table of attempts names nobody to whoever reads the database without the key.
 */
import {
  assertBytes,
  concatBytes,
  idBytes,
  lengthPrefixed,
  randomBytes,
  utf8Encode,
} from './bytes';
import { envelopeHeader, openEnvelope } from './envelope';
import { CryptoError, guard } from './errors';
import {
  aeadDecrypt,
  aeadEncrypt,
  blake2b,
  deriveSubkey,
  KEY_BYTES,
  NONCE_BYTES,
} from './primitives';

export const SERVER_SECRET_BYTES = 32;
/** Longest secret `sealServerSecret` accepts: TOTP secrets are 20 bytes; keep it small. */
export const MAX_SERVER_SECRET_PLAINTEXT = 1024;

const CONTEXT = /^[\x21-\x7e]{8}$/;

/**
 * Subkey number `id` for `context` (exactly 8 printable ASCII characters, e.g. "hvntotp1"):
 * `crypto_kdf_derive_from_key(32, id, context, secret)`. Deterministic: the same secret always
 * gives the same subkey, so a restarted (or another) API process agrees with the first.
 */
export function deriveServerSubkey(secret: Uint8Array, id: number, context: string): Uint8Array {
  assertBytes(secret, 'secret', SERVER_SECRET_BYTES);
  if (!Number.isSafeInteger(id) || id < 0) {
    throw new CryptoError('BAD_INPUT', 'subkey id must be a non-negative integer');
  }
  if (typeof context !== 'string' || !CONTEXT.test(context)) {
    throw new CryptoError('BAD_INPUT', 'subkey context must be 8 printable ASCII characters');
  }
  return guard('BAD_INPUT', 'subkey derivation failed', () =>
    deriveSubkey(KEY_BYTES, id, context, secret),
  );
}

function serverSecretAd(header: Uint8Array, boundTo: Uint8Array): Uint8Array {
  return lengthPrefixed(header, utf8Encode('haven/server-secret/v1'), boundTo);
}

/**
 * `01 07 | nonce (24) | XChaCha20-Poly1305(plaintext) || tag (16)`, with
 * AD = `lp(01 07, "haven/server-secret/v1", boundTo)`. `boundTo` names the row the secret
 * belongs to (a user id): a ciphertext copied onto another row fails to open.
 */
export function sealServerSecret(
  key: Uint8Array,
  plaintext: Uint8Array,
  boundTo: string,
): Uint8Array {
  assertBytes(key, 'key', KEY_BYTES);
  assertBytes(plaintext, 'plaintext');
  if (plaintext.length === 0 || plaintext.length > MAX_SERVER_SECRET_PLAINTEXT) {
    throw new CryptoError(
      'BAD_INPUT',
      `plaintext must be 1 to ${MAX_SERVER_SECRET_PLAINTEXT} bytes`,
    );
  }
  const header = envelopeHeader('serverSecret');
  const nonce = randomBytes(NONCE_BYTES);
  const ad = serverSecretAd(header, idBytes(boundTo, 'boundTo'));
  return concatBytes(header, nonce, aeadEncrypt(key, nonce, plaintext, ad));
}

/** Opens what `sealServerSecret` made for the same `boundTo`; otherwise `AUTH_FAILED`. */
export function openServerSecret(
  key: Uint8Array,
  envelope: Uint8Array,
  boundTo: string,
): Uint8Array {
  assertBytes(key, 'key', KEY_BYTES);
  const bound = idBytes(boundTo, 'boundTo');
  const reader = openEnvelope(envelope, 'serverSecret');
  const nonce = reader.take(NONCE_BYTES);
  const ciphertext = reader.rest();
  return aeadDecrypt(key, nonce, ciphertext, serverSecretAd(envelope.subarray(0, 2), bound));
}

/**
 * `BLAKE2b(key, lp(context, UTF-8(value)))`, `bytes` long (16–64). The context separates
 * purposes that share a key. Without the key the hash cannot be tested against guesses.
 */
export function keyedHash(key: Uint8Array, context: string, value: string, bytes = 32): Uint8Array {
  assertBytes(key, 'key', KEY_BYTES);
  if (typeof context !== 'string' || context.length === 0) {
    throw new CryptoError('BAD_INPUT', 'context must be a non-empty string');
  }
  if (typeof value !== 'string' || value.length > 4096) {
    throw new CryptoError('BAD_INPUT', 'value must be a string of at most 4096 characters');
  }
  if (!Number.isInteger(bytes) || bytes < 16 || bytes > 64) {
    throw new CryptoError('BAD_INPUT', 'hash length must be 16 to 64 bytes');
  }
  return blake2b(bytes, lengthPrefixed(utf8Encode(context), utf8Encode(value)), key);
}
