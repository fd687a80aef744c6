import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { StaffRole, UserSummary } from '@haven/contracts';
import {
  bytesEqual,
  decodeCertificate,
  isCryptoError,
  verifyCertificateChain,
} from '@haven/crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { Caller } from '../access/caller';
import { AuditService } from '../audit/audit.service';
import { SessionsService } from '../sessions/sessions.service';
import { sql } from '../database/sql';
import { toUserSummary, type UserRecord, UserStore } from './user-store';

/**
 * What admins do to accounts: list, certify keys, disable, change role. Every change runs in
 * one transaction with its audit event; every refusal is a 4xx with a reason.
 */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UserStore,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  async list(_caller: Caller): Promise<UserSummary[]> {
    return (await this.users.all(this.dataSource)).map(toUserSummary);
  }

  /**
   * Stores the certificate the admin's browser issued after the fingerprints were compared.
   * The server checks it for real: it must chain to the organisation root through the
   * caller's own certificate (or, for an admin, be issued by the root), name this user and
   * role, and certify exactly the public keys on record.
   */
  async certify(caller: Caller, userId: string, certificateB64: string): Promise<UserSummary> {
    const certificate = Buffer.from(certificateB64, 'base64url');
    try {
      return await this.dataSource.transaction(async (manager) => {
        const target = await this.target(manager, userId);
        if (target.status !== 'active') throw new ConflictException('This account is disabled');
        if (target.certificate) throw new ConflictException('This account is already certified');
        const issuer = await this.users.byId(manager, caller.userId);
        const root = await this.orgRoot(manager);
        let chain: Uint8Array[];
        if (target.role === 'admin') {
          chain = [certificate];
        } else {
          if (!issuer?.certificate) {
            throw new ConflictException('Your own keys are not certified yet');
          }
          chain = [issuer.certificate, certificate];
        }
        this.verify(chain, root, target);
        await sql(
          manager,
          `UPDATE app_user SET certificate = $2, certified_by = $3, certified_on = current_date
            WHERE id = $1`,
          [target.id, certificate, caller.userId],
        );
        await this.audit.record(manager, {
          actor: { id: caller.userId, role: caller.role },
          action: 'user.certify',
          target: target.id,
          outcome: 'ok',
        });
        return toUserSummary((await this.users.byId(manager, target.id)) ?? target);
      });
    } catch (error) {
      if (error instanceof BadRequestException) {
        await this.audit.recordNow({
          actor: { id: caller.userId, role: caller.role },
          action: 'user.certify',
          target: userId,
          outcome: 'denied:bad_certificate',
        });
      }
      throw error;
    }
  }

  /** Disables an account: its sessions end now; its case grants are flagged for rotation. */
  async disable(caller: Caller, userId: string): Promise<UserSummary> {
    return this.dataSource.transaction(async (manager) => {
      const target = await this.target(manager, userId);
      if (target.id === caller.userId) {
        throw new ConflictException('You cannot disable your own account');
      }
      if (target.status === 'disabled') return toUserSummary(target);
      // Referral packets sealed to them stop being theirs at once (docs/referrals.md).
      await sql(manager, 'DELETE FROM referral_packet_grant WHERE user_id = $1', [target.id]);
      await sql(
        manager,
        `UPDATE app_user SET status = 'disabled', disabled_on = current_date,
                grant_rotation_due = true
          WHERE id = $1`,
        [target.id],
      );
      await this.sessions.endAllForUser(manager, target.id);
      // Links this person handed out stop working with them.
      await sql(manager, 'DELETE FROM invitation WHERE created_by = $1 AND used_at IS NULL', [
        target.id,
      ]);
      await this.audit.record(manager, {
        actor: { id: caller.userId, role: caller.role },
        action: 'user.disable',
        target: target.id,
        outcome: 'ok',
      });
      return toUserSummary((await this.users.byId(manager, target.id)) ?? target);
    });
  }

  /**
   * Changes a role. The certificate names the role, so it is withdrawn and the keys must be
   * certified again; the user's sessions end; case grants are flagged for rotation (a new role
   * may not keep them). A former admin loses the organisation keys wrapped for them, and the
   * people they certified need certifying again by a current admin.
   */
  async changeRole(caller: Caller, userId: string, role: StaffRole): Promise<UserSummary> {
    return this.dataSource.transaction(async (manager) => {
      const target = await this.target(manager, userId);
      if (target.id === caller.userId) {
        throw new ConflictException('You cannot change your own role');
      }
      if (target.status === 'disabled') throw new ConflictException('This account is disabled');
      if (target.role === role) return toUserSummary(target);
      if (target.role === 'partner' || role === 'partner') {
        // A partner belongs to a partner organisation and nobody else does: a partner account
        // cannot become staff (nor staff a partner). Invite a new account instead.
        throw new ConflictException(
          'The partner role cannot be given to or taken from an account: invite a new account',
        );
      }
      await sql(
        manager,
        `UPDATE app_user SET role = $2, certificate = NULL, certified_by = NULL,
                certified_on = NULL, grant_rotation_due = true,
                wrapped_org_root_key = CASE WHEN $2 = 'admin' THEN wrapped_org_root_key END,
                wrapped_intake_key = CASE WHEN $2 = 'admin' THEN wrapped_intake_key END
          WHERE id = $1`,
        [target.id, role],
      );
      if (target.role === 'admin') {
        await sql(
          manager,
          `UPDATE app_user SET certificate = NULL, certified_by = NULL, certified_on = NULL
            WHERE certified_by = $1 AND role <> 'admin'`,
          [target.id],
        );
      }
      await this.sessions.endAllForUser(manager, target.id);
      await this.audit.record(manager, {
        actor: { id: caller.userId, role: caller.role },
        action: 'user.role_change',
        target: target.id,
        outcome: 'ok',
      });
      return toUserSummary((await this.users.byId(manager, target.id)) ?? target);
    });
  }

  private async target(manager: EntityManager, userId: string): Promise<UserRecord> {
    const user = await this.users.byId(manager, userId, { forUpdate: true });
    if (!user) throw new NotFoundException();
    return user;
  }

  private async orgRoot(manager: EntityManager): Promise<Uint8Array> {
    const rows = await sql<{ root_sign_pk: Buffer }>(
      manager,
      'SELECT root_sign_pk FROM organisation',
    );
    if (!rows[0]) throw new ConflictException('First-run setup is not complete');
    return new Uint8Array(rows[0].root_sign_pk);
  }

  private verify(chain: Uint8Array[], root: Uint8Array, target: UserRecord): void {
    try {
      verifyCertificateChain(
        chain.map((c) => new Uint8Array(c)),
        root,
        { subjectId: target.id, roles: [target.role] },
      );
      const leaf = decodeCertificate(new Uint8Array(chain[chain.length - 1]));
      if (
        !bytesEqual(leaf.boxPublicKey, new Uint8Array(target.boxPublicKey)) ||
        !bytesEqual(leaf.signPublicKey, new Uint8Array(target.signPublicKey))
      ) {
        throw new BadRequestException('The certificate is for other keys than this account has');
      }
    } catch (error) {
      if (isCryptoError(error)) {
        throw new BadRequestException(
          'The certificate does not verify: it must be issued by your certified key for this ' +
            "account's keys and role",
        );
      }
      throw error;
    }
  }
}
