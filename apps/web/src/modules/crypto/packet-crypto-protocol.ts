/**
 * The crypto worker's referral-packet operations (docs/referrals.md, docs/crypto.md "Packet
 * envelope"). A packet is the part of a case a coordinator shares with a referral's assignee:
 * encrypted under its own packet key (never the case key), the key wrapped under the case key
 * for case grantees and sealed to each assignee. Part of CryptoWorkerApi; kept in its own file
 * so that the referrals feature's additions read as one.
 */
import type { CaseKeyHandle, CertHandle, ItemResult, UserHandle } from './crypto-protocol';

declare const packetBrand: unique symbol;
/** Names a referral's packet key at one version, held in the worker. */
export type PacketKeyHandle = string & { readonly [packetBrand]: 'packet' };

export interface OpenedPacketKey {
  packetKey: PacketKeyHandle;
  referralId: string;
  version: number;
}

/** Everything the assign request carries about the packet, made in one go. */
export interface BuiltPacket extends OpenedPacketKey {
  /** The packet (JSON of the chosen fields) under the packet key. */
  envelope: Uint8Array;
  /** The packet key wrapped under the case key (so case grantees read packet and notes). */
  caseKeyWrap: Uint8Array;
  /** The packet key sealed to each grantee, in the order given, signed by the granter. */
  grants: { granteeId: string; envelope: Uint8Array }[];
}

export interface PacketNoteItem {
  packetKey: PacketKeyHandle;
  noteId: string;
  envelope: Uint8Array;
}

export interface PacketCryptoApi {
  /**
   * Assign time, in the coordinator's worker: a fresh packet key at `version`, `content`
   * (JSON) encrypted under it, the key wrapped under the case key and sealed to every grantee.
   * All or nothing: no grantee, or a grantee whose certificate does not allow packet grants
   * (only partners and caseworkers may receive them), fails the whole call.
   */
  buildPacket(
    caseKey: CaseKeyHandle,
    packet: { referralId: string; version: number; content: unknown },
    grantees: CertHandle[],
    granter: UserHandle,
  ): Promise<BuiltPacket>;
  /** The assignee opens their grant: addressed to them, this referral and version, signed by `granter`. */
  openPacketGrant(
    user: UserHandle,
    envelope: Uint8Array,
    expect: { referralId: string; version: number; granter: CertHandle },
  ): Promise<OpenedPacketKey>;
  /** A case grantee opens the packet key through its wrap under the case key. */
  unwrapPacketKey(
    caseKey: CaseKeyHandle,
    expect: { referralId: string; version: number },
    wrap: Uint8Array,
  ): Promise<OpenedPacketKey>;
  /** decryptPacket + JSON.parse. */
  decryptPacketJson(packetKey: PacketKeyHandle, envelope: Uint8Array): Promise<unknown>;
  /** An assignee's note on a transition (decline reason, outcome), bound to its note id. */
  encryptPacketNoteJson(
    packetKey: PacketKeyHandle,
    noteId: string,
    value: unknown,
  ): Promise<Uint8Array>;
  /** Many notes at once; one that does not open fails alone. */
  decryptPacketNotesJson(items: PacketNoteItem[]): Promise<ItemResult<unknown>[]>;
}

/** Every PacketCryptoApi method, for the client's method list. */
export const PACKET_CRYPTO_METHODS: Record<keyof PacketCryptoApi, true> = {
  buildPacket: true,
  openPacketGrant: true,
  unwrapPacketKey: true,
  decryptPacketJson: true,
  encryptPacketNoteJson: true,
  decryptPacketNotesJson: true,
};
