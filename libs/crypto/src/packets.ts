/**
 * Referral packets (docs/referrals.md, docs/crypto.md "Packet envelope"). A packet is the part
 * of a case a coordinator shares with the assignee of a referral (a partner organisation's
 * users, or an internal caseworker). It is encrypted under its own random 32-byte packet key,
 * never under the case key, so that an assignee learns nothing else about the case:
 *
 * - the packet and the assignee's notes are packet envelopes whose additional data binds them
 *   to the referral id, a record kind (`packet` or `note`), a record id and the packet key
 *   version (a re-assignment makes a new key, version + 1);
 * - the packet key is wrapped under the case key (a record of kind `packet-key` whose plaintext
 *   starts with the packet key version), so case grantees can read the packet and partner notes;
 * - the packet key is sealed to each assignee with the grant format, scope `packet`, signed by
 *   the assigning coordinator.
 */
import {
  assertBytes,
  assertUint32,
  concatBytes,
  idBytes,
  lengthPrefixed,
  u32be,
  utf8Encode,
  wipe,
} from './bytes';
import type { CertifiedKey } from './certs';
import { envelopeHeader, openEnvelope } from './envelope';
import { CryptoError } from './errors';
import { openGrant, sealGrant } from './grants';
import { padToBucket, unpadFromBucket } from './intake';
import type { UserKeys } from './keys';
import {
  aeadDecrypt,
  aeadEncrypt,
  KEY_BYTES,
  NONCE_BYTES,
  newKey,
  newNonce,
  TAG_BYTES,
} from './primitives';
import { decryptRecord, encryptRecord, type CaseKey } from './records';

/** A referral's packet key at one version. Memory only; wipe with `wipe(packetKey.key)`. */
export interface PacketKey {
  readonly referralId: string;
  /** 1 for the first assignment, + 1 for every re-assignment (a fresh key each time). */
  readonly version: number;
  readonly key: Uint8Array;
}

/** What a packet envelope holds: the packet itself, or an assignee's note on a transition. */
export type PacketRecordKind = 'packet' | 'note';

/** header (2) + packet key version (4) + nonce (24). */
export const PACKET_HEADER_BYTES = 6 + NONCE_BYTES;
/** Smallest possible packet envelope: header and tag around an empty plaintext. */
export const PACKET_OVERHEAD = PACKET_HEADER_BYTES + TAG_BYTES;
/** The record kind of a packet key wrapped under its case key. */
export const PACKET_KEY_WRAP_KIND = 'packet-key';

export function generatePacketKey(referralId: string, version = 1): PacketKey {
  idBytes(referralId, 'referralId');
  assertUint32(version, 'version', 1);
  return { referralId, version, key: newKey() };
}

export function packetKeyFrom(referralId: string, version: number, key: Uint8Array): PacketKey {
  idBytes(referralId, 'referralId');
  assertUint32(version, 'version', 1);
  assertBytes(key, 'key', KEY_BYTES);
  return { referralId, version, key };
}

function checkPacketKey(packetKey: PacketKey): Uint8Array {
  if (typeof packetKey !== 'object' || packetKey === null) {
    throw new CryptoError('BAD_INPUT', 'packetKey must be a PacketKey');
  }
  assertBytes(packetKey.key, 'packetKey.key', KEY_BYTES);
  assertUint32(packetKey.version, 'packetKey.version', 1);
  return idBytes(packetKey.referralId, 'packetKey.referralId');
}

function checkKind(kind: PacketRecordKind): Uint8Array {
  if (kind !== 'packet' && kind !== 'note') {
    throw new CryptoError('BAD_INPUT', 'packet record kind must be packet or note');
  }
  return utf8Encode(kind);
}

/** AD = lp(header, "haven/packet/v1", referralId, kind, recordId, u32be(pv)). */
function packetAd(
  header: Uint8Array,
  referralId: Uint8Array,
  kind: Uint8Array,
  recordId: Uint8Array,
  version: number,
): Uint8Array {
  return lengthPrefixed(
    header,
    utf8Encode('haven/packet/v1'),
    referralId,
    kind,
    recordId,
    u32be(version),
  );
}

function encryptPacketRecord(
  packetKey: PacketKey,
  kind: PacketRecordKind,
  recordId: string,
  plaintext: Uint8Array,
): Uint8Array {
  const referralId = checkPacketKey(packetKey);
  const kindBytes = checkKind(kind);
  const id = idBytes(recordId, 'recordId');
  assertBytes(plaintext, 'plaintext');
  const header = envelopeHeader('packet');
  const nonce = newNonce();
  const padded = padToBucket(plaintext);
  try {
    const ad = packetAd(header, referralId, kindBytes, id, packetKey.version);
    const ciphertext = aeadEncrypt(packetKey.key, nonce, padded, ad);
    return concatBytes(header, u32be(packetKey.version), nonce, ciphertext);
  } finally {
    wipe(padded);
  }
}

