import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Staff accounts, sessions, invitations and sign-in throttling (docs/accounts.md).
 *
 * - `app_user`: what the server keeps about a person. No password and no key in clear:
 *   `auth_hash` is argon2id(authKey) (authKey itself is derived from the password in the
 *   browser), private keys arrive wrapped under keys the server never sees, and the TOTP
 *   secret is sealed under a key derived from SERVER_SECRET, bound to the user id.
 *   `certificate` is null until an admin has certified the public keys ("pending
 *   certification": the user can sign in but cannot receive case grants).
 * - `session`: only the SHA-256 of each 256-bit session token. Exact times are needed here
 *   (15-minute idle timeout, 12-hour limit); expired rows are deleted.
 * - `invitation`: one-time links, stored as SHA-256 of the token; the TOTP secret for the
 *   future account is sealed like the user's and dropped once the link is used.
 * - `login_throttle`: failures per account, keyed by a keyed hash of the normalised username
 *   (so the table names nobody, and unknown usernames are throttled exactly like real ones).
 *   Failure times are kept for one hour at most.
 * - `setup_token` gains the first admin's future id and sealed TOTP secret.
 */
export class Accounts1795330000000 implements MigrationInterface {
  name = 'Accounts1795330000000';

  async up(q: QueryRunner): Promise<void> {
    const roles = `('admin', 'coordinator', 'caseworker', 'partner', 'auditor')`;
    await q.query(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY,
        username text NOT NULL UNIQUE CHECK (char_length(username) BETWEEN 3 AND 64),
        role text NOT NULL CHECK (role IN ${roles}),
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
        auth_hash text NOT NULL CHECK (auth_hash LIKE '$argon2id$%'),
        kdf_ops_limit integer NOT NULL CHECK (kdf_ops_limit > 0),
        kdf_mem_limit_bytes bigint NOT NULL CHECK (kdf_mem_limit_bytes > 0),
        wrapped_user_key bytea NOT NULL CHECK (octet_length(wrapped_user_key) = 75),
        box_public_key bytea NOT NULL CHECK (octet_length(box_public_key) = 32),
        sign_public_key bytea NOT NULL CHECK (octet_length(sign_public_key) = 32),
        wrapped_box_secret bytea NOT NULL CHECK (octet_length(wrapped_box_secret) = 75),
        wrapped_sign_seed bytea NOT NULL CHECK (octet_length(wrapped_sign_seed) = 75),
        org_root_pin bytea NOT NULL CHECK (octet_length(org_root_pin) = 32),
        wrapped_org_root_key bytea NULL CHECK (octet_length(wrapped_org_root_key) = 75),
        wrapped_intake_key bytea NULL CHECK (octet_length(wrapped_intake_key) = 75),
        certificate bytea NULL CHECK (octet_length(certificate) BETWEEN 172 AND 427),
        certified_by uuid NULL REFERENCES app_user (id),
        certified_on date NULL,
        totp_secret bytea NOT NULL CHECK (octet_length(totp_secret) BETWEEN 40 AND 200),
        totp_last_counter bigint NOT NULL DEFAULT 0,
        grant_rotation_due boolean NOT NULL DEFAULT false,
        created_on date NOT NULL DEFAULT current_date,
        disabled_on date NULL,
        CHECK ((certificate IS NULL) = (certified_on IS NULL)),
        CHECK ((status = 'disabled') = (disabled_on IS NOT NULL))
      )`);
    await q.query(`
      CREATE TABLE session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
        user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX session_by_user ON session (user_id)`);
    await q.query(`CREATE INDEX session_by_expiry ON session (expires_at)`);
    await q.query(`
      CREATE TABLE invitation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
        role text NOT NULL CHECK (role IN ${roles}),
        user_id uuid NOT NULL UNIQUE,
        totp_secret bytea NULL CHECK (octet_length(totp_secret) BETWEEN 40 AND 200),
        created_by uuid NOT NULL REFERENCES app_user (id),
        created_on date NOT NULL DEFAULT current_date,
        expires_at timestamptz NOT NULL,
        used_at timestamptz NULL,
        CHECK (used_at IS NOT NULL OR totp_secret IS NOT NULL)
      )`);
    await q.query(`
      CREATE TABLE login_throttle (
        subject bytea PRIMARY KEY CHECK (octet_length(subject) = 32),
        consecutive_failures integer NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
        last_failure_at timestamptz NOT NULL,
        recent_failures timestamptz[] NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX login_throttle_last ON login_throttle (last_failure_at)`);
    await q.query(`
      ALTER TABLE setup_token
        ADD COLUMN user_id uuid NULL,
        ADD COLUMN totp_secret bytea NULL CHECK (octet_length(totp_secret) BETWEEN 40 AND 200)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE setup_token DROP COLUMN totp_secret, DROP COLUMN user_id`);
    await q.query(`DROP TABLE login_throttle`);
    await q.query(`DROP TABLE invitation`);
    await q.query(`DROP TABLE session`);
    await q.query(`DROP TABLE app_user`);
  }
}
