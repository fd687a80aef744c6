import { toHex, utf8Decode, utf8Encode } from './bytes';
import { CryptoError } from './errors';
import { readGrantHeader } from './grants';
import {
  decryptPacket,
  decryptPacketNote,
  encryptPacket,
  encryptPacketNote,
  generatePacketKey,
  openPacketKeyGrant,
  PACKET_OVERHEAD,
  packetKeyVersion,
  sealPacketKeyGrant,
  unwrapPacketKey,
  wrapPacketKey,
} from './packets';
import { encryptRecord, generateCaseKey } from './records';
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
let cora: TestUser; // coordinator
let anna: TestUser; // caseworker
let pia: TestUser; // partner
let aud: TestUser; // auditor

beforeAll(async () => {
  await initCrypto();
  org = createTestOrg();
  cora = createTestUser(org, 'cora', 'coordinator');
  anna = createTestUser(org, 'anna', 'caseworker');
  pia = createTestUser(org, 'pia', 'partner');
  aud = createTestUser(org, 'aud', 'auditor');
  packetText = utf8Encode(JSON.stringify({ needs: 'shelter for two', language: 'ru' }));
});

let packetText: Uint8Array;

describe('packet envelopes', () => {
  it('round-trips a packet and pads it to a bucket', () => {
    const key = generatePacketKey('ref-1');
    const envelope = encryptPacket(key, packetText);
    expect(envelope[0]).toBe(0x01);
    expect(envelope[1]).toBe(0x08);
    expect(envelope.length).toBe(1024 + PACKET_OVERHEAD);
    expect(packetKeyVersion(envelope)).toBe(1);
    expect(utf8Decode(decryptPacket(key, envelope))).toBe(utf8Decode(packetText));
  });

  it('binds a packet to its referral, kind and key version', () => {
    const key = generatePacketKey('ref-1', 2);
    const envelope = encryptPacket(key, packetText);
    const otherReferral = { ...key, referralId: 'ref-2' };
    expect(codeOf(() => decryptPacket(otherReferral, envelope))).toBe('AUTH_FAILED');
    expect(codeOf(() => decryptPacket({ ...key, version: 3 }, envelope))).toBe('AUTH_FAILED');
    // A packet presented as a note (same id) fails: the kind is in the AD.
    expect(codeOf(() => decryptPacketNote(key, 'ref-1', envelope))).toBe('AUTH_FAILED');
    expect(codeOf(() => decryptPacket(generatePacketKey('ref-1', 2), envelope))).toBe(
      'AUTH_FAILED',
    );
    const tampered = envelope.slice();
    tampered[tampered.length - 1] ^= 1;
    expect(codeOf(() => decryptPacket(key, tampered))).toBe('AUTH_FAILED');
    // Relabelling the version in the header fails too.
    const relabelled = envelope.slice();
    relabelled[5] = 3;
    expect(codeOf(() => decryptPacket({ ...key, version: 3 }, relabelled))).toBe('AUTH_FAILED');
  });

  it('binds notes to their id', () => {
    const key = generatePacketKey('ref-1');
    const note = encryptPacketNote(key, 'note-1', utf8Encode('accepted, calling tomorrow'));
    expect(utf8Decode(decryptPacketNote(key, 'note-1', note))).toBe('accepted, calling tomorrow');
    expect(codeOf(() => decryptPacketNote(key, 'note-2', note))).toBe('AUTH_FAILED');
    expect(codeOf(() => decryptPacket(key, note))).toBe('AUTH_FAILED');
  });

  it('refuses other envelope kinds and truncated envelopes', () => {
    const caseKey = generateCaseKey('case-1');
    const record = encryptRecord(caseKey, { kind: 'note', recordId: 'r' }, packetText);
    expect(codeOf(() => packetKeyVersion(record))).toBe('BAD_ENVELOPE');
    const key = generatePacketKey('ref-1');
    expect(codeOf(() => decryptPacket(key, record))).toBe('BAD_ENVELOPE');
    const envelope = encryptPacket(key, packetText);
    expect(codeOf(() => packetKeyVersion(envelope.subarray(0, 20)))).toBe('BAD_ENVELOPE');
    expect(codeOf(() => decryptPacket(key, envelope.subarray(0, 40)))).toBe('BAD_ENVELOPE');
    expect(codeOf(() => generatePacketKey('', 1))).toBe('BAD_INPUT');
    expect(codeOf(() => generatePacketKey('ref', 0))).toBe('BAD_INPUT');
  });
});

