/**
 * Packet expiry (docs/referrals.md, "Expiry"). A packet's assignee may read it until its
 * `expires_on` day; after that the assignee gets 404 at once (the queries check the day), and
 * `purgeExpiredPackets` — called by the retention job — deletes the grants of expired packets,
 * and, `keepDays` after expiry, the packet row itself (ciphertext, its wrap under the case key,
 * the override reason) and the assignee's notes under that packet key, which nobody could read
 * without it. Referral metadata and staff notes stay with the case (and go with its purge).
 */
import type { EntityManager } from 'typeorm';
import { sql } from '../database/sql';

/** Today as the API counts days (UTC); kept here so this file needs nothing from the cases. */
const TODAY = `(now() AT TIME ZONE 'UTC')::date`;

export interface PacketPurge {
  /** Packet grants deleted because their packet expired. */
  grantsDeleted: number;
  /** Packets deleted `keepDays` after expiry. */
  packetsDeleted: number;
}

/**
 * Runs in the caller's transaction (the retention job's, which also writes its audit event
 * with these counts: no content, no ids). `keepDays` ≥ 0.
 */
export async function purgeExpiredPackets(
  manager: EntityManager,
  keepDays: number,
): Promise<PacketPurge> {
  if (!Number.isInteger(keepDays) || keepDays < 0) {
    throw new RangeError('keepDays must be a whole number of days, at least 0');
  }
  const grants = await sql<{ referral_id: string }>(
    manager,
    `DELETE FROM referral_packet_grant g
      USING referral_packet p
      WHERE p.referral_id = g.referral_id AND p.key_version = g.key_version
        AND p.expires_on < ${TODAY}
      RETURNING g.referral_id`,
  );
  const packets = await sql<{ referral_id: string; key_version: number }>(
    manager,
    `DELETE FROM referral_packet
      WHERE expires_on + $1::integer < ${TODAY}
      RETURNING referral_id, key_version`,
    [keepDays],
  );
  if (packets.length > 0) {
    await manager.query(
      `UPDATE referral_transition t
          SET note_envelope = NULL, note_key = NULL, note_key_version = NULL
         FROM unnest($1::uuid[], $2::integer[]) AS gone (referral_id, key_version)
        WHERE t.referral_id = gone.referral_id AND t.note_key = 'packet'
          AND t.note_key_version = gone.key_version`,
      [packets.map((p) => p.referral_id), packets.map((p) => p.key_version)],
    );
  }
  return { grantsDeleted: grants.length, packetsDeleted: packets.length };
}
