/**
 * Key rotation after a revocation: the revoked grant is deleted first (server side), then a
 * remaining grantee creates version kv+1, re-encrypts every record at the old version and
 * re-seals the new key to every remaining grantee. The server commits a rotation only if it
 * covers every record at the old version; `rotateCase` therefore either returns a complete
 * result or throws, never a partial one.
 */
import { assertObject, isList, wipe } from './bytes';
import type { CertifiedKey } from './certs';
import { CryptoError } from './errors';
import { sealCaseKeyGrant } from './grants';
import type { UserKeys } from './keys';
import {
  decryptRecord,
  encryptRecord,
  generateCaseKey,
  type CaseKey,
  type RecordRef,
} from './records';

export interface EncryptedRecord {
  ref: RecordRef;
  envelope: Uint8Array;
}

/** A fresh key for the same case at the next version. */
export function nextCaseKey(current: CaseKey): CaseKey {
  assertObject(current, 'current');
  if (current.version >= 0xffffffff) throw new CryptoError('BAD_INPUT', 'key version exhausted');
  return generateCaseKey(current.caseId, current.version + 1);
}

/** Decrypts under `from` and encrypts under `to`; the plaintext is wiped before returning. */
export function reencryptRecord(
  from: CaseKey,
  to: CaseKey,
  ref: RecordRef,
  envelope: Uint8Array,
): Uint8Array {
  assertObject(from, 'from');
  assertObject(to, 'to');
  if (from.caseId !== to.caseId)
    throw new CryptoError('BAD_INPUT', 'keys belong to different cases');
  const plaintext = decryptRecord(from, ref, envelope);
  try {
    return encryptRecord(to, ref, plaintext);
  } finally {
    wipe(plaintext);
  }
}

export interface CaseRotation {
  next: CaseKey;
  records: EncryptedRecord[];
  grants: { granteeId: string; envelope: Uint8Array }[];
}

/**
 * Rotates a whole case: new key version, every record re-encrypted, the new key sealed to
 * every remaining grantee (each a verified `CertifiedKey`). All or nothing.
 */
export function rotateCase(input: {
  current: CaseKey;
  records: readonly EncryptedRecord[];
  grantees: readonly CertifiedKey[];
  granter: UserKeys;
}): CaseRotation {
  if (
    typeof input !== 'object' ||
    input === null ||
    !isList(input.records) ||
    !isList(input.grantees)
  ) {
    throw new CryptoError('BAD_INPUT', 'rotation input must list records and grantees');
  }
  if (input.grantees.length === 0) {
    throw new CryptoError('BAD_INPUT', 'a rotation must leave at least one grantee');
  }
  const next = nextCaseKey(input.current);
  try {
    const records = input.records.map((record: EncryptedRecord) => {
      assertObject(record, 'record');
      assertObject(record.ref, 'record.ref');
      const ref = { kind: record.ref.kind, recordId: record.ref.recordId };
      return { ref, envelope: reencryptRecord(input.current, next, ref, record.envelope) };
    });
    const grants = input.grantees.map((grantee) => ({
      granteeId: grantee.subjectId,
      envelope: sealCaseKeyGrant(next, grantee, input.granter),
    }));
    return { next, records, grants };
  } catch (error) {
    wipe(next.key);
    throw error;
  }
}
