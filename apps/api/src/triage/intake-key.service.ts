/**
 * The organisation's intake private key (docs/intake.md, "The intake key"). First-run setup
 * leaves it wrapped under the setup admin's user key; the admin's browser opens it and seals
 * `intake` grants to certified coordinators (the handover); afterwards coordinators who hold it
 * seal it to coordinators who do not. Once any coordinator holds it, the admin's wrapped copy
 * is deleted: admins see no content (DESIGN.md), and the copy only existed to bridge setup.
 */
import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Injectable,
  ServiceUnavailableException,
} from '@nestjs/common';
import {
  type IntakeKeyGrantsRequest,
  type IntakeKeyGrantsResponse,
  type IntakeKeyPerson,
  type IntakeKeyStatus,
} from '@haven/contracts';
import type { EntityManager } from 'typeorm';
import type { Caller } from '../access/caller';
import { AuditService } from '../audit/audit.service';
import { CaseStore, rows, TODAY_SQL } from '../cases/case-store';
import { encodeBase64Url } from '../cases/envelopes';
import { INTAKE_KEY_LOCK, intakeGrantEnvelope } from './intake-key-grants';
import { IntakeRotationService } from './intake-rotation.service';

interface OrgRow {
  intake_rotation_due: boolean;
  intake_box_pk: Buffer;
  intake_key_signature: Buffer;
  intake_key_version: number;
}

@Injectable()
export class IntakeKeyService {
  constructor(
    private readonly store: CaseStore,
    private readonly audit: AuditService,
    private readonly rotation: IntakeRotationService,
  ) {}

  private async organisation(m: EntityManager | CaseStore['dataSource']): Promise<OrgRow> {
    const org = await rows<OrgRow>(
      m,
      `SELECT intake_box_pk, intake_key_signature, intake_key_version, intake_rotation_due
         FROM organisation`,
    );
    if (!org[0]) {
      throw new ServiceUnavailableException('First-run setup has not created the intake key yet');
    }
    return org[0];
  }

  async status(caller: Caller): Promise<IntakeKeyStatus> {
    const db = this.store.dataSource;
    const org = await this.organisation(db);
    const mine = await rows<{ envelope: Buffer; granted_by: string }>(
      db,
      'SELECT envelope, granted_by FROM intake_key_grant WHERE user_id = $1 AND key_version = $2',
      [caller.userId, org.intake_key_version],
    );
    const holders = await rows<{ held: boolean }>(
      db,
      `SELECT EXISTS (SELECT 1 FROM intake_key_grant WHERE key_version = $1)
           OR EXISTS (SELECT 1 FROM app_user
                       WHERE wrapped_intake_key IS NOT NULL AND status = 'active') AS held`,
      [org.intake_key_version],
    );
    const grant = mine[0];
    const holdsKey = grant !== undefined || (await this.holdsAdminCopy(db, caller));
    const missing = holdsKey
      ? await this.people(
          db,
          `u.role = 'coordinator' AND u.status = 'active'
           AND NOT EXISTS (SELECT 1 FROM intake_key_grant k
                            WHERE k.user_id = u.id AND k.key_version = $1)`,
          [org.intake_key_version],
        )
      : [];
    const coordinators =
      grant !== undefined && caller.role === 'coordinator'
        ? await this.people(db, `u.role = 'coordinator' AND u.status = 'active'`, [])
        : [];
    const granter = grant
      ? ((await this.people(db, 'u.id = $1', [grant.granted_by]))[0] ?? null)
      : null;
    return {
      version: org.intake_key_version,
      intakePublicKey: encodeBase64Url(org.intake_box_pk),
      intakeKeySignature: encodeBase64Url(org.intake_key_signature),
      grant: grant ? encodeBase64Url(grant.envelope) : null,
      granter,
      held: holders[0]?.held ?? false,
      rotationDue: org.intake_rotation_due,
      missing,
      coordinators,
      proposal: await this.rotation.proposal(db, org.intake_key_version),
    };
  }

