/**
 * Decoding and hashing of intake request fields. The schemas in @haven/contracts have already
 * checked the character sets; here the bytes are decoded strictly (one canonical text per
 * value) and envelopes are checked structurally with @haven/crypto, which needs no key.
 */
import { createHash } from 'node:crypto';
import { checkIntakeEnvelope, checkReplyEnvelope, isCryptoError } from '@haven/crypto';
import { RequestValidationException } from '../common/errors/request-validation.exception';

function invalid(path: string, message: string): RequestValidationException {
  return new RequestValidationException([{ path: `body.${path}`, message }]);
}

/** Unpadded base64url to bytes, refusing non-canonical text (stray bits, impossible lengths). */
export function decodeBase64url(text: string, path: string): Buffer {
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) throw invalid(path, 'is not canonical base64url');
  return bytes;
}

/** A sealed envelope of the given kind with a padded size; otherwise a 400 on `envelope`. */
export function decodeSealedEnvelope(text: string, kind: 'intake' | 'reply'): Buffer {
  const bytes = decodeBase64url(text, 'envelope');
  try {
    if (kind === 'intake') checkIntakeEnvelope(bytes);
    else checkReplyEnvelope(bytes);
  } catch (err) {
    if (isCryptoError(err)) {
      throw invalid('envelope', `is not a sealed ${kind} envelope of a padded size`);
    }
    throw err;
  }
  return bytes;
}

export function decodePublicKey(text: string, path: string): Buffer {
  const bytes = decodeBase64url(text, path);
  if (bytes.length !== 32) throw invalid(path, 'must be 32 bytes');
  return bytes;
}

/** 32 lowercase hex digits (checked by the contract) to its 16 bytes. */
export function decodeLookupId(hex: string): Buffer {
  const bytes = Buffer.from(hex, 'hex');
  if (bytes.length !== 16) throw invalid('lookupId', 'must be 32 lowercase hex digits');
  return bytes;
}

/** SHA-256 over length-prefixed fields (the same `lp` as docs/crypto.md). */
function hashFields(fields: readonly (Buffer | string)[]): Buffer {
  const hash = createHash('sha256');
  for (const field of fields) {
    const bytes = typeof field === 'string' ? Buffer.from(field, 'utf8') : field;
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length).update(bytes);
  }
  return hash.digest();
}

/**
 * What the database keeps of an idempotency key: its SHA-256 scoped to one operation, so the
 * same key used for a submission and for a follow-up does not collide.
 */
export function idempotencyKeyHash(operation: string, key: string): Buffer {
  return hashFields(['haven/intake-idempotency/v1', operation, key]);
}

/** Identifies a request's content, to tell a replay (same) from a reused key (different). */
export function requestHash(operation: string, ...fields: (Buffer | string)[]): Buffer {
  return hashFields(['haven/intake-request/v1', operation, ...fields]);
}

/** Today in UTC as `YYYY-MM-DD`: the only time the intake stores. */
export function utcDay(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}
