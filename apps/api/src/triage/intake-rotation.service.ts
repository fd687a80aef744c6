/**
 * Rotation of the intake key (docs/intake.md, "Rotation of the intake key"). The server never
 * sees an intake private key: a coordinator's browser makes the new key pair, re-seals every
 * pending submission and follow-up to it and seals the new private key to every coordinator;
 * that is stored as a proposal. An admin's browser signs the new public key with the
 * organisation root, and the approval commits everything in one transaction, or nothing.
 */
import {
  BadRequestException,
  HttpException,
  Injectable,
  ServiceUnavailableException,
} from '@nestjs/common';
import type {
  ApproveIntakeRotationRequest,
  IntakeRotationPending,
  IntakeRotationProposal,
  IntakeRotationResponse,
  IntakeSealedRow,
  ProposeIntakeRotationRequest,
} from '@haven/contracts';
import { checkIntakeEnvelope, verifyIntakeKey } from '@haven/crypto';
import type { EntityManager } from 'typeorm';
import type { Caller } from '../access/caller';
import { AuditService } from '../audit/audit.service';
import { CaseStore, rows, TODAY_SQL } from '../cases/case-store';
import { decodeBase64Url, encodeBase64Url } from '../cases/envelopes';
import { INTAKE_KEY_LOCK, intakeGrantEnvelope } from './intake-key-grants';

type Db = EntityManager | CaseStore['dataSource'];

interface OrgRow {
  root_sign_pk: Buffer;
  intake_box_pk: Buffer;
  intake_key_version: number;
}

interface SealedRow {
  id: string;
  envelope: Buffer;
}

/** A refusal with the reason its audit event gives (`denied:<reason>`). */
class Refusal extends HttpException {
  constructor(
    readonly reason: string,
    status: 400 | 403 | 404 | 409,
    message: string,
  ) {
    super(message, status);
  }
}

const OUTDATED =
  'Submissions or follow-ups sealed to the old key arrived, or the coordinators changed, since ' +
  'this rotation was proposed. A coordinator must start the rotation again.';

/** Pending rows sealed to the intake key at `version`, oldest first. */
const PENDING_SUBMISSIONS = `SELECT id, envelope FROM intake_submission WHERE key_version = $1
                             ORDER BY received_on, id`;
const PENDING_FOLLOW_UPS = `SELECT id, envelope FROM intake_message
                             WHERE direction = 'from_person' AND key_version = $1
                             ORDER BY created_on, id`;

@Injectable()
export class IntakeRotationService {
  constructor(
    private readonly store: CaseStore,
    private readonly audit: AuditService,
  ) {}

  /** The proposal waiting for a signature, if any (for the intake key status). */
  async proposal(db: Db, version: number): Promise<IntakeRotationProposal | null> {
    const found = await rows<{
      id: string;
      from_version: number;
      intake_box_pk: Buffer;
      proposed_by: string;
      username: string;
      created_on: string;
    }>(
      db,
      `SELECT r.id, r.from_version, r.intake_box_pk, r.proposed_by, u.username,
              to_char(r.created_on, 'YYYY-MM-DD') AS created_on
         FROM intake_key_rotation r JOIN app_user u ON u.id = r.proposed_by`,
    );
    const p = found[0];
    if (!p) return null;
    const outdated =
      p.from_version !== version || (await this.uncovered(db, p.id, p.from_version)) > 0;
    return {
      id: p.id,
      fromVersion: p.from_version,
      intakePublicKey: encodeBase64Url(p.intake_box_pk),
      proposedBy: { id: p.proposed_by, username: p.username },
      proposedOn: p.created_on,
      outdated,
    };
  }

