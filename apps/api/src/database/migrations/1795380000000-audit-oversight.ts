import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Audit oversight (docs/audit.md).
 *
 * - `audit_event.time_utc`: the minute (UTC, `HH:MM`) of staff activity, which the anomaly
 *   flags need; null for events of anonymous people (intake), which keep the day only, and for
 *   every event written before this column existed. It is part of the hashed event (shape v2),
 *   so changing or blanking it breaks the chain.
 * - `audit_checkpoint`: chain heads signed with the log key (derived from SERVER_SECRET, never
 *   stored here), one every 1,000 events and whenever an auditor asks. Append-only like the log:
 *   triggers refuse UPDATE, DELETE and TRUNCATE, and the application role may only insert.
 *   The signing public key is kept with each, so old checkpoints stay checkable after the
 *   secret is rotated. No foreign key to the log: it would make TRUNCATE of the log fail on the
 *   reference before the log's own trigger names the refusal, and verification compares every
 *   checkpoint with the chain anyway.
 * - An index for the reports and anomaly scans, which filter the log by action and day.
 * - `audit_event_head(lock_key)`: takes the append lock, then reads the head. One round trip
 *   instead of two per audited write; correct because a VOLATILE plpgsql function reads with a
 *   new snapshot per statement, so the head is read after the lock is held and sees every
 *   append committed before it.
 */
export class AuditOversight1795380000000 implements MigrationInterface {
  name = 'AuditOversight1795380000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE audit_event ADD COLUMN time_utc text NULL
        CONSTRAINT audit_event_time_utc CHECK (time_utc ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$')`);
    await q.query(`CREATE INDEX audit_event_action_day ON audit_event (action, day)`);

    await q.query(`
      CREATE TABLE audit_checkpoint (
        seq bigint NOT NULL,
        head bytea NOT NULL,
        signature bytea NOT NULL,
        public_key bytea NOT NULL,
        created_on date NOT NULL DEFAULT current_date,
        CONSTRAINT audit_checkpoint_pkey PRIMARY KEY (seq),
        CONSTRAINT audit_checkpoint_head CHECK (octet_length(head) = 32),
        CONSTRAINT audit_checkpoint_signature CHECK (octet_length(signature) = 64),
        CONSTRAINT audit_checkpoint_public_key CHECK (octet_length(public_key) = 32)
      )`);
    await q.query(`
      CREATE FUNCTION audit_checkpoint_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_checkpoint is append-only (% refused)', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_checkpoint_no_update_delete BEFORE UPDATE OR DELETE ON audit_checkpoint
      FOR EACH ROW EXECUTE FUNCTION audit_checkpoint_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint
      FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoint_append_only()`);
    // Default privileges gave haven_app everything on the new table; narrow it like the log's.
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_checkpoint FROM haven_app`);

    await q.query(`
      CREATE FUNCTION audit_event_head(lock_key bigint)
        RETURNS TABLE (seq bigint, hash bytea) LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(lock_key);
        RETURN QUERY SELECT e.seq, e.hash FROM audit_event e ORDER BY e.seq DESC LIMIT 1;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION audit_event_head(bigint)`);
    await q.query(`DROP TABLE audit_checkpoint`);
    await q.query(`DROP FUNCTION audit_checkpoint_append_only()`);
    await q.query(`DROP INDEX audit_event_action_day`);
    await q.query(`ALTER TABLE audit_event DROP COLUMN time_utc`);
  }
}
