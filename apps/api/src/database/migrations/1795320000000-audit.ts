import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log: one row per audited action, hash-chained (docs/crypto.md, "audit chain").
 * `seq` is gapless (appends are serialised by a transaction-scoped advisory lock), so a
 * missing row shows as a gap as well as a broken link. No content, no addresses: actor id,
 * role, action, target code, outcome, and the day.
 *
 * Append-only: triggers refuse UPDATE, DELETE and TRUNCATE for every role that does not first
 * disable them (only the table owner or a superuser can), and the chain makes any edit by
 * such a role detectable.
 */
export class Audit1795320000000 implements MigrationInterface {
  name = 'Audit1795320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_event (
        seq bigint PRIMARY KEY CHECK (seq >= 1),
        day date NOT NULL,
        actor uuid NULL,
        role text NULL,
        action text NOT NULL CHECK (action ~ '^[a-z_]+(\\.[a-z_]+)+$'),
        target text NULL CHECK (target IS NULL OR length(target) <= 100),
        outcome text NOT NULL CHECK (outcome ~ '^[a-z_]+(:[a-z_]+)?$'),
        prev_hash bytea NOT NULL CHECK (octet_length(prev_hash) = 32),
        hash bytea NOT NULL CHECK (octet_length(hash) = 32)
      )`);
    await q.query(`CREATE INDEX audit_event_day ON audit_event (day)`);
    await q.query(`CREATE INDEX audit_event_actor ON audit_event (actor, seq)`);
    await q.query(`CREATE INDEX audit_event_target ON audit_event (target, seq)`);
    await q.query(`
      CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only (% refused)', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_event
      FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
      FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_event`);
    await q.query(`DROP FUNCTION audit_event_append_only()`);
  }
}
