import {
  ConflictException,
  ForbiddenException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type AcceptInvitationRequest,
  type CreatedInvitation,
  type EnrolledResponse,
  INVITATION_TTL_HOURS,
  type InvitationDetails,
  type PendingInvitation,
  type StaffRole,
} from '@haven/contracts';
import { KDF_ALGORITHM, KDF_RECOMMENDED } from '@haven/crypto';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { Caller } from '../access/caller';
import { AuditService } from '../audit/audit.service';
import { EnrolmentService } from '../auth/enrolment.service';
import { TotpService } from '../auth/totp.service';
import { sql } from '../database/sql';

interface InvitationRow {
  id: string;
  role: StaffRole;
  partner_org_id: string | null;
  partner_org_name: string | null;
  user_id: string;
  totp_secret: Buffer | null;
  expires_at: Date;
  used_at: Date | null;
  expired: boolean;
}

export function hashLinkToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/**
 * Invitations: an admin names a role, gets a one-time link (`/invite#token=…`, shown once; the
 * database keeps only the token's SHA-256), valid for 72 hours. The invitee's browser makes the
 * keys; the server creates the account, uncertified, in one transaction that uses up the link.
 */
@Injectable()
export class InvitationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly totp: TotpService,
    private readonly enrolment: EnrolmentService,
    private readonly audit: AuditService,
  ) {}

  /**
   * A partner invitation names an active partner organisation (the contract already refused a
   * partner invitation without one, and an organisation on any other role's invitation).
   */
  async create(
    caller: Caller,
    role: StaffRole,
    partnerOrgId: string | null = null,
  ): Promise<CreatedInvitation> {
    const token = randomBytes(32).toString('base64url');
    const userId = randomUUID();
    return this.dataSource.transaction(async (manager) => {
      if (partnerOrgId !== null) {
        const org = await sql<{ active: boolean }>(
          manager,
          'SELECT active FROM partner_org WHERE id = $1 FOR SHARE',
          [partnerOrgId],
        );
        if (!org[0]) throw new NotFoundException('There is no such partner organisation');
        if (!org[0].active) {
          throw new ConflictException(
            'This partner organisation is deactivated: reactivate it before inviting its people',
          );
        }
      }
      const rows = await sql<{ id: string; expires_at: Date }>(
        manager,
        `INSERT INTO invitation (token_hash, role, user_id, totp_secret, created_by, expires_at,
                                 partner_org_id)
         VALUES ($1, $2, $3, $4, $5, now() + make_interval(hours => $6), $7)
         RETURNING id, expires_at`,
        [
          hashLinkToken(token),
          role,
          userId,
          this.totp.newSecret(userId),
          caller.userId,
          INVITATION_TTL_HOURS,
          partnerOrgId,
        ],
      );
      const created = rows[0];
      await this.audit.record(manager, {
        actor: { id: caller.userId, role: caller.role },
        action: 'invitation.create',
        target: created.id,
        outcome: 'ok',
      });
      return { id: created.id, role, token, expiresAt: created.expires_at.toISOString() };
    });
  }

  async pending(_caller: Caller): Promise<PendingInvitation[]> {
    const rows = await sql<{
      id: string;
      role: StaffRole;
      partner_org_id: string | null;
      created_on: string;
      expires_at: Date;
    }>(
      this.dataSource,
      `SELECT id, role, partner_org_id, created_on::text AS created_on, expires_at FROM invitation
        WHERE used_at IS NULL AND expires_at > now() ORDER BY expires_at`,
    );
    return rows.map((r) => ({
      id: r.id,
      role: r.role,
      partnerOrgId: r.partner_org_id,
      createdOn: r.created_on,
      expiresAt: r.expires_at.toISOString(),
    }));
  }

  async revoke(caller: Caller, invitationId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const rows = await sql(
        manager,
        'DELETE FROM invitation WHERE id = $1 AND used_at IS NULL RETURNING id',
        [invitationId],
      );
      if (rows.length === 0) throw new NotFoundException();
      await this.audit.record(manager, {
        actor: { id: caller.userId, role: caller.role },
        action: 'invitation.revoke',
        target: invitationId,
        outcome: 'ok',
      });
    });
  }

  /** What the invitation page shows before the person chooses a username and password. */
  async inspect(token: string): Promise<InvitationDetails> {
    const invitation = await this.usable(this.dataSource, token, 'invitation.inspect');
    const org = await sql<{ root_sign_pk: Buffer }>(
      this.dataSource,
      'SELECT root_sign_pk FROM organisation',
    );
    if (!org[0]) throw new ForbiddenException('This invitation link is not valid');
    return {
      role: invitation.role,
      partnerOrgName: invitation.partner_org_name,
      userId: invitation.user_id,
      totp: this.totp.provisioning(invitation.totp_secret, invitation.user_id),
      kdf: {
        algorithm: KDF_ALGORITHM,
        opsLimit: KDF_RECOMMENDED.opsLimit,
        memLimitBytes: KDF_RECOMMENDED.memLimitBytes,
      },
      orgRootPublicKey: org[0].root_sign_pk.toString('base64url'),
      expiresAt: invitation.expires_at.toISOString(),
    };
  }

  async accept(body: AcceptInvitationRequest): Promise<EnrolledResponse> {
    const authHash = await this.enrolment.hashAuthKey(body.authKey);
    return this.dataSource.transaction(async (manager) => {
      const invitation = await this.usable(manager, body.token, 'invitation.accept', true);
      const username = await this.enrolment.enrol(manager, {
        userId: invitation.user_id,
        role: invitation.role,
        username: body.username,
        authHash,
        totpSecret: invitation.totp_secret,
        totpCode: body.totpCode,
        keys: body.keys,
        orgRootPin: body.orgRootPin,
        partnerOrgId: invitation.partner_org_id,
      });
      // Used up; the sealed TOTP secret now lives on the account only.
      await sql(
        manager,
        'UPDATE invitation SET used_at = now(), totp_secret = NULL WHERE id = $1',
        [invitation.id],
      );
      await this.audit.record(manager, {
        actor: { id: invitation.user_id, role: invitation.role },
        action: 'invitation.accept',
        target: invitation.id,
        outcome: 'ok',
      });
      return { userId: invitation.user_id, username };
    });
  }

  /** The invitation behind `token` if it can still be used; else 403, audited. */
  private async usable(
    db: DataSource | EntityManager,
    token: string,
    action: string,
    forUpdate = false,
  ): Promise<InvitationRow & { totp_secret: Buffer }> {
    const rows = await sql<InvitationRow>(
      db,
      `SELECT i.id, i.role, i.user_id, i.totp_secret, i.expires_at, i.used_at,
              i.expires_at <= now() AS expired, i.partner_org_id, p.name AS partner_org_name
         FROM invitation i LEFT JOIN partner_org p ON p.id = i.partner_org_id
        WHERE i.token_hash = $1${forUpdate ? ' FOR UPDATE OF i' : ''}`,
      [hashLinkToken(token)],
    );
    const row = rows[0];
    const refusal = !row
      ? { outcome: 'denied:unknown_link', message: 'This invitation link is not valid' }
      : row.used_at
        ? { outcome: 'denied:used', message: 'This invitation link has already been used' }
        : row.expired || !row.totp_secret
          ? {
              outcome: 'denied:expired',
              message: 'This invitation link has expired; ask for a new one',
            }
          : null;
    if (refusal) {
      await this.audit.recordNow({
        actor: null,
        action,
        target: row?.id ?? null,
        outcome: refusal.outcome,
      });
      throw new ForbiddenException(refusal.message);
    }
    return row as InvitationRow & { totp_secret: Buffer };
  }
}
