/**
 * Referrals as staff see them (docs/referrals.md): share consent on a case, proposals, the
 * coordinator's approve-and-assign with its packet, reject, revoke and cancel. One transaction
 * per action, with its audit event; every refusal is a 4xx that writes nothing.
 *
 * Visibility: a coordinator sees every referral's metadata (the board); a caseworker sees the
 * referrals of cases they hold a grant on. A referral the caller may not see answers 404
 * exactly like one that does not exist; one they see but whose change is not theirs, 403.
 */
import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import {
  DEFAULT_PACKET_TTL_DAYS,
  REFERRAL_STATUSES,
  isAllowedTransition,
  isReferralOverdue,
  type CaseStatus,
  type CaseReferralsResponse,
  type ConsentResponse,
  type ParsedBody,
  type ReferralActor,
  type ReferralBoardResponse,
  type ReferralStatus,
  type ReferralVersionResponse,
  type Routes,
} from '@haven/contracts';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import type { Caller } from '../access/caller';
import { AuditService } from '../audit/audit.service';
import { CaseStore, rows, TODAY_SQL, type ReachableCase } from '../cases/case-store';
import { grantEnvelope, recordEnvelope, rotationDue, staleWrite } from '../cases/envelopes';
import { RequestValidationException } from '../common/errors/request-validation.exception';
import { decideTransition, ENDS_PACKET_ACCESS, TRANSITION_VERB } from './referral-state';
import { packetEnvelope } from './referral-envelopes';
import {
  PACKET_COLUMNS,
  REFERRAL_COLUMNS,
  REFERRAL_FROM,
  TRANSITION_COLUMNS,
  toCaseReferral,
  type PacketRow,
  type ReferralRow,
  type TransitionRow,
} from './referral-rows';

type Body<K extends keyof Routes> = ParsedBody<Routes[K]>;
type BoardQuery = z.output<Routes['referralBoard']['query']>;
type Note = { id: string; envelope: string };

/** A referral loaded for a staff change, with what the caller is to it. */
interface StaffReferral extends ReferralRow {
  key_version: number;
  case_status: CaseStatus;
  share_consent_on: string | null;
  rotation_due: boolean;
  holds_case: boolean;
  assignments: string;
}

/** Thrown inside a transaction: the referral is out of the caller's sight (audited 404). */
class ReferralNotVisible extends Error {}

export const BOARD_LIMIT = 500;

function referralTarget(code: string, referralId: string): string {
  return `${code}/${referralId}`;
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown }).code === '23505';
}

@Injectable()
export class ReferralsService {
  constructor(
    private readonly store: CaseStore,
    private readonly audit: AuditService,
  ) {}

  // ---- consent ---------------------------------------------------------------------------------

  async recordConsent(
    caller: Caller,
    code: string,
    body: Body<'recordShareConsent'>,
  ): Promise<ConsentResponse> {
    return this.store.withCase(caller, code, 'case.consent', async (m, row) => {
      const future = await rows<{ future: boolean }>(
        m,
        `SELECT $1::date > ${TODAY_SQL} AS future`,
        [body.consentOn],
      );
      if (future[0].future) {
        throw new RequestValidationException([
          { path: 'body.consentOn', message: 'must not be in the future' },
        ]);
      }
      return this.setConsent(m, caller, row, body.consentOn);
    });
  }

  async withdrawConsent(caller: Caller, code: string): Promise<ConsentResponse> {
    return this.store.withCase(caller, code, 'case.consent', (m, row) =>
      this.setConsent(m, caller, row, null),
    );
  }

  private async setConsent(
    m: EntityManager,
    caller: Caller,
    row: ReachableCase,
    day: string | null,
  ): Promise<ConsentResponse> {
    const updated = await rows<{ share_consent_on: string | null }>(
      m,
      `UPDATE case_file SET share_consent_on = $2::date WHERE id = $1
       RETURNING share_consent_on::text AS share_consent_on`,
      [row.id, day],
    );
    await this.event(m, caller, 'case.consent', row.code);
    return { shareConsentOn: updated[0].share_consent_on };
  }

