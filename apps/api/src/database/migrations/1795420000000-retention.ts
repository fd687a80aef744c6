import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention, purge-now and emergency lockdown (docs/retention.md).
 *
 * - `retention_settings`: the single row of retention periods, in whole days. The bounds repeat
 *   the API's validation. `triaged_intake_days` can only be 0 (triage deletes a submission on
 *   the spot) and `audit_log_days` only NULL ("forever": the hash-chained log is never trimmed;
 *   haven_app cannot delete from it anyway).
 * - `lockdown_state`: the single row saying whether Haven is in emergency lockdown since a day.
 * - `case_purge_request`: one coordinator's request to purge a case now, waiting for a second
 *   coordinator. The reason is a category (nothing free-form). ON DELETE CASCADE from the case,
 *   like every table that references `case_file` (a test walks pg_constraint to keep it so).
 */
export class Retention1795420000000 implements MigrationInterface {
  name = 'Retention1795420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE retention_settings (
        id boolean NOT NULL DEFAULT true,
        closed_case_days integer NOT NULL DEFAULT 90,
        triaged_intake_days integer NOT NULL DEFAULT 0,
        untriaged_intake_days integer NOT NULL DEFAULT 30,
        expired_packet_days integer NOT NULL DEFAULT 0,
        audit_log_days integer NULL,
        updated_on date NULL,
        CONSTRAINT retention_settings_pkey PRIMARY KEY (id),
        CONSTRAINT retention_settings_single CHECK (id),
        CONSTRAINT retention_settings_closed_case CHECK (closed_case_days BETWEEN 0 AND 3650),
        CONSTRAINT retention_settings_triaged_intake CHECK (triaged_intake_days = 0),
        CONSTRAINT retention_settings_untriaged_intake
          CHECK (untriaged_intake_days BETWEEN 1 AND 365),
        CONSTRAINT retention_settings_expired_packet CHECK (expired_packet_days BETWEEN 0 AND 365),
        CONSTRAINT retention_settings_audit_log CHECK (audit_log_days IS NULL)
      )`);
    await q.query(`INSERT INTO retention_settings (id) VALUES (true)`);

    await q.query(`
      CREATE TABLE lockdown_state (
        id boolean NOT NULL DEFAULT true,
        since_on date NULL,
        CONSTRAINT lockdown_state_pkey PRIMARY KEY (id),
        CONSTRAINT lockdown_state_single CHECK (id)
      )`);
    await q.query(`INSERT INTO lockdown_state (id) VALUES (true)`);

    await q.query(`
      CREATE TABLE case_purge_request (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL,
        reason text NOT NULL,
        requested_by uuid NOT NULL,
        expires_at timestamptz NOT NULL,
        CONSTRAINT case_purge_request_pkey PRIMARY KEY (id),
        CONSTRAINT case_purge_request_case FOREIGN KEY (case_id)
          REFERENCES case_file (id) ON DELETE CASCADE,
        CONSTRAINT case_purge_request_one_per_case UNIQUE (case_id),
        CONSTRAINT case_purge_request_by FOREIGN KEY (requested_by) REFERENCES app_user (id),
        CONSTRAINT case_purge_request_reason CHECK (reason IN
          ('consent_withdrawn', 'safety_risk', 'created_in_error', 'duplicate', 'legal_order'))
      )`);

    // Default privileges already cover new tables; stated here so the rights read in one place.
    await q.query(`GRANT SELECT, UPDATE ON retention_settings TO haven_app`);
    await q.query(`REVOKE INSERT, DELETE ON retention_settings FROM haven_app`);
    await q.query(`GRANT SELECT, UPDATE ON lockdown_state TO haven_app`);
    await q.query(`REVOKE INSERT, DELETE ON lockdown_state FROM haven_app`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON case_purge_request TO haven_app`);
    // The purge job's query: closed cases by the day they closed.
    await q.query(
      `CREATE INDEX case_file_closed_on ON case_file (closed_on) WHERE closed_on IS NOT NULL`,
    );
    await q.query(`CREATE INDEX intake_submission_received_on ON intake_submission (received_on)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX intake_submission_received_on`);
    await q.query(`DROP INDEX case_file_closed_on`);
    await q.query(`DROP TABLE case_purge_request`);
    await q.query(`DROP TABLE lockdown_state`);
    await q.query(`DROP TABLE retention_settings`);
  }
}
