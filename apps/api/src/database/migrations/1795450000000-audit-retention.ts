import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Audit-log retention (docs/audit.md "Trimming", docs/retention.md).
 *
 * - `retention_settings.audit_log_days`: NULL ("forever", the default) or 365–3650 days.
 * - `audit_trim`: one row per trim, the **anchor** verification starts from: the last deleted
 *   seq, its hash (= `prev_hash` of the first kept event), the signed checkpoint at that seq
 *   (signature and public key, checked by the verifiers with the log key) and the seq of the
 *   `audit.trim` event that names it (`target = through:<seq>`), which the chain then covers.
 *   Append-only like the log; `haven_app` may only read it.
 * - `audit_trim_permit`: the one way past the log's DELETE trigger. `audit_trim()` inserts the
 *   current transaction's id, deletes, and removes it again; the trigger lets a DELETE through
 *   only while a permit for the current transaction exists. `haven_app` has no right on the
 *   table, so it cannot give itself a permit (and has no DELETE right on the log either).
 * - `audit_event_append_only()` (the trigger function of the log) becomes SECURITY DEFINER so
 *   that it can read the permits whoever deletes (PostgreSQL refuses to call a trigger function
 *   other than as a trigger).
 * - `audit_trim(through_seq)`: SECURITY DEFINER, owned by the migrating role, EXECUTE for
 *   `haven_app` only. It deletes events up to `through_seq` only when: audit retention is not
 *   forever; every event up to it is older than the cutoff (today UTC − audit_log_days, read
 *   from the settings, never from the caller: at least 365 days always stay); a stored
 *   checkpoint at exactly that seq holds that event's hash; and the head of the log is an
 *   `audit.trim ok` event with target `through:<seq>` written by this very transaction (the
 *   API appends it first: the chain hash is BLAKE2b, which PostgreSQL cannot compute).
 */
export class AuditRetention1795450000000 implements MigrationInterface {
  name = 'AuditRetention1795450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE retention_settings DROP CONSTRAINT retention_settings_audit_log`);
    await q.query(`
      ALTER TABLE retention_settings ADD CONSTRAINT retention_settings_audit_log
        CHECK (audit_log_days IS NULL OR audit_log_days BETWEEN 365 AND 3650)`);

    await q.query(`
      CREATE TABLE audit_trim (
        seq bigint NOT NULL,
        head bytea NOT NULL,
        signature bytea NOT NULL,
        public_key bytea NOT NULL,
        trim_seq bigint NOT NULL,
        cutoff_on date NOT NULL,
        deleted bigint NOT NULL,
        trimmed_on date NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')::date,
        CONSTRAINT audit_trim_pkey PRIMARY KEY (seq),
        CONSTRAINT audit_trim_order CHECK (seq >= 1 AND trim_seq > seq),
        CONSTRAINT audit_trim_head CHECK (octet_length(head) = 32),
        CONSTRAINT audit_trim_signature CHECK (octet_length(signature) = 64),
        CONSTRAINT audit_trim_public_key CHECK (octet_length(public_key) = 32)
      )`);
    await q.query(`
      CREATE FUNCTION audit_trim_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_trim is append-only (% refused)', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_trim_no_update_delete BEFORE UPDATE OR DELETE ON audit_trim
      FOR EACH ROW EXECUTE FUNCTION audit_trim_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_trim_no_truncate BEFORE TRUNCATE ON audit_trim
      FOR EACH STATEMENT EXECUTE FUNCTION audit_trim_append_only()`);
    await q.query(`REVOKE ALL ON audit_trim FROM haven_app`);
    await q.query(`GRANT SELECT ON audit_trim TO haven_app`);

    await q.query(`
      CREATE TABLE audit_trim_permit (
        txid bigint NOT NULL,
        CONSTRAINT audit_trim_permit_pkey PRIMARY KEY (txid)
      )`);
    await q.query(`REVOKE ALL ON audit_trim_permit FROM haven_app`);

