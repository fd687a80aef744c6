/**
 * Every failure in this library surfaces as a `CryptoError` with a stable code, so callers can
 * branch on the code and never on message text, and so malformed input can never escape as a
 * raw libsodium exception (or, worse, as partial plaintext). Messages never contain key
 * material or plaintext.
 */
export const CRYPTO_ERROR_CODES = [
  /** `initCrypto()` has not finished (or the libsodium build lacks what Haven needs). */
  'NOT_READY',
  /** An argument has the wrong type, length or shape (a programming or user-input error). */
  'BAD_INPUT',
  /** Bytes that should be a Haven envelope are not one: wrong version, kind, length or layout. */
  'BAD_ENVELOPE',
  /** Authenticated decryption failed: wrong key, tampered bytes, or moved ciphertext. */
  'AUTH_FAILED',
  /** Key-derivation parameters are below the compiled-in floor (possibly a malicious server). */
  'WEAK_PARAMS',
  /** Key-derivation parameters are not weak but unusable (unknown algorithm, absurd cost). */
  'BAD_PARAMS',
  /** A public key has no valid certificate chain to the trusted organisation root. */
  'UNCERTIFIED_KEY',
  /** A signature (on a grant or an audit checkpoint) does not verify under the expected key. */
  'BAD_SIGNATURE',
] as const;

export type CryptoErrorCode = (typeof CRYPTO_ERROR_CODES)[number];

export class CryptoError extends Error {
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message: string) {
    super(message);
    this.name = 'CryptoError';
    this.code = code;
  }
}

export function isCryptoError(value: unknown, code?: CryptoErrorCode): value is CryptoError {
  return value instanceof CryptoError && (code === undefined || value.code === code);
}

export function isCryptoErrorCode(value: unknown): value is CryptoErrorCode {
  return typeof value === 'string' && (CRYPTO_ERROR_CODES as readonly string[]).includes(value);
}

/**
 * Runs `fn` and turns anything that is not already a `CryptoError` into one with `code`.
 * Used at every public entry point so that libsodium's own exceptions (thrown as plain
 * `Error`s with messages such as "incorrect key length") never reach callers.
 */
export function guard<T>(code: CryptoErrorCode, message: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof CryptoError) throw error;
    throw new CryptoError(code, message);
  }
}
