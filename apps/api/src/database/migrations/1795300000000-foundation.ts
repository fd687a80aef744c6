import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * First-run state. `instance` has exactly one row (its key can only be `true`); setup is done
 * when `setup_completed_on` is set (a date: the exact time is not needed). `setup_token` keeps
 * only SHA-256 hashes of the one-time setup links the launcher prints.
 */
export class Foundation1795300000000 implements MigrationInterface {
  name = 'Foundation1795300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE instance (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        setup_completed_on date NULL
      )`);
    await q.query(`INSERT INTO instance (id) VALUES (true)`);
    await q.query(`
      CREATE TABLE setup_token (
        token_hash bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
        expires_at timestamptz NOT NULL,
        used_at timestamptz NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE setup_token`);
    await q.query(`DROP TABLE instance`);
  }
}