  /** Every pending submission and follow-up at the current version, for the caller to re-seal. */
  async pending(caller: Caller): Promise<IntakeRotationPending> {
    return this.refusalsAudited(caller, 'intake_key.rotation_read', () =>
      this.store.dataSource.transaction(async (m) => {
        const org = await organisation(m);
        await this.requireHolder(m, caller, org.intake_key_version);
        const [submissions, followUps] = [
          await rows<SealedRow>(m, PENDING_SUBMISSIONS, [org.intake_key_version]),
          await rows<SealedRow>(m, PENDING_FOLLOW_UPS, [org.intake_key_version]),
        ];
        await this.audit.record(m, {
          actor: { id: caller.userId, role: caller.role },
          action: 'intake_key.rotation_read',
          outcome: 'ok',
        });
        const out = (r: SealedRow): IntakeSealedRow => ({
          id: r.id,
          envelope: encodeBase64Url(r.envelope),
        });
        return {
          version: org.intake_key_version,
          submissions: submissions.map(out),
          followUps: followUps.map(out),
        };
      }),
    );
  }

  async propose(
    caller: Caller,
    body: ProposeIntakeRotationRequest,
  ): Promise<IntakeRotationResponse> {
    return this.refusalsAudited(caller, 'intake_key.rotation_propose', () =>
      this.store.dataSource.transaction(async (m) => {
        await m.query('SELECT pg_advisory_xact_lock($1)', [INTAKE_KEY_LOCK]);
        const org = await organisation(m);
        if (body.fromVersion !== org.intake_key_version) {
          throw new Refusal(
            'stale_version',
            409,
            'The intake key has another version. Reload and try again.',
          );
        }
        await this.requireHolder(m, caller, org.intake_key_version);
        const publicKey = decodeBase64Url(body.intakePublicKey, 'intakePublicKey');
        if (publicKey.length !== 32 || publicKey.equals(org.intake_box_pk)) {
          throw new Refusal('bad_input', 400, 'intakePublicKey must be a new 32-byte key');
        }
        const submissions = await this.resealed(
          m,
          PENDING_SUBMISSIONS,
          org.intake_key_version,
          body.submissions,
          body.unreadable.submissions,
          'submissions',
        );
        const followUps = await this.resealed(
          m,
          PENDING_FOLLOW_UPS,
          org.intake_key_version,
          body.followUps,
          body.unreadable.followUps,
          'followUps',
        );
        const grants = await this.newGrants(m, caller, org.intake_key_version + 1, body.grants);

        await m.query('DELETE FROM intake_key_rotation');
        const created = await rows<{ id: string }>(
          m,
          `INSERT INTO intake_key_rotation (from_version, intake_box_pk, proposed_by, created_on)
           VALUES ($1, $2, $3, ${TODAY_SQL}) RETURNING id`,
          [org.intake_key_version, publicKey, caller.userId],
        );
        const id = created[0].id;
        const items = [
          ...submissions.map((r) => ({ kind: 'submission', ...r })),
          ...followUps.map((r) => ({ kind: 'follow_up', ...r })),
        ];
        if (items.length > 0) {
          await m.query(
            `INSERT INTO intake_key_rotation_row (rotation_id, kind, row_id, envelope)
             SELECT $1, kind, row_id, envelope
               FROM unnest($2::text[], $3::uuid[], $4::bytea[]) AS t(kind, row_id, envelope)`,
            [id, items.map((i) => i.kind), items.map((i) => i.id), items.map((i) => i.envelope)],
          );
        }
        await m.query(
          `INSERT INTO intake_key_rotation_grant (rotation_id, user_id, envelope)
           SELECT $1, user_id, envelope FROM unnest($2::uuid[], $3::bytea[]) AS t(user_id, envelope)`,
          [id, grants.map((g) => g.userId), grants.map((g) => g.envelope)],
        );
        await this.audit.record(m, {
          actor: { id: caller.userId, role: caller.role },
          action: 'intake_key.rotation_propose',
          target: id,
          outcome: 'ok',
        });
        return { rotationId: id, version: org.intake_key_version + 1 };
      }),
    );
  }

