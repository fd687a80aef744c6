import { Injectable } from '@nestjs/common';
import type { StaffRole, UserStatus, UserSummary } from '@haven/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { sql } from '../database/sql';

/** An `app_user` row as the services use it (see the accounts migration). */
export interface UserRecord {
  id: string;
  username: string;
  role: StaffRole;
  status: 'active' | 'disabled';
  authHash: string;
  kdf: { opsLimit: number; memLimitBytes: number };
  wrappedUserKey: Buffer;
  boxPublicKey: Buffer;
  signPublicKey: Buffer;
  wrappedBoxSecret: Buffer;
  wrappedSignSeed: Buffer;
  orgRootPin: Buffer;
  wrappedOrgRootKey: Buffer | null;
  wrappedIntakeKey: Buffer | null;
  certificate: Buffer | null;
  certifiedBy: string | null;
  certifiedOn: string | null;
  totpSecret: Buffer;
  totpLastStep: number;
  createdOn: string;
  /** Partner users' organisation (docs/referrals.md); null for every other role. */
  partnerOrgId: string | null;
  partnerOrgName: string | null;
}

interface UserRow {
  id: string;
  username: string;
  role: StaffRole;
  status: 'active' | 'disabled';
  auth_hash: string;
  kdf_ops_limit: number;
  kdf_mem_limit_bytes: string;
  wrapped_user_key: Buffer;
  box_public_key: Buffer;
  sign_public_key: Buffer;
  wrapped_box_secret: Buffer;
  wrapped_sign_seed: Buffer;
  org_root_pin: Buffer;
  wrapped_org_root_key: Buffer | null;
  wrapped_intake_key: Buffer | null;
  certificate: Buffer | null;
  certified_by: string | null;
  certified_on: string | null;
  totp_secret: Buffer;
  totp_last_counter: string;
  created_on: string;
  partner_org_id: string | null;
  partner_org_name: string | null;
}

const COLUMNS = `id, username, role, status, auth_hash, kdf_ops_limit, kdf_mem_limit_bytes,
  wrapped_user_key, box_public_key, sign_public_key, wrapped_box_secret, wrapped_sign_seed,
  org_root_pin, wrapped_org_root_key, wrapped_intake_key, certificate, certified_by,
  certified_on::text AS certified_on, totp_secret, totp_last_counter, created_on::text AS created_on,
  partner_org_id,
  (SELECT p.name FROM partner_org p WHERE p.id = app_user.partner_org_id) AS partner_org_name`;

function toRecord(r: UserRow): UserRecord {
  return {
    id: r.id,
    username: r.username,
    role: r.role,
    status: r.status,
    authHash: r.auth_hash,
    kdf: { opsLimit: r.kdf_ops_limit, memLimitBytes: Number(r.kdf_mem_limit_bytes) },
    wrappedUserKey: r.wrapped_user_key,
    boxPublicKey: r.box_public_key,
    signPublicKey: r.sign_public_key,
    wrappedBoxSecret: r.wrapped_box_secret,
    wrappedSignSeed: r.wrapped_sign_seed,
    orgRootPin: r.org_root_pin,
    wrappedOrgRootKey: r.wrapped_org_root_key,
    wrappedIntakeKey: r.wrapped_intake_key,
    certificate: r.certificate,
    certifiedBy: r.certified_by,
    certifiedOn: r.certified_on,
    totpSecret: r.totp_secret,
    totpLastStep: Number(r.totp_last_counter),
    createdOn: r.created_on,
    partnerOrgId: r.partner_org_id,
    partnerOrgName: r.partner_org_name,
  };
}

export function statusOf(user: Pick<UserRecord, 'status' | 'certificate'>): UserStatus {
  if (user.status === 'disabled') return 'disabled';
  return user.certificate ? 'certified' : 'pending_certification';
}

