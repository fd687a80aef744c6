/**
 * Blind indexes for duplicate detection (has this phone number or messenger handle come in
 * before?). The value is normalised, hashed with keyed BLAKE2b under an index key that is
 * distributed like a case key (grant scope `index`), and truncated to BLIND_INDEX_BYTES on
 * purpose: with 2 bytes there are 65,536 buckets, so across thousands of cases every bucket
 * holds several unrelated people. A match means "decrypt these few candidates and compare",
 * and a seized database cannot confirm that a given number is present.
 */
import { assertBytes, lengthPrefixed, toHex, utf8Encode } from './bytes';
import { CryptoError } from './errors';
import { blake2b, KEY_BYTES, newKey } from './primitives';

export const BLIND_INDEX_BYTES = 2;

export type BlindIndexKind = 'phone' | 'handle';

export function generateIndexKey(): Uint8Array {
  return newKey();
}

/**
 * E.164-style: `+` then 6–15 digits. Separators (spaces, dashes, dots, brackets) are dropped;
 * a leading `+` or `00` marks an international number. A national number needs
 * `defaultCountryCode` (digits, e.g. "7"): its single trunk prefix (`0`, or `8` for +7, as
 * Russian numbers are often written) is dropped and the country code prepended.
 */
export function normalisePhone(
  value: string,
  options: { defaultCountryCode?: string } = {},
): string {
  if (typeof value !== 'string' || value.length > 64)
    throw new CryptoError('BAD_INPUT', 'phone must be a short string');
  const trimmed = value.normalize('NFKC').trim();
  if (!/^\+?[\d\s().\-/]+$/u.test(trimmed))
    throw new CryptoError('BAD_INPUT', 'phone contains unexpected characters');
  let digits = trimmed.replace(/\D/gu, '');
  if (trimmed.startsWith('+')) {
    // already international
  } else if (digits.startsWith('00')) {
    digits = digits.slice(2);
  } else {
    const cc = options.defaultCountryCode;
    if (cc === undefined || !/^\d{1,3}$/u.test(cc)) {
      throw new CryptoError('BAD_INPUT', 'a national phone number needs a default country code');
    }
    if (digits.startsWith('0') || (cc === '7' && digits.startsWith('8') && digits.length === 11)) {
      digits = digits.slice(1);
    }
    digits = cc + digits;
  }
  if (!/^[1-9]\d{5,14}$/u.test(digits))
    throw new CryptoError('BAD_INPUT', 'phone number has an invalid length');
  return `+${digits}`;
}

/** Messenger handles: NFKC, trimmed, lower-cased, leading `@` removed; no inner whitespace. */
export function normaliseHandle(value: string): string {
  if (typeof value !== 'string' || value.length > 256)
    throw new CryptoError('BAD_INPUT', 'handle must be a short string');
  const handle = value.normalize('NFKC').trim().toLowerCase().replace(/^@+/u, '');
  if (handle.length === 0 || /\s/u.test(handle))
    throw new CryptoError('BAD_INPUT', 'handle is empty or contains spaces');
  return handle;
}

/**
 * BLAKE2b-256(key = indexKey, msg = lp("haven/blind-index/v1", kind, normalised)), truncated to
 * BLIND_INDEX_BYTES and returned as hex. The kind is hashed in, so a phone number and a handle
 * with the same text do not collide by construction.
 */
export function blindIndex(
  indexKey: Uint8Array,
  kind: BlindIndexKind,
  value: string,
  options: { defaultCountryCode?: string } = {},
): string {
  assertBytes(indexKey, 'indexKey', KEY_BYTES);
  let normalised: string;
  if (kind === 'phone') normalised = normalisePhone(value, options);
  else if (kind === 'handle') normalised = normaliseHandle(value);
  else throw new CryptoError('BAD_INPUT', 'unknown blind index kind');
  const digest = blake2b(
    32,
    lengthPrefixed(utf8Encode('haven/blind-index/v1'), utf8Encode(kind), utf8Encode(normalised)),
    indexKey,
  );
  return toHex(digest.subarray(0, BLIND_INDEX_BYTES));
}
