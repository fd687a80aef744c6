/**
 * Who holds a case's key: sharing, assigning, removing, and the key rotation that must follow
 * a removal. The server cannot seal or open keys; it checks that each grant is addressed the
 * way the request says (case, key version, grantee, granter = the caller), that only active,
 * certified caseworkers and coordinators receive keys, that a case always keeps at least two
 * grantees including its supervisor, and that a rotation leaves no record or grantee behind.
 */
import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import type { AccessChangeResponse, ParsedBody, Routes } from '@haven/contracts';
import type { EntityManager } from 'typeorm';
import type { Caller } from '../access/caller';
import { AuditService } from '../audit/audit.service';
import { CaseStore, rows, TODAY_SQL, type ReachableCase } from './case-store';
import { applyReferralRotation, checkReferralRotation } from '../referrals/referral-rotation';
import { grantEnvelope, recordEnvelope, rotationDue } from './envelopes';

type Body<K extends keyof Routes> = ParsedBody<Routes[K]>;

/** DESIGN.md: "Every case keeps at least two grantees … so no single lost password loses a case." */
export const MIN_GRANTEES = 2;

@Injectable()
export class CaseAccessService {
  constructor(
    private readonly store: CaseStore,
    private readonly audit: AuditService,
  ) {}

  private async event(m: EntityManager, caller: Caller, action: string, code: string) {
    await this.audit.record(m, {
      actor: { id: caller.userId, role: caller.role },
      action,
      target: code,
      outcome: 'ok',
    });
  }

  /**
   * Assigning and removing access are coordinators' work. The route admits caseworkers so that
   * one without a grant gets the same audited 404 as on every case route; one with a grant is
   * told plainly that this is not theirs to do.
   */
  private requireCoordinator(caller: Caller, what: string): void {
    if (caller.role !== 'coordinator') throw new ForbiddenException(`Only coordinators ${what}`);
  }

  private async answer(m: EntityManager, caseId: string): Promise<AccessChangeResponse> {
    const found = await rows<{
      key_version: number;
      rotation_due: boolean;
      assignee_id: string | null;
    }>(
      m,
      `SELECT c.key_version, c.assignee_id,
              (c.rotation_due OR EXISTS (
                 SELECT 1 FROM case_grant dg JOIN app_user du ON du.id = dg.user_id
                  WHERE dg.case_id = c.id AND du.status <> 'active')) AS rotation_due
         FROM case_file c WHERE c.id = $1`,
      [caseId],
    );
    return {
      keyVersion: found[0].key_version,
      rotationDue: found[0].rotation_due,
      assigneeId: found[0].assignee_id,
      grants: await this.store.grants(m, caseId),
    };
  }

  /** Seals the current key to a new grantee (the envelope was made by the caller's browser). */
  private async addGrant(
    m: EntityManager,
    caller: Caller,
    row: ReachableCase,
    userId: string,
    envelope: string,
    field: string,
  ): Promise<void> {
    if (row.rotation_due) throw rotationDue();
    await this.store.requireGrantees(m, [userId], field);
    const bytes = grantEnvelope(envelope, field, {
      scope: 'case',
      subjectId: row.id,
      version: row.key_version,
      granteeId: userId,
      granterId: caller.userId,
    });
    const inserted = await rows(
      m,
      `INSERT INTO case_grant (case_id, user_id, key_version, envelope, granted_by, created_on)
       VALUES ($1, $2, $3, $4, $5, ${TODAY_SQL})
       ON CONFLICT DO NOTHING RETURNING user_id`,
      [row.id, userId, row.key_version, bytes, caller.userId],
    );
    if (inserted.length === 0) throw new ConflictException('This person already has access');
  }

  private async accessNote(
    m: EntityManager,
    caller: Caller,
    row: ReachableCase,
    note: { id: string; envelope: string },
  ): Promise<void> {
    await this.store.insertEntry(m, {
      id: note.id,
      caseId: row.id,
      kind: 'access_note',
      envelope: recordEnvelope(note.envelope, 'note.envelope', row.key_version),
      keyVersion: row.key_version,
      authorId: caller.userId,
      followUpOn: null,
      followUpUser: null,
    });
  }