  /**
   * The admin's signature over the proposed key, and the commit: one transaction that changes
   * the organisation's key, the re-sealed rows and the grants together, or refuses and writes
   * nothing.
   */
  async approve(
    caller: Caller,
    body: ApproveIntakeRotationRequest,
  ): Promise<IntakeRotationResponse> {
    return this.refusalsAudited(caller, 'intake_key.rotation_approve', () =>
      this.store.dataSource.transaction(async (m) => {
        await m.query('SELECT pg_advisory_xact_lock($1)', [INTAKE_KEY_LOCK]);
        // FOR UPDATE waits for every submission holding FOR KEY SHARE (see
        // requireCurrentIntakeKeyVersion) and keeps new ones out until this commits.
        const org = await organisation(m, 'FOR UPDATE');
        const found = await rows<{ from_version: number; intake_box_pk: Buffer }>(
          m,
          'SELECT from_version, intake_box_pk FROM intake_key_rotation WHERE id = $1',
          [body.rotationId],
        );
        const proposal = found[0];
        if (!proposal) throw new Refusal('unknown_proposal', 404, 'Not found');
        if (proposal.from_version !== org.intake_key_version) {
          throw new Refusal('stale_version', 409, OUTDATED);
        }
        try {
          verifyIntakeKey(
            proposal.intake_box_pk,
            decodeBase64Url(body.signature, 'signature'),
            org.root_sign_pk,
          );
        } catch {
          throw new Refusal(
            'bad_signature',
            400,
            "signature: not the organisation root's signature over the proposed key",
          );
        }
        if ((await this.uncovered(m, body.rotationId, org.intake_key_version)) > 0) {
          throw new Refusal('outdated', 409, OUTDATED);
        }
        // The grantees are locked so that nobody is disabled between this check and the commit
        // (the trigger that removes a leaver's grant then runs after this transaction).
        const grantees = await rows<{ ok: boolean }>(
          m,
          `SELECT (u.role = 'coordinator' AND u.status = 'active' AND u.certificate IS NOT NULL)
                  AS ok
             FROM intake_key_rotation_grant g JOIN app_user u ON u.id = g.user_id
            WHERE g.rotation_id = $1
              FOR SHARE OF u`,
          [body.rotationId],
        );
        if (grantees.length === 0 || grantees.some((g) => !g.ok)) {
          throw new Refusal('outdated', 409, OUTDATED);
        }

        const from = org.intake_key_version;
        const to = from + 1;
        await m.query(
          `UPDATE intake_submission s SET envelope = r.envelope, key_version = $2
             FROM intake_key_rotation_row r
            WHERE r.rotation_id = $1 AND r.kind = 'submission' AND r.row_id = s.id
              AND r.envelope IS NOT NULL AND s.key_version = $3`,
          [body.rotationId, to, from],
        );
        await m.query(
          `UPDATE intake_message msg SET envelope = r.envelope, key_version = $2
             FROM intake_key_rotation_row r
            WHERE r.rotation_id = $1 AND r.kind = 'follow_up' AND r.row_id = msg.id
              AND r.envelope IS NOT NULL AND msg.direction = 'from_person' AND msg.key_version = $3`,
          [body.rotationId, to, from],
        );
        // Rows that opened with no key: junk nobody can ever read, deleted like a discard.
        const junk = await rows<{ kind: string; row_id: string }>(
          m,
          `WITH s AS (
             DELETE FROM intake_submission s USING intake_key_rotation_row r
              WHERE r.rotation_id = $1 AND r.kind = 'submission' AND r.envelope IS NULL
                AND r.row_id = s.id AND s.key_version = $2
             RETURNING s.id
           ), f AS (
             DELETE FROM intake_message msg USING intake_key_rotation_row r
              WHERE r.rotation_id = $1 AND r.kind = 'follow_up' AND r.envelope IS NULL
                AND r.row_id = msg.id AND msg.direction = 'from_person' AND msg.key_version = $2
             RETURNING msg.id
           )
           SELECT 'submission' AS kind, id AS row_id FROM s
           UNION ALL SELECT 'follow_up', id FROM f`,
          [body.rotationId, from],
        );
        for (const j of junk) {
          await this.audit.record(m, {
            actor: { id: caller.userId, role: caller.role },
            action: 'intake_key.rotation_discard',
            target: j.row_id,
            outcome: 'ok',
          });
        }
        await m.query('DELETE FROM intake_key_grant');
        await m.query(
          `INSERT INTO intake_key_grant (user_id, key_version, envelope, granted_by, created_on)
           SELECT g.user_id, $2, g.envelope, r.proposed_by, ${TODAY_SQL}
             FROM intake_key_rotation_grant g JOIN intake_key_rotation r ON r.id = g.rotation_id
            WHERE g.rotation_id = $1`,
          [body.rotationId, to],
        );
        await m.query(
          `UPDATE organisation SET intake_box_pk = $1, intake_key_signature = $2,
                  intake_key_version = $3, intake_rotation_due = false`,
          [proposal.intake_box_pk, decodeBase64Url(body.signature, 'signature'), to],
        );
        // A wrapped copy of the old key (only if the setup admin still had one) goes too.
        await m.query(
          'UPDATE app_user SET wrapped_intake_key = NULL WHERE wrapped_intake_key IS NOT NULL',
        );
        await m.query('DELETE FROM intake_key_rotation WHERE id = $1', [body.rotationId]);
        const actor = { id: caller.userId, role: caller.role };
        await this.audit.record(m, {
          actor,
          action: 'intake_key.rotation_approve',
          target: body.rotationId,
          outcome: 'ok',
        });
        await this.audit.record(m, {
          actor,
          action: 'intake_key.rotate',
          target: body.rotationId,
          outcome: 'ok',
        });
        return { rotationId: body.rotationId, version: to };
      }),
    );
  }