  // ---- the case's referrals tab ------------------------------------------------------------------

  async listForCase(caller: Caller, code: string): Promise<CaseReferralsResponse> {
    return this.store.withCase(
      caller,
      code,
      'referral.list',
      async (m, row) => {
        const today = await this.today(m);
        const consent = await rows<{ share_consent_on: string | null }>(
          m,
          'SELECT share_consent_on::text AS share_consent_on FROM case_file WHERE id = $1',
          [row.id],
        );
        const referrals = await rows<ReferralRow & { reason_envelope: Buffer }>(
          m,
          `SELECT ${REFERRAL_COLUMNS}, r.reason_envelope FROM ${REFERRAL_FROM}
            WHERE r.case_id = $1 ORDER BY r.created_on DESC, r.id`,
          [row.id],
        );
        const ids = referrals.map((r) => r.id);
        const packets = await rows<PacketRow>(
          m,
          `SELECT ${PACKET_COLUMNS} FROM referral_packet p
            WHERE p.referral_id = ANY($1::uuid[]) ORDER BY p.key_version`,
          [ids],
        );
        const transitions = await rows<TransitionRow>(
          m,
          `SELECT ${TRANSITION_COLUMNS} FROM referral_transition t
            WHERE t.referral_id = ANY($1::uuid[]) ORDER BY t.seq`,
          [ids],
        );
        await this.event(m, caller, 'referral.list', row.code);
        return {
          today,
          shareConsentOn: consent[0].share_consent_on,
          referrals: referrals.map((r) =>
            toCaseReferral(
              r,
              today,
              packets.filter((p) => p.referral_id === r.id),
              transitions.filter((t) => t.referral_id === r.id),
            ),
          ),
        };
      },
      { lock: false },
    );
  }

  // ---- propose -----------------------------------------------------------------------------------

