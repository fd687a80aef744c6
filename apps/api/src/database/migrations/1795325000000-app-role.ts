import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The API works as `haven_app`, a role without login that owns nothing: it may read and write
 * the application's tables but may only INSERT into (and read) the audit log. Migrations keep
 * running as the owner. Tables created by later migrations get the same rights through default
 * privileges; the audit log's are narrowed again here.
 *
 * The role is cluster-wide, so creating it tolerates an existing one (several databases of one
 * server, e.g. tests, share it). The migrating user becomes a member so that it may switch to it.
 */
export class AppRole1795325000000 implements MigrationInterface {
  name = 'AppRole1795325000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$
      BEGIN
        CREATE ROLE haven_app NOLOGIN;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
      END $$`);
    await q.query(`
      DO $$
      BEGIN
        IF NOT pg_has_role(current_user, 'haven_app', 'MEMBER') THEN
          EXECUTE format('GRANT haven_app TO %I', current_user);
        END IF;
      END $$`);
    await q.query(`GRANT USAGE ON SCHEMA public TO haven_app`);
    await q.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO haven_app`,
    );
    await q.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO haven_app`);
    await q.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO haven_app`,
    );
    await q.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO haven_app`,
    );
    await q.query(`REVOKE ALL ON schema_migration FROM haven_app`);
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM haven_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM haven_app`);
    await q.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM haven_app`,
    );
    await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM haven_app`);
    await q.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM haven_app`);
    await q.query(`REVOKE USAGE ON SCHEMA public FROM haven_app`);
  }
}