  /** Certified admins and coordinators matching `where`, with their certificate chains. */
  private async people(
    db: EntityManager | CaseStore['dataSource'],
    where: string,
    params: unknown[],
  ): Promise<IntakeKeyPerson[]> {
    const found = await rows<{
      id: string;
      username: string;
      role: 'admin' | 'coordinator';
      certificate: Buffer;
      issuer_certificate: Buffer | null;
    }>(
      db,
      `SELECT u.id, u.username, u.role, u.certificate, a.certificate AS issuer_certificate
         FROM app_user u LEFT JOIN app_user a ON a.id = u.certified_by
        WHERE u.certificate IS NOT NULL AND u.role IN ('admin', 'coordinator') AND ${where}
        ORDER BY u.username LIMIT 200`,
      params,
    );
    return found.flatMap((p): IntakeKeyPerson[] => {
      // An admin's certificate is issued by the root; everyone else's by an admin.
      if (p.role === 'admin') {
        const chain = [encodeBase64Url(p.certificate)];
        return [{ id: p.id, username: p.username, role: p.role, certificateChain: chain }];
      }
      if (!p.issuer_certificate) return [];
      return [
        {
          id: p.id,
          username: p.username,
          role: p.role,
          certificateChain: [encodeBase64Url(p.issuer_certificate), encodeBase64Url(p.certificate)],
        },
      ];
    });
  }

  private async holdsAdminCopy(
    db: EntityManager | CaseStore['dataSource'],
    caller: Caller,
  ): Promise<boolean> {
    if (caller.role !== 'admin') return false;
    const found = await rows(
      db,
      'SELECT 1 FROM app_user WHERE id = $1 AND wrapped_intake_key IS NOT NULL',
      [caller.userId],
    );
    return found.length > 0;
  }

  async grant(caller: Caller, body: IntakeKeyGrantsRequest): Promise<IntakeKeyGrantsResponse> {
    return this.store.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [INTAKE_KEY_LOCK]);
      const org = await this.organisation(m);
      if (body.version !== org.intake_key_version) {
        throw new ConflictException('The intake key has another version. Reload and try again.');
      }
      const holds =
        caller.role === 'admin'
          ? await this.holdsAdminCopy(m, caller)
          : (
              await rows(
                m,
                'SELECT 1 FROM intake_key_grant WHERE user_id = $1 AND key_version = $2',
                [caller.userId, org.intake_key_version],
              )
            ).length > 0;
      if (!holds) {
        throw new ForbiddenException('Only someone who holds the intake key can hand it over');
      }
      const ids = body.grants.map((g) => g.userId);
      if (new Set(ids).size !== ids.length) {
        throw new BadRequestException('grants: each person may be named once');
      }
      await this.store.requireGrantees(m, ids, 'grants', ['coordinator']);
      let granted = 0;
      for (const [i, g] of body.grants.entries()) {
        const envelope = intakeGrantEnvelope(g.envelope, `grants.${i}.envelope`, {
          version: body.version,
          granteeId: g.userId,
          granterId: caller.userId,
        });
        const inserted = await rows(
          m,
          `INSERT INTO intake_key_grant (user_id, key_version, envelope, granted_by, created_on)
           VALUES ($1, $2, $3, $4, ${TODAY_SQL})
           ON CONFLICT (user_id) DO UPDATE
              SET key_version = EXCLUDED.key_version, envelope = EXCLUDED.envelope,
                  granted_by = EXCLUDED.granted_by, created_on = EXCLUDED.created_on
            WHERE intake_key_grant.key_version < EXCLUDED.key_version
           RETURNING user_id`,
          [g.userId, body.version, envelope, caller.userId],
        );
        if (inserted.length === 0) continue;
        granted += 1;
        await this.audit.record(m, {
          actor: { id: caller.userId, role: caller.role },
          action: 'intake_key.grant',
          target: g.userId,
          outcome: 'ok',
        });
      }
      // A coordinator holds the key now: the setup admin's bridge copy goes.
      const deleted = await rows<{ id: string }>(
        m,
        `UPDATE app_user SET wrapped_intake_key = NULL
          WHERE wrapped_intake_key IS NOT NULL
            AND EXISTS (SELECT 1 FROM intake_key_grant WHERE key_version = $1)
          RETURNING id`,
        [org.intake_key_version],
      );
      for (const admin of deleted) {
        await this.audit.record(m, {
          actor: { id: caller.userId, role: caller.role },
          action: 'intake_key.admin_copy_delete',
          target: admin.id,
          outcome: 'ok',
        });
      }
      return { version: body.version, granted, adminCopyDeleted: deleted.length > 0 };
    });
  }
}