  async share(
    caller: Caller,
    code: string,
    body: Body<'shareCase'>,
  ): Promise<AccessChangeResponse> {
    return this.store.withCase(caller, code, 'case.share', async (m, row) => {
      await this.addGrant(m, caller, row, body.userId, body.envelope, 'envelope');
      await this.accessNote(m, caller, row, body.note);
      await this.store.touch(m, row.id);
      await this.event(m, caller, 'case.share', row.code);
      return this.answer(m, row.id);
    });
  }

  async assign(
    caller: Caller,
    code: string,
    body: Body<'assignCase'>,
  ): Promise<AccessChangeResponse> {
    return this.store.withCase(caller, code, 'case.assign', async (m, row) => {
      this.requireCoordinator(caller, 'assign cases');
      const assigneeId = body.assigneeId;
      if (assigneeId !== null) {
        await this.store.requireGrantees(m, [assigneeId], 'assigneeId', ['caseworker']);
        const holds = await rows(
          m,
          'SELECT 1 FROM case_grant WHERE case_id = $1 AND user_id = $2',
          [row.id, assigneeId],
        );
        if (holds.length === 0) {
          if (!body.grant) {
            throw new BadRequestException(
              'grant: the new assignee has no access yet; seal the case key to them',
            );
          }
          await this.addGrant(m, caller, row, assigneeId, body.grant, 'grant');
          await this.event(m, caller, 'case.share', row.code);
        }
      }
      if (body.note) await this.accessNote(m, caller, row, body.note);
      await m.query(
        `UPDATE case_file SET assignee_id = $2, updated_on = ${TODAY_SQL} WHERE id = $1`,
        [row.id, assigneeId],
      );
      await this.event(m, caller, 'case.assign', row.code);
      return this.answer(m, row.id);
    });
  }

  /**
   * Deletes a grant at once and marks the case for rotation (the removed person may have kept
   * the current key, so nothing new may be written under it). The supervisor keeps their grant,
   * and at least two active grantees remain.
   */
  async revoke(caller: Caller, code: string, userId: string): Promise<AccessChangeResponse> {
    return this.store.withCase(caller, code, 'case.revoke', async (m, row) => {
      this.requireCoordinator(caller, 'remove access');
      if (userId === caller.userId) {
        throw new ConflictException(
          'You cannot remove your own access: ask another coordinator on the case',
        );
      }
      if (userId === row.supervisor_id) {
        throw new ConflictException('The supervisor keeps access: change the supervisor first');
      }
      const grantees = await this.store.activeGrantees(m, row.id);
      const holders = await rows<{ user_id: string }>(
        m,
        'SELECT user_id FROM case_grant WHERE case_id = $1 AND user_id = $2',
        [row.id, userId],
      );
      if (holders.length === 0) throw new NotFoundException();
      if (grantees.filter((id) => id !== userId).length < MIN_GRANTEES) {
        throw new ConflictException(
          'A case keeps at least two people with access: share it with someone else first',
        );
      }
      await m.query('DELETE FROM case_grant WHERE case_id = $1 AND user_id = $2', [row.id, userId]);
      await m.query(
        `UPDATE case_file
            SET rotation_due = true,
                assignee_id = CASE WHEN assignee_id = $2 THEN NULL ELSE assignee_id END,
                updated_on = ${TODAY_SQL}
          WHERE id = $1`,
        [row.id, userId],
      );
      await this.event(m, caller, 'case.revoke', row.code);
      return this.answer(m, row.id);
    });
  }

