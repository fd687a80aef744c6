/**
 * The assignee's view of referrals (docs/referrals.md, "Partner view"): partner users see the
 * referrals assigned to their organisation, internal caseworkers those assigned to them — and
 * only while they hold a live grant of an unexpired packet. Anything else, including another
 * organisation's referral, answers 404 exactly like an id that does not exist. No case code,
 * case id or case content ever reaches this view: only the packet, sealed to the caller.
 */
import {
  ConflictException,
  ForbiddenException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import {
  isReferralOverdue,
  type AssignedReferral,
  type AssignedReferralListResponse,
  type ParsedBody,
  type ReferralVersionResponse,
  type Routes,
} from '@haven/contracts';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Caller } from '../access/caller';
import { CaseStore, rows, TODAY_SQL } from '../cases/case-store';
import { encodeBase64Url, staleWrite } from '../cases/envelopes';
import { decideTransition, ENDS_PACKET_ACCESS, TRANSITION_VERB } from './referral-state';
import { packetEnvelope } from './referral-envelopes';
import {
  REFERRAL_COLUMNS,
  REFERRAL_FROM,
  TRANSITION_COLUMNS,
  toTransition,
  type ReferralRow,
  type TransitionRow,
} from './referral-rows';
import { ReferralsService } from './referrals.service';

type Body<K extends keyof Routes> = ParsedBody<Routes[K]>;

interface AssignedRow extends ReferralRow {
  packet_version: number;
  packet: Buffer;
  expires_on: string;
  assigned_on: string;
  grant: Buffer;
  granted_by: string;
  granter_cert: Buffer | null;
  granter_issuer_cert: Buffer | null;
}

class NotAssigned extends Error {}

/**
 * Referrals the caller may act on as assignee: $1 = the caller. A partner's organisation and
 * the referral's must match; an internal caseworker must be the named assignee; the caller's
 * grant must be of the current packet, which must not have expired.
 */
const ASSIGNED_SQL = `
  SELECT ${REFERRAL_COLUMNS},
         p.key_version AS packet_version, p.envelope AS packet,
         p.expires_on::text AS expires_on, p.created_on::text AS assigned_on,
         g.envelope AS grant, g.granted_by,
         gu.certificate AS granter_cert, gi.certificate AS granter_issuer_cert
    FROM ${REFERRAL_FROM}
    JOIN app_user me ON me.id = $1
    JOIN referral_packet_grant g ON g.referral_id = r.id AND g.user_id = me.id
    JOIN referral_packet p ON p.referral_id = g.referral_id AND p.key_version = g.key_version
    JOIN app_user gu ON gu.id = g.granted_by
    LEFT JOIN app_user gi ON gi.id = gu.certified_by
   WHERE me.status = 'active'
     AND r.status IN ('assigned', 'accepted', 'in_progress')
     AND p.envelope IS NOT NULL
     AND p.expires_on >= ${TODAY_SQL}
     AND p.key_version = (SELECT max(p2.key_version) FROM referral_packet p2
                           WHERE p2.referral_id = r.id)
     AND ((me.role = 'partner' AND r.partner_org_id = me.partner_org_id)
          OR (me.role = 'caseworker' AND r.assignee_user_id = me.id))`;

@Injectable()
export class AssignedReferralsService {
  constructor(
    private readonly referrals: ReferralsService,
    private readonly store: CaseStore,
  ) {}

  private get dataSource() {
    return this.store.dataSource;
  }

  async list(caller: Caller): Promise<AssignedReferralListResponse> {
    return this.dataSource.transaction(async (m) => {
      const today = await this.referrals.today(m);
      const found = await rows<AssignedRow>(
        m,
        `${ASSIGNED_SQL} ORDER BY r.due_on NULLS LAST, r.id`,
        [caller.userId],
      );
      const transitions = await this.transitions(
        m,
        found.map((r) => r.id),
      );
      await this.referrals.event(m, caller, 'referral.packet_list', null);
      return {
        today,
        referrals: found.map((r) =>
          this.toAssigned(
            r,
            today,
            transitions.filter((t) => t.referral_id === r.id),
          ),
        ),
      };
    });
  }

