import { z } from 'zod';

/**
 * Case codes: 8 symbols shown as `XXXX-XXXX` (e.g. `K7M3-QX9P`), random, never sequential. The
 * alphabet leaves out every symbol that is easily misheard or misread when a code is read aloud
 * or copied by hand: 0/O, 1/I/L, and U (which turns some codes into words). Exactly 30 symbols
 * remain (8 digits, 22 letters), so a code carries 8 × log2(30) ≈ 39.3 bits.
 */
export const CASE_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CASE_CODE_LENGTH = 8;

const SYMBOL = `[${CASE_CODE_ALPHABET}]`;
export const CASE_CODE_PATTERN = new RegExp(`^${SYMBOL}{4}-${SYMBOL}{4}$`);

/** A case code in its canonical form: upper case, hyphen in the middle. */
export const CaseCode = z
  .string()
  .regex(CASE_CODE_PATTERN, { error: 'must be a case code like K7M3-QX9P' })
  .meta({ id: 'CaseCode', example: 'K7M3-QX9P' });
export type CaseCode = z.infer<typeof CaseCode>;

/**
 * What a person typed, as a canonical code, or null when it cannot be one. Case, spaces and
 * hyphens are ignored; no look-alike is silently corrected (a code with an O or a 0 is not
 * guessed at: better "not a code" than the wrong case).
 */
export function normaliseCaseCode(input: string): string | null {
  if (typeof input !== 'string' || input.length > 40) return null;
  const compact = input.toUpperCase().replace(/[\s-]/g, '');
  if (compact.length !== CASE_CODE_LENGTH) return null;
  for (const symbol of compact) if (!CASE_CODE_ALPHABET.includes(symbol)) return null;
  return `${compact.slice(0, 4)}-${compact.slice(4)}`;
}

/**
 * A code from random bytes: each byte below 240 (= 8 × 30) gives one symbol, others are
 * skipped, so every symbol is equally likely. Returns null when the bytes ran out first (the
 * caller draws more); the API draws from the platform CSPRNG.
 */
export function caseCodeFromBytes(bytes: Uint8Array): string | null {
  const limit = Math.floor(256 / CASE_CODE_ALPHABET.length) * CASE_CODE_ALPHABET.length;
  let code = '';
  for (const byte of bytes) {
    if (byte >= limit) continue;
    code += CASE_CODE_ALPHABET[byte % CASE_CODE_ALPHABET.length];
    if (code.length === CASE_CODE_LENGTH) return `${code.slice(0, 4)}-${code.slice(4)}`;
  }
  return null;
}