  /**
   * Commits a rotation to `fromVersion + 1`. It must cover exactly every entry of the case,
   * every remaining active grantee (grants of disabled accounts are dropped here) and every
   * referral item under the case key at `fromVersion` (reasons, staff notes, packet key wraps,
   * override reasons), with every envelope at the new version and every grant signed by the
   * caller; otherwise 409 and nothing changes.
   */
  async rotate(
    caller: Caller,
    code: string,
    body: Body<'rotateCase'>,
  ): Promise<AccessChangeResponse> {
    return this.store.withCase(caller, code, 'case.rotate', async (m, row) => {
      if (body.fromVersion !== row.key_version) {
        throw new ConflictException({
          message: 'This case’s key has changed since the rotation began. Reload and try again.',
          code: 'KEY_VERSION_CHANGED',
        });
      }
      if (body.toVersion !== row.key_version + 1) {
        throw new BadRequestException('toVersion: must be fromVersion + 1');
      }
      const to = body.toVersion;
      const profile = recordEnvelope(body.profile, 'profile', to);
      const summary = recordEnvelope(body.summary, 'summary', to);

      const existing = await rows<{ id: string }>(
        m,
        'SELECT id FROM case_entry WHERE case_id = $1',
        [row.id],
      );
      const sent = new Set(body.entries.map((e) => e.id));
      if (
        sent.size !== body.entries.length ||
        sent.size !== existing.length ||
        existing.some((e) => !sent.has(e.id))
      ) {
        throw new ConflictException(
          'The rotation must re-encrypt every entry of the case exactly once. Reload and try again.',
        );
      }
      const entries = body.entries.map((e, i) => ({
        id: e.id,
        envelope: recordEnvelope(e.envelope, `entries.${i}.envelope`, to),
      }));

      const grantees = await this.store.activeGrantees(m, row.id);
      const sealedTo = new Set(body.grants.map((g) => g.userId));
      if (
        sealedTo.size !== body.grants.length ||
        sealedTo.size !== grantees.length ||
        grantees.some((id) => !sealedTo.has(id))
      ) {
        throw new ConflictException(
          'The rotation must seal the new key to every person who has access, exactly once. ' +
            'Reload and try again.',
        );
      }
      if (grantees.length < MIN_GRANTEES) {
        throw new ConflictException('A case keeps at least two people with access');
      }
      const grants = body.grants.map((g, i) => ({
        userId: g.userId,
        envelope: grantEnvelope(g.envelope, `grants.${i}.envelope`, {
          scope: 'case',
          subjectId: row.id,
          version: to,
          granteeId: g.userId,
          granterId: caller.userId,
        }),
      }));
      // Referral reasons, staff notes, packet key wraps and override reasons under the case key.
      const referrals = await checkReferralRotation(m, row.id, row.key_version, to, body.referrals);

      // Grants of disabled accounts are not carried over.
      await m.query(
        'DELETE FROM case_grant WHERE case_id = $1 AND NOT (user_id = ANY($2::uuid[]))',
        [row.id, grantees],
      );
      await m.query(
        `UPDATE case_grant g SET key_version = $2, envelope = v.envelope, granted_by = $3
           FROM unnest($4::uuid[], $5::bytea[]) AS v(user_id, envelope)
          WHERE g.case_id = $1 AND g.user_id = v.user_id`,
        [row.id, to, caller.userId, grants.map((g) => g.userId), grants.map((g) => g.envelope)],
      );
      if (entries.length > 0) {
        await m.query(
          `UPDATE case_entry e SET envelope = v.envelope, key_version = $2
             FROM unnest($3::uuid[], $4::bytea[]) AS v(id, envelope)
            WHERE e.case_id = $1 AND e.id = v.id`,
          [row.id, to, entries.map((e) => e.id), entries.map((e) => e.envelope)],
        );
      }
      await applyReferralRotation(m, row.id, to, referrals);
      await m.query(
        `UPDATE case_file
            SET key_version = $2, profile_envelope = $3, summary_envelope = $4,
                rotation_due = false, updated_on = ${TODAY_SQL}
          WHERE id = $1`,
        [row.id, to, profile, summary],
      );
      await this.event(m, caller, 'case.rotate', row.code);
      return this.answer(m, row.id);
    });
  }
}
