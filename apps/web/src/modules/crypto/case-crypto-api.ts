/**
 * The case operations of the crypto worker (see case-crypto-protocol.ts). They run inside the
 * worker with access to the keys it holds through `HeldKeys`; nothing here hands a key to the
 * page.
 */
import {
  blindIndex,
  CryptoError,
  encryptRecord,
  generateIndexKey,
  isCryptoError,
  openCaseKeyGrant,
  openGrant,
  readGrantHeader,
  rotateCase,
  sealGrant,
  utf8Encode,
  wipe,
  type CaseKey,
  type CertifiedKey,
  type UserKeys,
} from '@haven/crypto';
import type { CaseCryptoApi, IndexKeyHandle, RecordPadding } from './case-crypto-protocol';
import type { ItemResult, OpenedCaseKey } from './crypto-protocol';

/** The organisation's blind-index key, held in the worker like a case key. */
export interface IndexKey {
  id: string;
  version: number;
  key: Uint8Array;
}

/** How the case operations reach the worker's held keys. */
export interface HeldKeys {
  holdCase(key: CaseKey): OpenedCaseKey;
  holdIndex(index: IndexKey): IndexKeyHandle;
  caseKey(handle: unknown): CaseKey;
  cert(handle: unknown): CertifiedKey;
  user(handle: unknown): UserKeys;
  index(handle: unknown): IndexKey;
}

const RECORD_BUCKETS = [1024, 4096, 16384, 65536, 262144];
const SUMMARY_STEP = 256;
const SUMMARY_MAX = 4096;

/** JSON text padded with trailing spaces to its bucket (JSON.parse ignores them). */
export function paddedJson(value: unknown, padding: RecordPadding): Uint8Array {
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    throw new CryptoError('BAD_INPUT', 'value is not serialisable as JSON');
  }
  if (typeof text !== 'string')
    throw new CryptoError('BAD_INPUT', 'value is not serialisable as JSON');
  const bytes = utf8Encode(text);
  const length = bytes.length;
  let target: number | undefined;
  if (padding === 'summary') {
    target = Math.max(SUMMARY_STEP, Math.ceil(length / SUMMARY_STEP) * SUMMARY_STEP);
    if (target > SUMMARY_MAX) target = undefined;
  } else if (padding === 'record') {
    target = RECORD_BUCKETS.find((bucket) => bucket >= length);
  } else {
    wipe(bytes);
    throw new CryptoError('BAD_INPUT', 'unknown padding');
  }
  if (target === undefined) {
    wipe(bytes);
    throw new CryptoError('BAD_INPUT', 'record is too large');
  }
  const out = new Uint8Array(target).fill(0x20);
  out.set(bytes);
  wipe(bytes);
  return out;
}

function attempt<T>(fn: () => T): ItemResult<T> {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    if (isCryptoError(error)) return { ok: false, code: error.code };
    throw error;
  }
}

function list<T>(value: T[], name: string): T[] {
  if (!Array.isArray(value)) throw new CryptoError('BAD_INPUT', `${name} must be an array`);
  return value;
}

export function createCaseCryptoApi(held: HeldKeys): CaseCryptoApi {
  return {
    async readGrantHeaders(envelopes) {
      return list(envelopes, 'envelopes').map((envelope) =>
        attempt(() => {
          const header = readGrantHeader(envelope);
          return {
            scope: header.subject.scope,
            subjectId: header.subject.id,
            version: header.subject.version,
            granteeId: header.granteeId,
            granterId: header.granterId,
          };
        }),
      );
    },

    async openCaseGrants(user, items) {
      const me = held.user(user);
      return list(items, 'items').map((item) =>
        attempt(() =>
          held.holdCase(
            openCaseKeyGrant(item.envelope, {
              caseId: item.caseId,
              version: item.version,
              grantee: me,
              granter: held.cert(item.granter),
            }),
          ),
        ),
      );
    },

    async encryptPaddedJson(caseKey, ref, value, padding) {
      const key = held.caseKey(caseKey);
      const plaintext = paddedJson(value, padding);
      try {
        return encryptRecord(key, ref, plaintext);
      } finally {
        wipe(plaintext);
      }
    },

    async rotateCaseKey(current, records, grantees, granter) {
      const rotation = rotateCase({
        current: held.caseKey(current),
        records: list(records, 'records'),
        grantees: list(grantees, 'grantees').map((g) => held.cert(g)),
        granter: held.user(granter),
      });
      return {
        next: held.holdCase(rotation.next),
        records: rotation.records.map((r) => r.envelope),
        grants: rotation.grants,
      };
    },

    async createIndexKey(id) {
      return held.holdIndex({ id, version: 1, key: generateIndexKey() });
    },

    async openIndexGrant(user, envelope, expect) {
      const key = openGrant(envelope, {
        subject: { scope: 'index', id: expect.id, version: expect.version },
        grantee: held.user(user),
        granter: held.cert(expect.granter),
      });
      return held.holdIndex({ id: expect.id, version: expect.version, key });
    },

    async sealIndexGrant(index, grantee, granter) {
      const key = held.index(index);
      return sealGrant(
        { scope: 'index', id: key.id, version: key.version },
        key.key,
        held.cert(grantee),
        held.user(granter),
      );
    },

    async blindIndexes(index, items, options = {}) {
      const key = held.index(index).key;
      return list(items, 'items').map((item) =>
        attempt(() => blindIndex(key, item.kind, item.value, options)),
      );
    },
  };
}