function decryptPacketRecord(
  packetKey: PacketKey,
  kind: PacketRecordKind,
  recordId: string,
  envelope: Uint8Array,
): Uint8Array {
  const referralId = checkPacketKey(packetKey);
  const kindBytes = checkKind(kind);
  const id = idBytes(recordId, 'recordId');
  const reader = openEnvelope(envelope, 'packet');
  const version = reader.u32();
  const nonce = reader.take(NONCE_BYTES);
  const ciphertext = reader.rest();
  if (ciphertext.length < TAG_BYTES) {
    throw new CryptoError('BAD_ENVELOPE', 'packet envelope is truncated');
  }
  if (version !== packetKey.version) {
    throw new CryptoError('AUTH_FAILED', 'packet is not encrypted under this key version');
  }
  const ad = packetAd(envelope.subarray(0, 2), referralId, kindBytes, id, packetKey.version);
  const padded = aeadDecrypt(packetKey.key, nonce, ciphertext, ad);
  try {
    return unpadFromBucket(padded);
  } finally {
    wipe(padded);
  }
}

/**
 * Encrypts a packet (the chosen case fields, serialised by the caller) under its packet key,
 * padded to a bucket size: `01 08 | pv (u32 BE) | nonce (24) | ciphertext || tag (16)`.
 */
export function encryptPacket(packetKey: PacketKey, plaintext: Uint8Array): Uint8Array {
  return encryptPacketRecord(packetKey, 'packet', packetKey?.referralId, plaintext);
}

export function decryptPacket(packetKey: PacketKey, envelope: Uint8Array): Uint8Array {
  return decryptPacketRecord(packetKey, 'packet', packetKey?.referralId, envelope);
}

/** An assignee's note on a transition (decline reason, progress, outcome), bound to its id. */
export function encryptPacketNote(
  packetKey: PacketKey,
  noteId: string,
  plaintext: Uint8Array,
): Uint8Array {
  return encryptPacketRecord(packetKey, 'note', noteId, plaintext);
}

export function decryptPacketNote(
  packetKey: PacketKey,
  noteId: string,
  envelope: Uint8Array,
): Uint8Array {
  return decryptPacketRecord(packetKey, 'note', noteId, envelope);
}

/** The packet key version a packet envelope claims (unauthenticated: use it to pick a key). */
export function packetKeyVersion(envelope: Uint8Array): number {
  const reader = openEnvelope(envelope, 'packet');
  const version = reader.u32();
  if (version === 0 || envelope.length < PACKET_OVERHEAD) {
    throw new CryptoError('BAD_ENVELOPE', 'not a packet envelope');
  }
  return version;
}

/**
 * Wraps the packet key under the case key: a record envelope of kind `packet-key`, record id
 * the referral id, plaintext `pv (u32 BE) | key (32)`. The case key's own version is in the
 * record header (a case rotation must re-wrap it).
 */
export function wrapPacketKey(caseKey: CaseKey, packetKey: PacketKey): Uint8Array {
  checkPacketKey(packetKey);
  const plaintext = concatBytes(u32be(packetKey.version), packetKey.key);
  try {
    return encryptRecord(
      caseKey,
      { kind: PACKET_KEY_WRAP_KIND, recordId: packetKey.referralId },
      plaintext,
    );
  } finally {
    wipe(plaintext);
  }
}

/** Opens a wrap made by `wrapPacketKey`; refuses a wrap of another referral or key version. */
export function unwrapPacketKey(
  caseKey: CaseKey,
  expect: { referralId: string; version: number },
  wrap: Uint8Array,
): PacketKey {
  if (typeof expect !== 'object' || expect === null) {
    throw new CryptoError('BAD_INPUT', 'expectation must be an object');
  }
  assertUint32(expect.version, 'version', 1);
  const plaintext = decryptRecord(
    caseKey,
    { kind: PACKET_KEY_WRAP_KIND, recordId: expect.referralId },
    wrap,
  );
  if (plaintext.length !== 4 + KEY_BYTES) {
    wipe(plaintext);
    throw new CryptoError('BAD_ENVELOPE', 'packet key wrap has the wrong length');
  }
  const version = new DataView(plaintext.buffer, plaintext.byteOffset, 4).getUint32(0, false);
  if (version !== expect.version) {
    wipe(plaintext);
    throw new CryptoError('AUTH_FAILED', 'packet key wrap is for another key version');
  }
  const key = plaintext.slice(4);
  wipe(plaintext);
  return packetKeyFrom(expect.referralId, version, key);
}

/** Seals the packet key to an assignee (partner or internal caseworker); coordinators only. */
export function sealPacketKeyGrant(
  packetKey: PacketKey,
  grantee: CertifiedKey,
  granter: UserKeys,
): Uint8Array {
  checkPacketKey(packetKey);
  return sealGrant(
    { scope: 'packet', id: packetKey.referralId, version: packetKey.version },
    packetKey.key,
    grantee,
    granter,
  );
}

export function openPacketKeyGrant(
  envelope: Uint8Array,
  expect: { referralId: string; version: number; grantee: UserKeys; granter: CertifiedKey },
): PacketKey {
  if (typeof expect !== 'object' || expect === null) {
    throw new CryptoError('BAD_INPUT', 'expectation must be an object');
  }
  const key = openGrant(envelope, {
    subject: { scope: 'packet', id: expect.referralId, version: expect.version },
    grantee: expect.grantee,
    granter: expect.granter,
  });
  return packetKeyFrom(expect.referralId, expect.version, key);
}
