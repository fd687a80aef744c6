import { z } from 'zod';

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Length of `bytes` bytes in unpadded base64url. */
export function base64UrlLength(bytes: number): number {
  return Math.ceil((bytes * 4) / 3);
}

/**
 * Binary values (keys, wrapped keys, certificates, salts) travel as unpadded base64url, the
 * form `toBase64` in @haven/crypto produces. `bytes` fixes the decoded length exactly.
 */
export function base64UrlBytes(bytes: number, description: string) {
  return z
    .string()
    .length(base64UrlLength(bytes), { error: `must be ${bytes} bytes as unpadded base64url` })
    .regex(BASE64URL, { error: 'must be unpadded base64url' })
    .meta({ description: `${description} (${bytes} bytes, unpadded base64url)` });
}

/** A variable-length binary value of at most `maxBytes` bytes. */
export function base64UrlUpTo(maxBytes: number, description: string) {
  return z
    .string()
    .min(2)
    .max(base64UrlLength(maxBytes), { error: `must be at most ${maxBytes} bytes` })
    .regex(BASE64URL, { error: 'must be unpadded base64url' })
    .meta({ description: `${description} (unpadded base64url)` });
}

/** Length in bytes of an unpadded base64url string, or null when it cannot be one. */
export function decodedLength(value: string): number | null {
  if (!BASE64URL.test(value) || value.length % 4 === 1) return null;
  return Math.floor((value.length * 3) / 4);
}
