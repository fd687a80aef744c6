/**
 * Thin wrappers over the libsodium primitives Haven uses, mapping libsodium's exceptions to
 * `CryptoError`s. No primitive is implemented here: these only fix the parameters (which AEAD,
 * which hash) so that the rest of the library cannot pick a different one by accident.
 */
import { randomBytes } from './bytes';
import { CryptoError } from './errors';
import { lib } from './sodium';

export const KEY_BYTES = 32;
export const NONCE_BYTES = 24;
export const TAG_BYTES = 16;
export const SEAL_OVERHEAD = 48;
export const SIGNATURE_BYTES = 64;
export const PUBLIC_KEY_BYTES = 32;

/** XChaCha20-Poly1305 (IETF); returns ciphertext || 16-byte tag. */
export function aeadEncrypt(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  ad: Uint8Array,
): Uint8Array {
  return lib().crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, nonce, key);
}

export function aeadDecrypt(
  key: Uint8Array,
  nonce: Uint8Array,
  ciphertext: Uint8Array,
  ad: Uint8Array,
): Uint8Array {
  if (ciphertext.length < TAG_BYTES)
    throw new CryptoError('BAD_ENVELOPE', 'ciphertext is truncated');
  try {
    return lib().crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, ad, nonce, key);
  } catch {
    throw new CryptoError('AUTH_FAILED', 'decryption failed');
  }
}

export function newNonce(): Uint8Array {
  return randomBytes(NONCE_BYTES);
}

/** A fresh 32-byte symmetric key (what `crypto_aead_xchacha20poly1305_ietf_keygen` returns). */
export function newKey(): Uint8Array {
  return randomBytes(KEY_BYTES);
}

/** Anonymous sealed box (X25519 + XSalsa20-Poly1305 with an ephemeral sender key). */
export function seal(message: Uint8Array, recipientPublicKey: Uint8Array): Uint8Array {
  return lib().crypto_box_seal(message, recipientPublicKey);
}

export function sealOpen(
  ciphertext: Uint8Array,
  publicKey: Uint8Array,
  privateKey: Uint8Array,
): Uint8Array {
  if (ciphertext.length < SEAL_OVERHEAD)
    throw new CryptoError('BAD_ENVELOPE', 'sealed box is truncated');
  try {
    return lib().crypto_box_seal_open(ciphertext, publicKey, privateKey);
  } catch {
    throw new CryptoError('AUTH_FAILED', 'sealed box could not be opened');
  }
}

export function sign(message: Uint8Array, privateKey: Uint8Array): Uint8Array {
  return lib().crypto_sign_detached(message, privateKey);
}

/** Ed25519 verification; any malformed input is simply "does not verify". */
export function verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== SIGNATURE_BYTES || publicKey.length !== PUBLIC_KEY_BYTES) return false;
  try {
    return lib().crypto_sign_verify_detached(signature, message, publicKey);
  } catch {
    return false;
  }
}

/** BLAKE2b, optionally keyed. */
export function blake2b(
  length: number,
  message: Uint8Array,
  key: Uint8Array | null = null,
): Uint8Array {
  return lib().crypto_generichash(length, message, key);
}

/** BLAKE2b-based subkey derivation (`crypto_kdf_derive_from_key`); `context` is 8 ASCII bytes. */
export function deriveSubkey(
  length: number,
  id: number,
  context: string,
  key: Uint8Array,
): Uint8Array {
  return lib().crypto_kdf_derive_from_key(length, id, context, key);
}