  async read(caller: Caller, referralId: string): Promise<AssignedReferral> {
    try {
      return await this.dataSource.transaction(async (m) => {
        const today = await this.referrals.today(m);
        const found = await rows<AssignedRow>(m, `${ASSIGNED_SQL} AND r.id = $2`, [
          caller.userId,
          referralId,
        ]);
        if (!found[0]) throw new NotAssigned();
        const transitions = await this.transitions(m, [referralId]);
        await this.referrals.event(
          m,
          caller,
          'referral.packet_read',
          `${found[0].code}/${referralId}`,
        );
        return this.toAssigned(found[0], today, transitions);
      });
    } catch (error) {
      if (error instanceof NotAssigned) {
        await this.referrals.refusal(caller, 'referral.packet_read', referralId, 'not_found');
        throw new NotFoundException();
      }
      throw error;
    }
  }

  async transition(
    caller: Caller,
    referralId: string,
    body: Body<'transitionAssignedReferral'>,
  ): Promise<ReferralVersionResponse> {
    const action = `referral.${TRANSITION_VERB[body.to]}`;
    try {
      return await this.dataSource.transaction(async (m) => {
        const found = await rows<AssignedRow>(m, `${ASSIGNED_SQL} AND r.id = $2 FOR UPDATE OF r`, [
          caller.userId,
          referralId,
        ]);
        const ref = found[0];
        if (!ref) throw new NotAssigned();
        const decision = decideTransition(ref.status, body.to, ['assignee']);
        if (!decision.ok) {
          if (decision.status === 403) throw new ForbiddenException(decision.message);
          throw new ConflictException(decision.message);
        }
        if (ref.version !== body.expectedVersion) throw staleWrite();
        const note = body.note
          ? packetEnvelope(body.note.envelope, 'note.envelope', ref.packet_version)
          : null;
        if (ENDS_PACKET_ACCESS.includes(body.to)) {
          await m.query('DELETE FROM referral_packet_grant WHERE referral_id = $1', [ref.id]);
        }
        const updated = await this.referrals.moveTo(m, ref.id, body.to);
        await this.referrals.insertTransition(m, {
          id: body.note?.id ?? randomUUID(),
          referralId: ref.id,
          from: ref.status,
          to: body.to,
          actorId: caller.userId,
          note: note ? { envelope: note, key: 'packet', keyVersion: ref.packet_version } : null,
        });
        await this.referrals.event(m, caller, action, `${ref.code}/${ref.id}`);
        return {
          id: ref.id,
          status: body.to,
          version: updated.version,
          updatedOn: updated.updated_on,
        };
      });
    } catch (error) {
      if (error instanceof NotAssigned) {
        await this.referrals.refusal(caller, action, referralId, 'not_found');
        throw new NotFoundException();
      }
      if ((error as { code?: unknown }).code === '23505') {
        throw new ConflictException('A note with this id exists already: generate a new id');
      }
      throw error;
    }
  }

  private async transitions(m: EntityManager, ids: string[]): Promise<TransitionRow[]> {
    return rows<TransitionRow>(
      m,
      `SELECT ${TRANSITION_COLUMNS} FROM referral_transition t
        WHERE t.referral_id = ANY($1::uuid[]) ORDER BY t.seq`,
      [ids],
    );
  }

  /** Only what concerns this assignment: history since it, notes under this packet key. */
  private toAssigned(r: AssignedRow, today: string, all: TransitionRow[]): AssignedReferral {
    let since = 0;
    all.forEach((t, i) => {
      if (t.to_status === 'assigned') since = i;
    });
    const transitions = all
      .slice(since)
      .map((t) =>
        toTransition(t, t.note_key === 'packet' && t.note_key_version === r.packet_version),
      );
    const chain = [r.granter_issuer_cert, r.granter_cert]
      .filter((c): c is Buffer => c !== null)
      .map((c) => c.toString('base64url'));
    return {
      id: r.id,
      service: r.service,
      urgency: r.urgency,
      status: r.status,
      version: r.version,
      partnerOrgId: r.partner_org_id,
      dueOn: r.due_on,
      overdue: isReferralOverdue({ status: r.status, dueOn: r.due_on }, today),
      assignedOn: r.assigned_on,
      updatedOn: r.updated_on,
      fields: r.fields,
      packetKeyVersion: r.packet_version,
      expiresOn: r.expires_on,
      grant: encodeBase64Url(r.grant),
      grantedBy: r.granted_by,
      granterCertificateChain: chain,
      packet: encodeBase64Url(r.packet),
      transitions,
    };
  }
}
