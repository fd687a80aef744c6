/**
 * Case keys and record encryption. Every record (a case summary, a note, a contact entry…) is
 * XChaCha20-Poly1305 under its case's key with a fresh random 24-byte nonce. The additional
 * data binds the ciphertext to where it belongs — case id, record kind, record id and key
 * version — so a server that moves a ciphertext to another case, record or kind, or relabels
 * its key version, gets `AUTH_FAILED` back from every client.
 */
import {
  assertBytes,
  assertUint32,
  concatBytes,
  idBytes,
  lengthPrefixed,
  u32be,
  utf8Encode,
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

/** A case's symmetric key at one version. Held in memory only; wipe with `wipe(caseKey.key)`. */
export interface CaseKey {
  readonly caseId: string;
  /** Key version `kv`, starting at 1 and incremented by every rotation. */
  readonly version: number;
  readonly key: Uint8Array;
}

/** Where a record lives inside its case. */
export interface RecordRef {
  /** e.g. `summary`, `note`, `contact`, `referral`: lower-case, digits, `.`, `_`, `-`. */
  kind: string;
  recordId: string;
}

/** header (2) + key version (4) + nonce (24). */
export const RECORD_HEADER_BYTES = 6 + NONCE_BYTES;
export const RECORD_OVERHEAD = RECORD_HEADER_BYTES + TAG_BYTES;

const KIND_PATTERN = /^[a-z][a-z0-9._-]{0,63}$/;

export function generateCaseKey(caseId: string, version = 1): CaseKey {
  idBytes(caseId, 'caseId');
  assertUint32(version, 'version', 1);
  return { caseId, version, key: newKey() };
}

/** Rebuilds a CaseKey from raw bytes (e.g. after opening a grant); checks its shape. */
export function caseKeyFrom(caseId: string, version: number, key: Uint8Array): CaseKey {
  idBytes(caseId, 'caseId');
  assertUint32(version, 'version', 1);
  assertBytes(key, 'key', KEY_BYTES);
  return { caseId, version, key };
}

function checkCaseKey(caseKey: CaseKey): Uint8Array {
  if (typeof caseKey !== 'object' || caseKey === null) {
    throw new CryptoError('BAD_INPUT', 'caseKey must be a CaseKey');
  }
  assertBytes(caseKey.key, 'caseKey.key', KEY_BYTES);
  assertUint32(caseKey.version, 'caseKey.version', 1);
  return idBytes(caseKey.caseId, 'caseKey.caseId');
}

function checkRef(ref: RecordRef): { kind: Uint8Array; recordId: Uint8Array } {
  if (typeof ref !== 'object' || ref === null)
    throw new CryptoError('BAD_INPUT', 'ref must be a RecordRef');
  if (typeof ref.kind !== 'string' || !KIND_PATTERN.test(ref.kind)) {
    throw new CryptoError('BAD_INPUT', 'record kind must match [a-z][a-z0-9._-]{0,63}');
  }
  return { kind: utf8Encode(ref.kind), recordId: idBytes(ref.recordId, 'recordId') };
}

/**
 * AD = lp(header, "haven/record/v1", caseId, kind, recordId, u32be(kv)) — every field
 * length-prefixed, so no two different (case, kind, record, kv) tuples share an encoding.
 */
function recordAd(
  header: Uint8Array,
  caseId: Uint8Array,
  kind: Uint8Array,
  recordId: Uint8Array,
  version: number,
) {
  return lengthPrefixed(
    header,
    utf8Encode('haven/record/v1'),
    caseId,
    kind,
    recordId,
    u32be(version),
  );
}

/** Encrypts one record: `01 01 | kv (u32 BE) | nonce (24) | ciphertext || tag (16)`. */
export function encryptRecord(caseKey: CaseKey, ref: RecordRef, plaintext: Uint8Array): Uint8Array {
  const caseId = checkCaseKey(caseKey);
  const { kind, recordId } = checkRef(ref);
  assertBytes(plaintext, 'plaintext');
  const header = envelopeHeader('record');
  const nonce = newNonce();
  const ad = recordAd(header, caseId, kind, recordId, caseKey.version);
  const ciphertext = aeadEncrypt(caseKey.key, nonce, plaintext, ad);
  return concatBytes(header, u32be(caseKey.version), nonce, ciphertext);
}

/** The key version an envelope claims (unauthenticated: use it only to pick a key). */
export function recordKeyVersion(envelope: Uint8Array): number {
  const reader = openEnvelope(envelope, 'record');
  const version = reader.u32();
  if (version === 0 || envelope.length < RECORD_OVERHEAD) {
    throw new CryptoError('BAD_ENVELOPE', 'not a record envelope');
  }
  return version;
}

/**
 * Decrypts a record. Fails with `BAD_ENVELOPE` (not a record envelope, truncated) or
 * `AUTH_FAILED` (wrong key, tampered, moved, key version relabelled); never returns partial
 * plaintext.
 */
export function decryptRecord(caseKey: CaseKey, ref: RecordRef, envelope: Uint8Array): Uint8Array {
  const caseId = checkCaseKey(caseKey);
  const { kind, recordId } = checkRef(ref);
  const reader = openEnvelope(envelope, 'record');
  const version = reader.u32();
  const nonce = reader.take(NONCE_BYTES);
  const ciphertext = reader.rest();
  if (ciphertext.length < TAG_BYTES)
    throw new CryptoError('BAD_ENVELOPE', 'record envelope is truncated');
  if (version !== caseKey.version) {
    throw new CryptoError('AUTH_FAILED', 'record is not encrypted under this key version');
  }
  // The AD is rebuilt from what the caller expects, never from what the server sent.
  const ad = recordAd(envelope.subarray(0, 2), caseId, kind, recordId, caseKey.version);
  return aeadDecrypt(caseKey.key, nonce, ciphertext, ad);
}
