/**
 * The referral-packet operations of the crypto worker (see packet-crypto-protocol.ts). Packet
 * keys stay in the worker behind handles, like case keys; plaintext leaves only as parsed JSON.
 */
import {
  CryptoError,
  decryptPacket,
  decryptPacketNote,
  encryptPacket,
  encryptPacketNote,
  generatePacketKey,
  isCryptoError,
  openPacketKeyGrant,
  sealPacketKeyGrant,
  unwrapPacketKey,
  utf8Decode,
  utf8Encode,
  wipe,
  wrapPacketKey,
  type CaseKey,
  type CertifiedKey,
  type PacketKey,
  type UserKeys,
} from '@haven/crypto';
import type { ItemResult } from './crypto-protocol';
import type { OpenedPacketKey, PacketCryptoApi, PacketKeyHandle } from './packet-crypto-protocol';

/** How the packet operations reach the worker's held keys. */
export interface HeldPacketKeys {
  holdPacket(key: PacketKey): PacketKeyHandle;
  packetKey(handle: unknown): PacketKey;
  caseKey(handle: unknown): CaseKey;
  cert(handle: unknown): CertifiedKey;
  user(handle: unknown): UserKeys;
}

function jsonBytes(value: unknown): Uint8Array {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  if (typeof text !== 'string') {
    throw new CryptoError('BAD_INPUT', 'value is not serialisable as JSON');
  }
  return utf8Encode(text);
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(utf8Decode(bytes)) as unknown;
  } catch {
    throw new CryptoError('BAD_ENVELOPE', 'packet record is not UTF-8 JSON');
  } finally {
    wipe(bytes);
  }
}

export function createPacketCryptoApi(held: HeldPacketKeys): PacketCryptoApi {
  const opened = (key: PacketKey): OpenedPacketKey => ({
    packetKey: held.holdPacket(key),
    referralId: key.referralId,
    version: key.version,
  });

  return {
    async buildPacket(caseKeyHandle, packet, granteeHandles, granterHandle) {
      if (typeof packet !== 'object' || packet === null) {
        throw new CryptoError('BAD_INPUT', 'packet must be an object');
      }
      if (!Array.isArray(granteeHandles) || granteeHandles.length === 0) {
        throw new CryptoError('BAD_INPUT', 'a packet needs at least one certified grantee');
      }
      // Resolve every handle first: an unknown or unverified key fails before anything is made.
      const caseKey = held.caseKey(caseKeyHandle);
      const grantees = granteeHandles.map((handle) => held.cert(handle));
      const granter = held.user(granterHandle);
      const packetKey = generatePacketKey(packet.referralId, packet.version);
      const plaintext = jsonBytes(packet.content);
      try {
        const envelope = encryptPacket(packetKey, plaintext);
        const caseKeyWrap = wrapPacketKey(caseKey, packetKey);
        // sealGrant refuses a grantee whose certified role may not receive packet grants.
        const grants = grantees.map((grantee) => ({
          granteeId: grantee.subjectId,
          envelope: sealPacketKeyGrant(packetKey, grantee, granter),
        }));
        return { ...opened(packetKey), envelope, caseKeyWrap, grants };
      } catch (error) {
        wipe(packetKey.key);
        throw error;
      } finally {
        wipe(plaintext);
      }
    },

    async openPacketGrant(user, envelope, expect) {
      if (typeof expect !== 'object' || expect === null) {
        throw new CryptoError('BAD_INPUT', 'expectation must be an object');
      }
      return opened(
        openPacketKeyGrant(envelope, {
          referralId: expect.referralId,
          version: expect.version,
          grantee: held.user(user),
          granter: held.cert(expect.granter),
        }),
      );
    },

    async unwrapPacketKey(caseKey, expect, wrap) {
      return opened(unwrapPacketKey(held.caseKey(caseKey), expect, wrap));
    },

    async decryptPacketJson(packetKey, envelope) {
      return parseJson(decryptPacket(held.packetKey(packetKey), envelope));
    },

    async encryptPacketNoteJson(packetKey, noteId, value) {
      const key = held.packetKey(packetKey);
      const plaintext = jsonBytes(value);
      try {
        return encryptPacketNote(key, noteId, plaintext);
      } finally {
        wipe(plaintext);
      }
    },

    async decryptPacketNotesJson(items) {
      if (!Array.isArray(items)) throw new CryptoError('BAD_INPUT', 'items must be an array');
      return items.map((item): ItemResult<unknown> => {
        try {
          const key = held.packetKey(item?.packetKey);
          return { ok: true, value: parseJson(decryptPacketNote(key, item.noteId, item.envelope)) };
        } catch (error) {
          if (isCryptoError(error)) return { ok: false, code: error.code };
          throw error;
        }
      });
    },
  };
}
