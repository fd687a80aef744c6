import { toHex, utf8Decode, utf8Encode } from './bytes';
import { CryptoError } from './errors';
import { openCaseKeyGrant } from './grants';
import { decryptRecord, encryptRecord, generateCaseKey, recordKeyVersion } from './records';
import { generatePacketKey, PACKET_KEY_WRAP_KIND, unwrapPacketKey, wrapPacketKey } from './packets';
import { nextCaseKey, reencryptRecord, rotateCase } from './rotation';
import { initCrypto } from './sodium';
import { createTestOrg, createTestUser, type TestOrg, type TestUser } from './testing';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof CryptoError) return error.code;
    return `non-CryptoError: ${String(error)}`;
  }
  return 'no error';
}

let org: TestOrg;
let cora: TestUser;
let anna: TestUser;
let boris: TestUser;

beforeAll(async () => {
  await initCrypto();
  org = createTestOrg();
  cora = createTestUser(org, 'cora', 'coordinator');
  anna = createTestUser(org, 'anna', 'caseworker');
  boris = createTestUser(org, 'boris', 'caseworker');
});

describe('key rotation', () => {
  it('makes a new version with a different key', () => {
    const v1 = generateCaseKey('case-1');
    const v2 = nextCaseKey(v1);
    expect(v2.caseId).toBe('case-1');
    expect(v2.version).toBe(2);
    expect(toHex(v2.key)).not.toBe(toHex(v1.key));
  });

  it('re-encrypts a record under the new version; the old key no longer opens it', () => {
    const v1 = generateCaseKey('case-1');
    const v2 = nextCaseKey(v1);
    const ref = { kind: 'note', recordId: 'n1' };
    const moved = reencryptRecord(
      v1,
      v2,
      ref,
      encryptRecord(v1, ref, utf8Encode('met at the station')),
    );
    expect(recordKeyVersion(moved)).toBe(2);
    expect(utf8Decode(decryptRecord(v2, ref, moved))).toBe('met at the station');
    expect(codeOf(() => decryptRecord(v1, ref, moved))).toBe('AUTH_FAILED');
  });

  it('rotates a whole case after Boris is revoked: records re-encrypted, key re-sealed to the rest', () => {
    const v1 = generateCaseKey('case-1');
    const records = ['summary', 'note'].map((kind, i) => {
      const ref = { kind, recordId: `r${i}` };
      return { ref, envelope: encryptRecord(v1, ref, utf8Encode(`${kind} text`)) };
    });
    const rotation = rotateCase({
      current: v1,
      records,
      grantees: [cora.certified, anna.certified],
      granter: cora.keys,
    });
    expect(rotation.next.version).toBe(2);
    expect(rotation.records).toHaveLength(2);
    expect(rotation.grants.map((g) => g.granteeId)).toEqual(['cora', 'anna']);
    const annaGrant = rotation.grants[1].envelope;
    const annaKey = openCaseKeyGrant(annaGrant, {
      caseId: 'case-1',
      version: 2,
      grantee: anna.keys,
      granter: cora.certified,
    });
    for (const record of rotation.records) {
      expect(utf8Decode(decryptRecord(annaKey, record.ref, record.envelope))).toBe(
        `${record.ref.kind} text`,
      );
    }
    // Boris's old v1 key opens none of the new records, and no v2 grant names him.
    for (const record of rotation.records) {
      expect(codeOf(() => decryptRecord(v1, record.ref, record.envelope))).toBe('AUTH_FAILED');
    }
    expect(
      codeOf(() =>
        openCaseKeyGrant(annaGrant, {
          caseId: 'case-1',
          version: 2,
          grantee: boris.keys,
          granter: cora.certified,
        }),
      ),
    ).toBe('AUTH_FAILED');
  });

  it('is all or nothing: one bad record aborts the rotation', () => {
    const v1 = generateCaseKey('case-1');
    const ref = { kind: 'note', recordId: 'r1' };
    const good = { ref, envelope: encryptRecord(v1, ref, utf8Encode('ok')) };
    const bad = {
      ref: { kind: 'note', recordId: 'r2' },
      envelope: encryptRecord(generateCaseKey('case-1'), ref, utf8Encode('x')),
    };
    expect(
      codeOf(() =>
        rotateCase({
          current: v1,
          records: [good, bad],
          grantees: [anna.certified],
          granter: cora.keys,
        }),
      ),
    ).toBe('AUTH_FAILED');
    expect(
      codeOf(() => rotateCase({ current: v1, records: [good], grantees: [], granter: cora.keys })),
    ).toBe('BAD_INPUT');
    expect(
      codeOf(() =>
        rotateCase({
          current: v1,
          records: [null as never],
          grantees: [anna.certified],
          granter: cora.keys,
        }),
      ),
    ).toBe('BAD_INPUT');
  });
});

describe('rotation of referral items under the case key', () => {
  it('re-wraps a packet key for the same referral and packet version under the next key', () => {
    const v1 = generateCaseKey('case-r');
    const packetKey = generatePacketKey('referral-1', 3);
    const wrap = wrapPacketKey(v1, packetKey);
    const ref = { kind: PACKET_KEY_WRAP_KIND, recordId: 'referral-1' };
    const rotated = rotateCase({
      current: v1,
      records: [
        { ref, envelope: wrap },
        {
          ref: { kind: 'referral', recordId: 'referral-1' },
          envelope: encryptRecord(
            v1,
            { kind: 'referral', recordId: 'referral-1' },
            utf8Encode('reason'),
          ),
        },
      ],
      grantees: [anna.certified, cora.certified],
      granter: cora.keys,
    });
    const [rewrapped, reason] = rotated.records.map((r) => r.envelope);
    if (!rewrapped || !reason) throw new Error('two records expected');
    expect(recordKeyVersion(rewrapped)).toBe(2);
    const opened = unwrapPacketKey(
      rotated.next,
      { referralId: 'referral-1', version: 3 },
      rewrapped,
    );
    expect(toHex(opened.key)).toBe(toHex(packetKey.key));
    expect(
      utf8Decode(decryptRecord(rotated.next, { kind: 'referral', recordId: 'referral-1' }, reason)),
    ).toBe('reason');
    // The old key no longer opens the wrap, nor another referral or packet version the new one.
    expect(
      codeOf(() => unwrapPacketKey(v1, { referralId: 'referral-1', version: 3 }, rewrapped)),
    ).toBe('AUTH_FAILED');
    expect(
      codeOf(() =>
        unwrapPacketKey(rotated.next, { referralId: 'referral-2', version: 3 }, rewrapped),
      ),
    ).toBe('AUTH_FAILED');
    expect(
      codeOf(() =>
        unwrapPacketKey(rotated.next, { referralId: 'referral-1', version: 2 }, rewrapped),
      ),
    ).not.toBe('no error');
    // A wrap presented as the reason (another kind) does not open either.
    expect(
      codeOf(() =>
        decryptRecord(rotated.next, { kind: 'referral', recordId: 'referral-1' }, rewrapped),
      ),
    ).toBe('AUTH_FAILED');
  });
});