  async propose(
    caller: Caller,
    code: string,
    body: Body<'proposeReferral'>,
  ): Promise<ReferralVersionResponse> {
    try {
      return await this.store.withCase(caller, code, 'referral.propose', async (m, row) => {
        if (row.status === 'closed') {
          throw new ConflictException('A closed case cannot get new referrals: reopen it first');
        }
        if (row.rotation_due) throw rotationDue();
        const reason = recordEnvelope(body.reason, 'reason', row.key_version);
        const inserted = await rows<{ version: number; updated_on: string }>(
          m,
          `INSERT INTO referral (id, case_id, service, urgency, status, proposed_by, due_on,
                                 fields, reason_envelope, reason_key_version, created_on,
                                 updated_on)
           VALUES ($1, $2, $3, $4, 'proposed', $5, $6, $7, $8, $9, ${TODAY_SQL}, ${TODAY_SQL})
           RETURNING version, updated_on::text AS updated_on`,
          [
            body.id,
            row.id,
            body.service,
            body.urgency,
            caller.userId,
            body.dueOn,
            body.fields,
            reason,
            row.key_version,
          ],
        );
        await this.insertTransition(m, {
          id: randomUUID(),
          referralId: body.id,
          from: null,
          to: 'proposed',
          actorId: caller.userId,
          note: null,
        });
        await this.store.touch(m, row.id);
        await this.event(m, caller, 'referral.propose', referralTarget(row.code, body.id));
        return {
          id: body.id,
          status: 'proposed',
          version: inserted[0].version,
          updatedOn: inserted[0].updated_on,
        };
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictException('A referral with this id exists already: generate a new id');
      }
      throw error;
    }
  }

  // ---- coordinator (and proposer) changes ------------------------------------------------------

  async assign(
    caller: Caller,
    referralId: string,
    body: Body<'assignReferral'>,
  ): Promise<ReferralVersionResponse> {
    return this.staffChange(caller, referralId, 'assigned', body, async (m, ref) => {
      if (!ref.holds_case) {
        throw new ForbiddenException(
          'You need access to this case to make the packet: ask its supervisor to share it',
        );
      }
      if (ref.rotation_due) throw rotationDue();
      if (body.consentBasis === 'consent' && ref.share_consent_on === null) {
        throw new ConflictException(
          'The person’s consent to share is not recorded on this case: record it, or override ' +
            'with a written reason',
        );
      }
      const overrideReason =
        body.consentBasis === 'override' && body.overrideReason !== undefined
          ? recordEnvelope(body.overrideReason, 'overrideReason', ref.key_version)
          : null;

      const grantees = await this.expectedGrantees(m, ref, body.assignee);
      const keyVersion = Number(ref.assignments) + 1;
      if (body.packet.keyVersion !== keyVersion) {
        throw new ConflictException(
          `packet.keyVersion must be ${keyVersion} (a new key for every assignment): reload`,
        );
      }
      const envelope = packetEnvelope(body.packet.envelope, 'packet.envelope', keyVersion);
      const wrap = recordEnvelope(body.packet.caseKeyWrap, 'packet.caseKeyWrap', ref.key_version);
      const sealedTo = body.packet.grants.map((g) => g.userId);
      const missing = grantees.filter((id) => !sealedTo.includes(id));
      const extra = sealedTo.filter((id) => !grantees.includes(id));
      if (missing.length > 0 || extra.length > 0 || new Set(sealedTo).size !== sealedTo.length) {
        throw new ConflictException(
          'The packet must be sealed to every certified member of the assignee and to no one ' +
            'else: reload the members and try again',
        );
      }
      const grants = body.packet.grants.map((g, i) => ({
        userId: g.userId,
        bytes: grantEnvelope(g.envelope, `packet.grants.${i}.envelope`, {
          scope: 'packet',
          subjectId: ref.id,
          version: keyVersion,
          granteeId: g.userId,
          granterId: caller.userId,
        }),
      }));
      const ttl = body.packet.ttlDays ?? DEFAULT_PACKET_TTL_DAYS;
      await m.query(
        `INSERT INTO referral_packet (referral_id, key_version, envelope, case_key_wrap,
                                      consent_basis, override_reason, expires_on, created_on,
                                      created_by)
         VALUES ($1, $2, $3, $4, $5, $6, ${TODAY_SQL} + $7::integer, ${TODAY_SQL}, $8)`,
        [ref.id, keyVersion, envelope, wrap, body.consentBasis, overrideReason, ttl, caller.userId],
      );
      for (const g of grants) {
        await m.query(
          `INSERT INTO referral_packet_grant (referral_id, key_version, user_id, envelope,
                                              granted_by, created_on)
           VALUES ($1, $2, $3, $4, $5, ${TODAY_SQL})`,
          [ref.id, keyVersion, g.userId, g.bytes, caller.userId],
        );
      }
      const partnerOrgId = body.assignee.kind === 'partner' ? body.assignee.partnerOrgId : null;
      const assigneeUserId = body.assignee.kind === 'caseworker' ? body.assignee.userId : null;
      await m.query(
        `UPDATE referral SET partner_org_id = $2, assignee_user_id = $3, decided_by = $4,
                due_on = $5::date
          WHERE id = $1`,
        [
          ref.id,
          partnerOrgId,
          assigneeUserId,
          caller.userId,
          body.dueOn === undefined ? ref.due_on : body.dueOn,
        ],
      );
      // The case follows its own status machine: an active case becomes `referred` (a new,
      // referred or closed one stays as it is: none of those may become `referred`).
      if (isAllowedTransition(ref.case_status, 'referred')) {
        await m.query(
          `UPDATE case_file SET status = 'referred', version = version + 1,
                  updated_on = ${TODAY_SQL}
            WHERE id = $1`,
          [ref.case_id],
        );
        await this.event(m, caller, 'case.status', ref.code);
      }
    });
  }

  async reject(
    caller: Caller,
    referralId: string,
    body: Body<'rejectReferral'>,
  ): Promise<ReferralVersionResponse> {
    return this.staffChange(caller, referralId, 'rejected', body, async (m, ref) => {
      await m.query('UPDATE referral SET decided_by = $2 WHERE id = $1', [ref.id, caller.userId]);
    });
  }

  async revoke(
    caller: Caller,
    referralId: string,
    body: Body<'revokeReferral'>,
  ): Promise<ReferralVersionResponse> {
    return this.staffChange(caller, referralId, 'revoked', body);
  }

  async cancel(
    caller: Caller,
    referralId: string,
    body: Body<'cancelReferral'>,
  ): Promise<ReferralVersionResponse> {
    return this.staffChange(caller, referralId, 'cancelled', body);
  }

  /**
   * Who the packet must be sealed to: every certified, enabled member of an active partner
   * organisation offering the service, or the one internal caseworker.
   */
  private async expectedGrantees(
    m: EntityManager,
    ref: StaffReferral,
    assignee: Body<'assignReferral'>['assignee'],
  ): Promise<string[]> {
    if (assignee.kind === 'caseworker') {
      const staff = await this.store.staff(m, [assignee.userId]);
      const person = staff.get(assignee.userId);
      if (!person || !person.active || person.role !== 'caseworker') {
        throw new BadRequestException('assignee.userId: not an active caseworker');
      }
      if (!person.certified) {
        throw new BadRequestException(
          'assignee.userId: this person’s keys are not certified yet, so they cannot receive packets',
        );
      }
      return [assignee.userId];
    }
    const org = await rows<{ active: boolean; services: string[] }>(
      m,
      'SELECT active, services FROM partner_org WHERE id = $1 FOR SHARE',
      [assignee.partnerOrgId],
    );
    if (!org[0])
      throw new BadRequestException('assignee.partnerOrgId: no such partner organisation');
    if (!org[0].active) {
      throw new ConflictException('This partner organisation is deactivated');
    }
    if (!org[0].services.includes(ref.service)) {
      throw new ConflictException(`This partner organisation does not offer ${ref.service}`);
    }
    const members = await rows<{ id: string }>(
      m,
      `SELECT id FROM app_user
        WHERE partner_org_id = $1 AND role = 'partner' AND status = 'active'
          AND certificate IS NOT NULL
        ORDER BY id`,
      [assignee.partnerOrgId],
    );
    if (members.length === 0) {
      throw new ConflictException(
        'This partner organisation has no certified members to seal the packet to',
      );
    }
    return members.map((u) => u.id);
  }

  /**
   * One staff change: find the referral as the caller sees it (404), decide the transition
   * (409/403), check the version (409), the note, then `extra`, then write status, history,
   * grant deletions and the audit event, all in one transaction.
   */
  private async staffChange(
    caller: Caller,
    referralId: string,
    to: ReferralStatus,
    body: { expectedVersion: number; note?: Note },
    extra?: (m: EntityManager, ref: StaffReferral) => Promise<void>,
  ): Promise<ReferralVersionResponse> {
    const action = `referral.${TRANSITION_VERB[to]}`;
    try {
      return await this.store.dataSource.transaction(async (m) => {
        // The case row first: a key rotation holds it exclusively while it re-encrypts the
        // referral items under the case key, so a note or packet wrap written here is at the
        // version that rotation leaves, never at the one it replaces; and an assignment may move
        // the case's status. Case before referral, the rotation's order too.
        await m.query(
          `SELECT 1 FROM case_file c JOIN referral r ON r.case_id = c.id
            WHERE r.id = $1 FOR NO KEY UPDATE OF c`,
          [referralId],
        );
        const found = await rows<StaffReferral>(
          m,
          `SELECT ${REFERRAL_COLUMNS}, c.key_version, c.status AS case_status,
                  c.share_consent_on::text AS share_consent_on,
                  (c.rotation_due OR EXISTS (
                     SELECT 1 FROM case_grant dg JOIN app_user du ON du.id = dg.user_id
                      WHERE dg.case_id = c.id AND du.status <> 'active')) AS rotation_due,
                  EXISTS (SELECT 1 FROM case_grant g
                           WHERE g.case_id = c.id AND g.user_id = $2) AS holds_case,
                  (SELECT count(*) FROM referral_transition t
                    WHERE t.referral_id = r.id AND t.to_status = 'assigned') AS assignments
             FROM ${REFERRAL_FROM}
            WHERE r.id = $1
            FOR UPDATE OF r`,
          [referralId, caller.userId],
        );
        const ref = found[0];
        if (!ref || !(caller.role === 'coordinator' || ref.holds_case)) {
          throw new ReferralNotVisible();
        }
        const actors: ReferralActor[] = [];
        if (caller.role === 'coordinator') actors.push('coordinator');
        if (ref.proposed_by === caller.userId) actors.push('proposer');
        const decision = decideTransition(ref.status, to, actors);
        if (!decision.ok) {
          if (decision.status === 403) {
            await this.refusal(caller, action, referralTarget(ref.code, ref.id), 'forbidden');
            throw new ForbiddenException(decision.message);
          }
          throw new ConflictException(decision.message);
        }
        if (ref.version !== body.expectedVersion) throw staleWrite();
        let note: Buffer | null = null;
        if (body.note) {
          if (!ref.holds_case) {
            throw new ForbiddenException(
              'Only people with access to the case can write a note on its referrals',
            );
          }
          if (ref.rotation_due) throw rotationDue();
          note = recordEnvelope(body.note.envelope, 'note.envelope', ref.key_version);
        }
        if (extra) await extra(m, ref);
        if (ENDS_PACKET_ACCESS.includes(to)) {
          await m.query('DELETE FROM referral_packet_grant WHERE referral_id = $1', [ref.id]);
        }
        const updated = await this.moveTo(m, ref.id, to);
        await this.insertTransition(m, {
          id: body.note?.id ?? randomUUID(),
          referralId: ref.id,
          from: ref.status,
          to,
          actorId: caller.userId,
          note: note ? { envelope: note, key: 'case', keyVersion: ref.key_version } : null,
        });
        await this.event(m, caller, action, referralTarget(ref.code, ref.id));
        return { id: ref.id, status: to, version: updated.version, updatedOn: updated.updated_on };
      });
    } catch (error) {
      if (error instanceof ReferralNotVisible) {
        await this.refusal(caller, action, referralId, 'not_found');
        throw new NotFoundException();
      }
      if (isUniqueViolation(error)) {
        throw new ConflictException('A note with this id exists already: generate a new id');
      }
      throw error;
    }
  }

  // ---- coordinator board -----------------------------------------------------------------------

  async board(caller: Caller, query: BoardQuery): Promise<ReferralBoardResponse> {
    return this.store.dataSource.transaction(async (m) => {
      const today = await this.today(m);
      const open = `r.status NOT IN ('completed', 'failed', 'rejected', 'cancelled', 'revoked')`;
      // $1 = the caller, $2 = today; filters follow.
      const params: unknown[] = [caller.userId, today];
      const where: string[] = [];
      if (query.service) {
        params.push(query.service);
        where.push(`r.service = $${params.length}`);
      }
      if (query.partner) {
        params.push(query.partner);
        where.push(`r.partner_org_id = $${params.length}`);
      }
      if (query.overdue !== undefined) {
        const overdue = `(r.due_on < $2::date AND ${open})`;
        where.push(query.overdue ? overdue : `NOT coalesce(${overdue}, false)`);
      }
      const filters = where.map((w) => `AND ${w}`).join(' ');
      const counts = await rows<{ status: ReferralStatus; n: string; overdue: string }>(
        m,
        `SELECT r.status, count(*) AS n,
                count(*) FILTER (WHERE r.due_on < $2::date AND ${open}) AS overdue
           FROM referral r
          WHERE $1::uuid IS NOT NULL ${filters}
          GROUP BY r.status`,
        params,
      );
      const listParams = [...params];
      let statusFilter = '';
      if (query.status) {
        listParams.push(query.status);
        statusFilter = `AND r.status = $${listParams.length}`;
      }
      listParams.push(BOARD_LIMIT);
      const items = await rows<ReferralRow & { can_read_case: boolean }>(
        m,
        `SELECT ${REFERRAL_COLUMNS},
                EXISTS (SELECT 1 FROM case_grant g
                         WHERE g.case_id = c.id AND g.user_id = $1) AS can_read_case
           FROM ${REFERRAL_FROM}
          WHERE $2::date IS NOT NULL ${filters} ${statusFilter}
          ORDER BY CASE r.urgency WHEN 'critical' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END,
                   r.due_on NULLS LAST, r.created_on, r.id
          LIMIT $${listParams.length}`,
        listParams,
      );
      const byStatus = new Map(counts.map((c) => [c.status, Number(c.n)]));
      return {
        today,
        counts: REFERRAL_STATUSES.map((status) => ({ status, count: byStatus.get(status) ?? 0 })),
        overdueCount: counts.reduce((sum, c) => sum + Number(c.overdue), 0),
        referrals: items.map((r) => ({
          id: r.id,
          caseId: r.case_id,
          caseCode: r.code,
          service: r.service,
          urgency: r.urgency,
          status: r.status,
          version: r.version,
          partnerOrgId: r.partner_org_id,
          partnerName: r.partner_name,
          assigneeUserId: r.assignee_user_id,
          proposedBy: r.proposed_by,
          dueOn: r.due_on,
          overdue: isReferralOverdue({ status: r.status, dueOn: r.due_on }, today),
          createdOn: r.created_on,
          updatedOn: r.updated_on,
          fields: r.fields,
          canReadCase: r.can_read_case,
        })),
      };
    });
  }

  // ---- shared ----------------------------------------------------------------------------------

  async today(m: EntityManager): Promise<string> {
    const found = await rows<{ today: string }>(m, `SELECT ${TODAY_SQL}::text AS today`);
    return found[0].today;
  }

  async moveTo(
    m: EntityManager,
    referralId: string,
    to: ReferralStatus,
  ): Promise<{ version: number; updated_on: string }> {
    const updated = await rows<{ version: number; updated_on: string }>(
      m,
      `UPDATE referral SET status = $2, version = version + 1, updated_on = ${TODAY_SQL}
        WHERE id = $1 RETURNING version, updated_on::text AS updated_on`,
      [referralId, to],
    );
    return updated[0];
  }

  async insertTransition(
    m: EntityManager,
    t: {
      id: string;
      referralId: string;
      from: ReferralStatus | null;
      to: ReferralStatus;
      actorId: string;
      note: { envelope: Buffer; key: 'case' | 'packet'; keyVersion: number } | null;
    },
  ): Promise<void> {
    await m.query(
      `INSERT INTO referral_transition (id, referral_id, seq, from_status, to_status, actor_id,
                                        day, note_envelope, note_key, note_key_version)
       SELECT $1, $2, coalesce(max(seq), 0) + 1, $3, $4, $5, ${TODAY_SQL}, $6, $7, $8
         FROM referral_transition WHERE referral_id = $2`,
      [
        t.id,
        t.referralId,
        t.from,
        t.to,
        t.actorId,
        t.note?.envelope ?? null,
        t.note?.key ?? null,
        t.note?.keyVersion ?? null,
      ],
    );
  }

  async event(m: EntityManager, caller: Caller, action: string, target: string | null) {
    await this.audit.record(m, {
      actor: { id: caller.userId, role: caller.role },
      action,
      target,
      outcome: 'ok',
    });
  }

  async refusal(caller: Caller, action: string, target: string | null, why: string) {
    await this.audit.recordNow({
      actor: { id: caller.userId, role: caller.role },
      action,
      target,
      outcome: `denied:${why}`,
    });
  }
}
