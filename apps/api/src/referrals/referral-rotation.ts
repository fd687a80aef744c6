/**
 * The referral part of a case key rotation (docs/referrals.md, "Case key rotation"). Referral
 * reasons, staff transition notes (`note_key = 'case'`), packet key wraps and override reasons
 * are record envelopes under the case key. A rotation must carry every one of them that is at
 * the old version, re-encrypted at the new one, or nothing is written: otherwise they would stay
 * readable only with the old key, which is exactly what a removed person may have kept.
 *
 * Runs inside the rotation's transaction, which holds the case row's lock: every writer of these
 * items locks the case row first (propose through `withCase`, staff transitions explicitly), so
 * none can be added at the old version meanwhile. The rows themselves are locked here too
 * (against the packet purge).
 */
import { ConflictException } from '@nestjs/common';
import type { ParsedBody, Routes } from '@haven/contracts';
import type { EntityManager } from 'typeorm';
import { recordEnvelope } from '../cases/envelopes';
import { sql } from '../database/sql';

type RotationItems = ParsedBody<Routes['rotateCase']>['referrals'];

/** The key version in a record envelope's header (bytes 2..5, u32be), in SQL. */
const headerVersion = (column: string) =>
  `((get_byte(${column}, 2)::bigint << 24) | (get_byte(${column}, 3)::bigint << 16)
    | (get_byte(${column}, 4)::bigint << 8) | get_byte(${column}, 5)::bigint)`;

export interface ReferralRotation {
  reasons: { id: string; envelope: Buffer }[];
  notes: { id: string; envelope: Buffer }[];
  packets: {
    referralId: string;
    keyVersion: number;
    caseKeyWrap: Buffer;
    overrideReason: Buffer | null;
  }[];
}

function incomplete(): ConflictException {
  return new ConflictException(
    'The rotation must re-encrypt every referral reason, staff note, packet key and override ' +
      'reason of the case exactly once. Reload and try again.',
  );
}

function sameSet(sent: readonly string[], existing: readonly string[]): boolean {
  const set = new Set(sent);
  return (
    set.size === sent.length && set.size === existing.length && existing.every((k) => set.has(k))
  );
}

/**
 * Checks that `items` covers exactly the case's referral items at `from` (409 otherwise) and
 * that every envelope is a record at `to` (400/409/413). Writes nothing.
 */
export async function checkReferralRotation(
  m: EntityManager,
  caseId: string,
  from: number,
  to: number,
  items: RotationItems,
): Promise<ReferralRotation> {
  const reasons = await sql<{ id: string }>(
    m,
    `SELECT id FROM referral WHERE case_id = $1 AND reason_key_version = $2 FOR UPDATE`,
    [caseId, from],
  );
  const notes = await sql<{ id: string }>(
    m,
    `SELECT t.id FROM referral_transition t JOIN referral r ON r.id = t.referral_id
      WHERE r.case_id = $1 AND t.note_key = 'case' AND t.note_key_version = $2
        FOR UPDATE OF t`,
    [caseId, from],
  );
  const packets = await sql<{ referral_id: string; key_version: number; has_override: boolean }>(
    m,
    `SELECT p.referral_id, p.key_version, p.override_reason IS NOT NULL AS has_override
       FROM referral_packet p JOIN referral r ON r.id = p.referral_id
      WHERE r.case_id = $1 AND p.case_key_wrap IS NOT NULL
        AND ${headerVersion('p.case_key_wrap')} = $2
        FOR UPDATE OF p`,
    [caseId, from],
  );

  const packetKey = (referralId: string, keyVersion: number) => `${referralId}@${keyVersion}`;
  if (
    !sameSet(
      items.reasons.map((r) => r.id),
      reasons.map((r) => r.id),
    ) ||
    !sameSet(
      items.notes.map((n) => n.id),
      notes.map((n) => n.id),
    ) ||
    !sameSet(
      items.packets.map((p) => packetKey(p.referralId, p.keyVersion)),
      packets.map((p) => packetKey(p.referral_id, p.key_version)),
    )
  ) {
    throw incomplete();
  }
  const hasOverride = new Map(
    packets.map((p) => [packetKey(p.referral_id, p.key_version), p.has_override]),
  );
  if (
    items.packets.some(
      (p) => (p.overrideReason !== null) !== hasOverride.get(packetKey(p.referralId, p.keyVersion)),
    )
  ) {
    throw incomplete();
  }

  return {
    reasons: items.reasons.map((r, i) => ({
      id: r.id,
      envelope: recordEnvelope(r.envelope, `referrals.reasons.${i}.envelope`, to),
    })),
    notes: items.notes.map((n, i) => ({
      id: n.id,
      envelope: recordEnvelope(n.envelope, `referrals.notes.${i}.envelope`, to),
    })),
    packets: items.packets.map((p, i) => ({
      referralId: p.referralId,
      keyVersion: p.keyVersion,
      caseKeyWrap: recordEnvelope(p.caseKeyWrap, `referrals.packets.${i}.caseKeyWrap`, to),
      overrideReason:
        p.overrideReason === null
          ? null
          : recordEnvelope(p.overrideReason, `referrals.packets.${i}.overrideReason`, to),
    })),
  };
}

/** Writes a checked rotation: every item replaced and recorded at version `to`. */
export async function applyReferralRotation(
  m: EntityManager,
  caseId: string,
  to: number,
  rotation: ReferralRotation,
): Promise<void> {
  if (rotation.reasons.length > 0) {
    await m.query(
      `UPDATE referral r SET reason_envelope = v.envelope, reason_key_version = $2
         FROM unnest($3::uuid[], $4::bytea[]) AS v(id, envelope)
        WHERE r.case_id = $1 AND r.id = v.id`,
      [caseId, to, rotation.reasons.map((r) => r.id), rotation.reasons.map((r) => r.envelope)],
    );
  }
  if (rotation.notes.length > 0) {
    await m.query(
      `UPDATE referral_transition t SET note_envelope = v.envelope, note_key_version = $2
         FROM unnest($3::uuid[], $4::bytea[]) AS v(id, envelope), referral r
        WHERE t.id = v.id AND t.note_key = 'case' AND r.id = t.referral_id AND r.case_id = $1`,
      [caseId, to, rotation.notes.map((n) => n.id), rotation.notes.map((n) => n.envelope)],
    );
  }
  if (rotation.packets.length > 0) {
    await m.query(
      `UPDATE referral_packet p SET case_key_wrap = v.wrap, override_reason = v.override
         FROM unnest($2::uuid[], $3::integer[], $4::bytea[], $5::bytea[])
                AS v(referral_id, key_version, wrap, override),
              referral r
        WHERE p.referral_id = v.referral_id AND p.key_version = v.key_version
          AND r.id = p.referral_id AND r.case_id = $1`,
      [
        caseId,
        rotation.packets.map((p) => p.referralId),
        rotation.packets.map((p) => p.keyVersion),
        rotation.packets.map((p) => p.caseKeyWrap),
        rotation.packets.map((p) => p.overrideReason),
      ],
    );
  }
}