  /** How many rows at `version` the proposal does not re-seal (they arrived after it). */
  private async uncovered(db: Db, rotationId: string, version: number): Promise<number> {
    const found = await rows<{ n: number }>(
      db,
      `SELECT (SELECT count(*) FROM intake_submission s
                WHERE s.key_version = $2 AND NOT EXISTS (
                  SELECT 1 FROM intake_key_rotation_row r
                   WHERE r.rotation_id = $1 AND r.kind = 'submission' AND r.row_id = s.id))
            + (SELECT count(*) FROM intake_message msg
                WHERE msg.direction = 'from_person' AND msg.key_version = $2 AND NOT EXISTS (
                  SELECT 1 FROM intake_key_rotation_row r
                   WHERE r.rotation_id = $1 AND r.kind = 'follow_up' AND r.row_id = msg.id))
              AS n`,
      [rotationId, version],
    );
    return Number(found[0]?.n ?? 0);
  }

  private async requireHolder(m: Db, caller: Caller, version: number): Promise<void> {
    const held = await rows(
      m,
      'SELECT 1 FROM intake_key_grant WHERE user_id = $1 AND key_version = $2',
      [caller.userId, version],
    );
    if (held.length === 0) {
      throw new Refusal(
        'not_holder',
        403,
        'Only a coordinator who holds the current intake key can rotate it',
      );
    }
  }

