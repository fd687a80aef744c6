/**
 * Canonical JSON and the audit log's hash chain. Each event's hash is
 * BLAKE2b-256(prev_hash || UTF-8(canonicalJson(event))), with prev_hash = 32 zero bytes for the
 * first event; changing, removing or reordering any event breaks every later link. The chain
 * head is signed in checkpoints that auditors keep outside the database.
 */
import { assertBytes, bytesEqual, concatBytes, isList, lengthPrefixed, utf8Encode } from './bytes';
import { CryptoError } from './errors';
import { blake2b, PUBLIC_KEY_BYTES, sign, verify } from './primitives';

export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export const AUDIT_HASH_BYTES = 32;
export const GENESIS_HASH: Uint8Array = new Uint8Array(AUDIT_HASH_BYTES);
const MAX_DEPTH = 32;

/**
 * Deterministic JSON: object keys sorted by UTF-16 code units (as RFC 8785 does), no
 * whitespace, numbers and strings as `JSON.stringify` writes them. Refuses what JSON cannot
 * represent faithfully: non-finite numbers, `undefined`, functions, symbols, bigints, class
 * instances (Dates included: pass an ISO string), sparse arrays and cycles (`BAD_INPUT`).
 */
export function canonicalJson(value: unknown): string {
  return encode(value, 0);
}

function encode(value: unknown, depth: number): string {
  if (depth > MAX_DEPTH) throw new CryptoError('BAD_INPUT', 'JSON nesting too deep (or cyclic)');
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value))
        throw new CryptoError('BAD_INPUT', 'JSON numbers must be finite');
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        const items: string[] = [];
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) throw new CryptoError('BAD_INPUT', 'sparse arrays are not JSON');
          items.push(encode(value[i], depth + 1));
        }
        return `[${items.join(',')}]`;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        throw new CryptoError('BAD_INPUT', 'only plain objects can be canonicalised');
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${keys.map((k) => `${JSON.stringify(k)}:${encode(record[k], depth + 1)}`).join(',')}}`;
    }
    default:
      throw new CryptoError('BAD_INPUT', `${typeof value} is not JSON`);
  }
}

/** hash = BLAKE2b-256(prevHash || UTF-8(canonicalJson(event))). */
export function auditEventHash(prevHash: Uint8Array, event: unknown): Uint8Array {
  assertBytes(prevHash, 'prevHash', AUDIT_HASH_BYTES);
  return blake2b(AUDIT_HASH_BYTES, concatBytes(prevHash, utf8Encode(canonicalJson(event))));
}

export interface ChainedEvent {
  /** The event as hashed: everything but prev_hash and hash. */
  event: unknown;
  prevHash: Uint8Array;
  hash: Uint8Array;
}

export type ChainVerification =
  | { ok: true; head: Uint8Array; count: number }
  | { ok: false; brokenAt: number; reason: 'prev_hash' | 'hash' | 'malformed' };

/**
 * Recomputes the chain from `start` (GENESIS_HASH for the whole log, or a checkpoint's hash)
 * and reports the index of the first broken link: a prev_hash that does not equal the
 * previous hash, or a hash that does not match its event.
 */
export function verifyAuditChain(
  events: readonly ChainedEvent[],
  start: Uint8Array = GENESIS_HASH,
): ChainVerification {
  assertBytes(start, 'start', AUDIT_HASH_BYTES);
  if (!isList(events)) throw new CryptoError('BAD_INPUT', 'events must be an array');
  let prev = start;
  for (let i = 0; i < events.length; i++) {
    const item = events[i];
    if (
      typeof item !== 'object' ||
      item === null ||
      !(item.prevHash instanceof Uint8Array) ||
      !(item.hash instanceof Uint8Array)
    ) {
      return { ok: false, brokenAt: i, reason: 'malformed' };
    }
    if (!bytesEqual(item.prevHash, prev)) return { ok: false, brokenAt: i, reason: 'prev_hash' };
    let expected: Uint8Array;
    try {
      expected = auditEventHash(prev, item.event);
    } catch {
      return { ok: false, brokenAt: i, reason: 'malformed' };
    }
    if (!bytesEqual(item.hash, expected)) return { ok: false, brokenAt: i, reason: 'hash' };
    prev = item.hash;
  }
  return { ok: true, head: prev, count: events.length };
}

export interface AuditCheckpoint {
  /** Sequence number of the last event covered. */
  seq: number;
  /** That event's hash (the chain head at `seq`). */
  head: Uint8Array;
  signature: Uint8Array;
}

function checkpointMessage(seq: number, head: Uint8Array): Uint8Array {
  return lengthPrefixed(utf8Encode('haven/audit-checkpoint/v1'), utf8Encode(String(seq)), head);
}

/** Signs the chain head at `seq` (Ed25519, libsodium 64-byte secret key). */
export function signAuditCheckpoint(
  seq: number,
  head: Uint8Array,
  signPrivateKey: Uint8Array,
): AuditCheckpoint {
  if (!Number.isSafeInteger(seq) || seq < 0)
    throw new CryptoError('BAD_INPUT', 'seq must be a non-negative integer');
  assertBytes(head, 'head', AUDIT_HASH_BYTES);
  assertBytes(signPrivateKey, 'signPrivateKey', 64);
  return { seq, head: head.slice(), signature: sign(checkpointMessage(seq, head), signPrivateKey) };
}

/** `BAD_SIGNATURE` unless `checkpoint` was signed by `signPublicKey`. */
export function verifyAuditCheckpoint(
  checkpoint: AuditCheckpoint,
  signPublicKey: Uint8Array,
): void {
  if (typeof checkpoint !== 'object' || checkpoint === null)
    throw new CryptoError('BAD_INPUT', 'checkpoint must be an object');
  if (!Number.isSafeInteger(checkpoint.seq) || checkpoint.seq < 0)
    throw new CryptoError('BAD_INPUT', 'bad checkpoint seq');
  assertBytes(checkpoint.head, 'head', AUDIT_HASH_BYTES);
  assertBytes(checkpoint.signature, 'signature');
  assertBytes(signPublicKey, 'signPublicKey', PUBLIC_KEY_BYTES);
  if (
    !verify(checkpoint.signature, checkpointMessage(checkpoint.seq, checkpoint.head), signPublicKey)
  ) {
    throw new CryptoError('BAD_SIGNATURE', 'checkpoint signature does not verify');
  }
}