/** The admin's view of an account: never a hash, a wrapped key or the TOTP secret. */
export function toUserSummary(user: UserRecord): UserSummary {
  return {
    id: user.id,
    username: user.username,
    role: user.role,
    partnerOrgId: user.partnerOrgId,
    status: statusOf(user),
    boxPublicKey: user.boxPublicKey.toString('base64url'),
    signPublicKey: user.signPublicKey.toString('base64url'),
    createdOn: user.createdOn,
    certifiedOn: user.certifiedOn,
  };
}

export interface NewUser {
  id: string;
  username: string;
  role: StaffRole;
  authHash: string;
  kdf: { opsLimit: number; memLimitBytes: number };
  wrappedUserKey: Buffer;
  boxPublicKey: Buffer;
  signPublicKey: Buffer;
  wrappedBoxSecret: Buffer;
  wrappedSignSeed: Buffer;
  orgRootPin: Buffer;
  totpSecret: Buffer;
  totpLastStep: number;
  wrappedOrgRootKey?: Buffer;
  wrappedIntakeKey?: Buffer;
  certificate?: Buffer;
  certifiedBy?: string;
  /** Required for role partner, refused for any other (a CHECK in the schema). */
  partnerOrgId?: string | null;
}

/** SQL for `app_user`. Usernames given here are already normalised. */
@Injectable()
export class UserStore {
  async byUsername(db: DataSource | EntityManager, username: string): Promise<UserRecord | null> {
    const rows = await sql<UserRow>(db, `SELECT ${COLUMNS} FROM app_user WHERE username = $1`, [
      username,
    ]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async byId(
    db: DataSource | EntityManager,
    id: string,
    opts: { forUpdate?: boolean } = {},
  ): Promise<UserRecord | null> {
    const rows = await sql<UserRow>(
      db,
      `SELECT ${COLUMNS} FROM app_user WHERE id = $1${opts.forUpdate ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async all(db: DataSource | EntityManager): Promise<UserRecord[]> {
    const rows = await sql<UserRow>(db, `SELECT ${COLUMNS} FROM app_user ORDER BY username`);
    return rows.map(toRecord);
  }

  async usernameTaken(db: DataSource | EntityManager, username: string): Promise<boolean> {
    const rows = await sql(db, 'SELECT 1 FROM app_user WHERE username = $1', [username]);
    return rows.length > 0;
  }

  async insert(manager: EntityManager, u: NewUser): Promise<void> {
    await sql(
      manager,
      `INSERT INTO app_user (id, username, role, auth_hash, kdf_ops_limit, kdf_mem_limit_bytes,
         wrapped_user_key, box_public_key, sign_public_key, wrapped_box_secret, wrapped_sign_seed,
         org_root_pin, totp_secret, totp_last_counter, wrapped_org_root_key, wrapped_intake_key,
         certificate, certified_by, certified_on, partner_org_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
         CASE WHEN $17::bytea IS NULL THEN NULL ELSE current_date END, $19)`,
      [
        u.id,
        u.username,
        u.role,
        u.authHash,
        u.kdf.opsLimit,
        u.kdf.memLimitBytes,
        u.wrappedUserKey,
        u.boxPublicKey,
        u.signPublicKey,
        u.wrappedBoxSecret,
        u.wrappedSignSeed,
        u.orgRootPin,
        u.totpSecret,
        u.totpLastStep,
        u.wrappedOrgRootKey ?? null,
        u.wrappedIntakeKey ?? null,
        u.certificate ?? null,
        u.certifiedBy ?? null,
        u.partnerOrgId ?? null,
      ],
    );
  }

  /**
   * Records that TOTP step `step` was used, only if it is newer than the last one: the
   * conditional update makes two concurrent sign-ins with the same code impossible.
   */
  async useTotpStep(manager: EntityManager, userId: string, step: number): Promise<boolean> {
    const rows = await sql(
      manager,
      `UPDATE app_user SET totp_last_counter = $2
        WHERE id = $1 AND totp_last_counter < $2 RETURNING id`,
      [userId, step],
    );
    return rows.length === 1;
  }
}