describe('packet key wrap under the case key', () => {
  it('lets a case grantee recover the packet key', () => {
    const caseKey = generateCaseKey('case-1', 3);
    const key = generatePacketKey('ref-1', 2);
    const wrap = wrapPacketKey(caseKey, key);
    const back = unwrapPacketKey(caseKey, { referralId: 'ref-1', version: 2 }, wrap);
    expect(toHex(back.key)).toBe(toHex(key.key));
    expect(back.version).toBe(2);
  });

  it('refuses a wrap moved to another referral, version or case key', () => {
    const caseKey = generateCaseKey('case-1');
    const wrap = wrapPacketKey(caseKey, generatePacketKey('ref-1', 1));
    expect(codeOf(() => unwrapPacketKey(caseKey, { referralId: 'ref-2', version: 1 }, wrap))).toBe(
      'AUTH_FAILED',
    );
    expect(codeOf(() => unwrapPacketKey(caseKey, { referralId: 'ref-1', version: 2 }, wrap))).toBe(
      'AUTH_FAILED',
    );
    expect(
      codeOf(() =>
        unwrapPacketKey(generateCaseKey('case-1'), { referralId: 'ref-1', version: 1 }, wrap),
      ),
    ).toBe('AUTH_FAILED');
  });
});

describe('packet grants', () => {
  it('a coordinator seals the packet key to a partner and to an internal caseworker', () => {
    const key = generatePacketKey('ref-1', 1);
    for (const grantee of [pia, anna]) {
      const grant = sealPacketKeyGrant(key, grantee.certified, cora.keys);
      expect(readGrantHeader(grant).subject).toEqual({ scope: 'packet', id: 'ref-1', version: 1 });
      const opened = openPacketKeyGrant(grant, {
        referralId: 'ref-1',
        version: 1,
        grantee: grantee.keys,
        granter: cora.certified,
      });
      expect(toHex(opened.key)).toBe(toHex(key.key));
    }
  });

  it('refuses auditors, coordinators and admins as grantees', () => {
    const key = generatePacketKey('ref-1');
    for (const grantee of [aud, cora, org.admin]) {
      expect(codeOf(() => sealPacketKeyGrant(key, grantee.certified, cora.keys))).toBe(
        'UNCERTIFIED_KEY',
      );
    }
  });

  it('refuses a packet grant issued by a caseworker', () => {
    const key = generatePacketKey('ref-1');
    const grant = sealPacketKeyGrant(key, pia.certified, anna.keys);
    expect(
      codeOf(() =>
        openPacketKeyGrant(grant, {
          referralId: 'ref-1',
          version: 1,
          grantee: pia.keys,
          granter: anna.certified,
        }),
      ),
    ).toBe('UNCERTIFIED_KEY');
  });

  it('refuses a packet grant of another referral or version', () => {
    const grant = sealPacketKeyGrant(generatePacketKey('ref-1', 1), pia.certified, cora.keys);
    const expectFor = (referralId: string, version: number) => () =>
      openPacketKeyGrant(grant, {
        referralId,
        version,
        grantee: pia.keys,
        granter: cora.certified,
      });
    expect(codeOf(expectFor('ref-2', 1))).toBe('AUTH_FAILED');
    expect(codeOf(expectFor('ref-1', 2))).toBe('AUTH_FAILED');
  });
});