    await q.query(`
      CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
      BEGIN
        IF TG_OP = 'DELETE'
           AND EXISTS (SELECT 1 FROM audit_trim_permit WHERE txid = txid_current()) THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit_event is append-only (% refused)', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);

    await q.query(`
      CREATE FUNCTION audit_trim(through_seq bigint) RETURNS bigint
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
      DECLARE
        days integer;
        cutoff date;
        previous bigint;
        head_event record;
        boundary record;
        checkpoint record;
        gone bigint;
      BEGIN
        -- The log's append lock (AUDIT_LOCK_KEY): nothing is appended until this commits.
        PERFORM pg_advisory_xact_lock(${0x68766e41});
        SELECT audit_log_days INTO days FROM retention_settings WHERE id;
        IF days IS NULL THEN
          RAISE EXCEPTION 'audit log retention is forever: nothing may be trimmed'
            USING ERRCODE = 'check_violation';
        END IF;
        cutoff := (now() AT TIME ZONE 'UTC')::date - days;
        SELECT coalesce(max(seq), 0) INTO previous FROM audit_trim;
        IF through_seq IS NULL OR through_seq <= previous THEN
          RAISE EXCEPTION 'audit log already trimmed through seq %', previous
            USING ERRCODE = 'check_violation';
        END IF;
        SELECT e.seq, e.action, e.target, e.outcome, e.xmin::text AS xmin INTO head_event
          FROM audit_event e ORDER BY e.seq DESC LIMIT 1;
        IF head_event.seq IS NULL OR head_event.seq <= through_seq
           OR head_event.action <> 'audit.trim' OR head_event.outcome <> 'ok'
           OR head_event.target IS DISTINCT FROM 'through:' || through_seq
           OR head_event.xmin <> (pg_current_xact_id()::xid)::text THEN
          RAISE EXCEPTION 'the head of the log must be this transaction''s audit.trim through:%',
            through_seq USING ERRCODE = 'check_violation';
        END IF;
        SELECT e.seq, e.day, e.hash INTO boundary FROM audit_event e WHERE e.seq = through_seq;
        IF boundary.seq IS NULL OR boundary.day >= cutoff
           OR EXISTS (SELECT 1 FROM audit_event e WHERE e.seq <= through_seq AND e.day >= cutoff)
        THEN
          RAISE EXCEPTION 'events up to seq % are not all older than %', through_seq, cutoff
            USING ERRCODE = 'check_violation';
        END IF;
        SELECT c.head, c.signature, c.public_key INTO checkpoint
          FROM audit_checkpoint c WHERE c.seq = through_seq;
        IF checkpoint.head IS NULL OR checkpoint.head <> boundary.hash THEN
          RAISE EXCEPTION 'no checkpoint holds the head at seq %', through_seq
            USING ERRCODE = 'check_violation';
        END IF;
        INSERT INTO audit_trim_permit (txid) VALUES (txid_current());
        DELETE FROM audit_event WHERE seq <= through_seq;
        GET DIAGNOSTICS gone = ROW_COUNT;
        DELETE FROM audit_trim_permit WHERE txid = txid_current();
        INSERT INTO audit_trim (seq, head, signature, public_key, trim_seq, cutoff_on, deleted)
        VALUES (through_seq, boundary.hash, checkpoint.signature, checkpoint.public_key,
                head_event.seq, cutoff, gone);
        RETURN gone;
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION audit_trim(bigint) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION audit_trim(bigint) TO haven_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION audit_trim(bigint)`);
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger
        LANGUAGE plpgsql SECURITY INVOKER AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only (% refused)', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`DROP TABLE audit_trim_permit`);
    await q.query(`DROP TABLE audit_trim`);
    await q.query(`DROP FUNCTION audit_trim_append_only()`);
    await q.query(`UPDATE retention_settings SET audit_log_days = NULL`);
    await q.query(`ALTER TABLE retention_settings DROP CONSTRAINT retention_settings_audit_log`);
    await q.query(`
      ALTER TABLE retention_settings ADD CONSTRAINT retention_settings_audit_log
        CHECK (audit_log_days IS NULL)`);
  }
}