  /**
   * The re-sealed set (plus the rows that open with no key) must name every pending row
   * exactly once, each re-sealed at the same padded size. Rows that left the queue since the
   * caller read them are dropped.
   */
  private async resealed(
    m: EntityManager,
    pendingSql: string,
    version: number,
    given: readonly IntakeSealedRow[],
    unreadable: readonly string[],
    field: string,
  ): Promise<{ id: string; envelope: Buffer | null }[]> {
    const pending = new Map(
      (await rows<SealedRow>(m, pendingSql, [version])).map((r) => [r.id, r.envelope.length]),
    );
    const seen = new Set<string>();
    const out: { id: string; envelope: Buffer | null }[] = [];
    for (const id of unreadable) {
      if (seen.has(id)) {
        throw new Refusal('bad_input', 400, `unreadable.${field}: each row may be named once`);
      }
      seen.add(id);
      if (pending.has(id)) out.push({ id, envelope: null });
    }
    for (const [i, item] of given.entries()) {
      if (seen.has(item.id)) {
        throw new Refusal(
          'bad_input',
          400,
          `${field}.${i}.id: each row may be named once (re-sealed or unreadable)`,
        );
      }
      seen.add(item.id);
      const envelope = decodeBase64Url(item.envelope, `${field}.${i}.envelope`);
      try {
        checkIntakeEnvelope(envelope);
      } catch {
        throw new Refusal(
          'bad_input',
          400,
          `${field}.${i}.envelope is not a sealed intake envelope`,
        );
      }
      const size = pending.get(item.id);
      if (size === undefined) continue; // triaged meanwhile
      if (size !== envelope.length) {
        throw new Refusal(
          'bad_input',
          400,
          `${field}.${i}.envelope must keep the padded size of the row it replaces`,
        );
      }
      out.push({ id: item.id, envelope });
    }
    if (out.length !== pending.size) {
      throw new Refusal(
        'incomplete',
        409,
        `${field}: ${pending.size - out.length} pending row(s) sealed to the current key are ` +
          'missing (new ones arrived). Reload and start the rotation again.',
      );
    }
    return out;
  }

  /** A grant at the new version to every certified, active coordinator, sealed by the caller. */
  private async newGrants(
    m: EntityManager,
    caller: Caller,
    version: number,
    grants: ProposeIntakeRotationRequest['grants'],
  ): Promise<{ userId: string; envelope: Buffer }[]> {
    const ids = grants.map((g) => g.userId);
    if (new Set(ids).size !== ids.length) {
      throw new Refusal('bad_input', 400, 'grants: each person may be named once');
    }
    try {
      await this.store.requireGrantees(m, ids, 'grants', ['coordinator']);
    } catch (error) {
      if (error instanceof BadRequestException) {
        throw new Refusal('bad_input', 400, String(error.message));
      }
      throw error;
    }
    const coordinators = await rows<{ id: string }>(
      m,
      `SELECT id FROM app_user
        WHERE role = 'coordinator' AND status = 'active' AND certificate IS NOT NULL`,
    );
    const named = new Set(ids);
    if (coordinators.some((c) => !named.has(c.id))) {
      throw new Refusal(
        'incomplete',
        409,
        'grants: every certified, active coordinator must receive the new key. Reload and ' +
          'start the rotation again.',
      );
    }
    return grants.map((g, i) => {
      try {
        return {
          userId: g.userId,
          envelope: intakeGrantEnvelope(g.envelope, `grants.${i}.envelope`, {
            version,
            granteeId: g.userId,
            granterId: caller.userId,
          }),
        };
      } catch (error) {
        if (error instanceof BadRequestException) {
          throw new Refusal('bad_input', 400, String(error.message));
        }
        throw error;
      }
    });
  }

  /** Runs `work`; a refusal is audited (`denied:<reason>`, no content) and passed on. */
  private async refusalsAudited<T>(
    caller: Caller,
    action: string,
    work: () => Promise<T>,
  ): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof Refusal || error instanceof BadRequestException) {
        const reason = error instanceof Refusal ? error.reason : 'bad_input';
        await this.audit.recordNow({
          actor: { id: caller.userId, role: caller.role },
          action,
          outcome: `denied:${reason}`,
        });
      }
      throw error;
    }
  }
}

async function organisation(m: Db, lock = ''): Promise<OrgRow> {
  const org = await rows<OrgRow>(
    m,
    `SELECT root_sign_pk, intake_box_pk, intake_key_version FROM organisation ${lock}`,
  );
  if (!org[0]) {
    throw new ServiceUnavailableException('First-run setup has not created the intake key yet');
  }
  return org[0];
}
