import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cases and the contact log (docs/cases.md). Only what DESIGN.md lets the server know is in
 * clear; everything a person said, needs or is called is in record envelopes encrypted in the
 * browser (checked here for their header only: version 0x01, kind 0x01 "record").
 *
 * - `case_file`: one row per case. `code` is random (never sequential), `version` guards
 *   profile and status edits against lost updates, `key_version` is the case key's current
 *   version (every record and grant of the case is at it), `rotation_due` is set when a grant
 *   was removed and cleared by the rotation that re-encrypts everything under a new key.
 * - `case_grant`: the case key sealed to one grantee and signed by the granter. Deleting the
 *   row is the revocation.
 * - `case_entry`: the timeline (contacts, status notes, access notes), each its own record;
 *   `ordinal` orders it within its case only. The follow-up day and who follows up are in clear
 *   ("My follow-ups").
 * - `case_blind_index`: 2-byte truncated keyed hashes of phone numbers and handles, for the
 *   duplicate warning (collisions by design).
 * - `index_key_grant`: the organisation's blind-index key, sealed to each staff member.
 *
 * Days, never times. Deleting a case (crypto-shredding after retention) cascades to all of it.
 */
export class Cases1795370000000 implements MigrationInterface {
  name = 'Cases1795370000000';

  async up(q: QueryRunner): Promise<void> {
    // 262,190 = a 256 KiB padded record + 46 bytes of envelope (MAX_RECORD_ENVELOPE_BYTES).
    const record = (column: string) =>
      `get_byte(${column}, 0) = 1 AND get_byte(${column}, 1) = 1
       AND octet_length(${column}) BETWEEN 46 AND 262190`;
    const grant = (column: string) =>
      `get_byte(${column}, 0) = 1 AND get_byte(${column}, 1) = 3
       AND octet_length(${column}) BETWEEN 100 AND 1024`;

    await q.query(`
      CREATE TABLE case_file (
        id uuid NOT NULL,
        code text NOT NULL,
        status text NOT NULL,
        priority text NOT NULL,
        assignee_id uuid NULL,
        supervisor_id uuid NOT NULL,
        key_version integer NOT NULL DEFAULT 1,
        profile_envelope bytea NOT NULL,
        summary_envelope bytea NOT NULL,
        version integer NOT NULL DEFAULT 1,
        created_on date NOT NULL DEFAULT current_date,
        updated_on date NOT NULL DEFAULT current_date,
        closed_on date NULL,
        rotation_due boolean NOT NULL DEFAULT false,
        CONSTRAINT case_file_pkey PRIMARY KEY (id),
        CONSTRAINT case_file_code_key UNIQUE (code),
        CONSTRAINT case_file_code_format
          CHECK (code ~ '^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$'),
        CONSTRAINT case_file_status CHECK (status IN ('new', 'active', 'referred', 'closed')),
        CONSTRAINT case_file_priority CHECK (priority IN ('routine', 'urgent', 'critical')),
        CONSTRAINT case_file_assignee FOREIGN KEY (assignee_id) REFERENCES app_user (id),
        CONSTRAINT case_file_supervisor FOREIGN KEY (supervisor_id) REFERENCES app_user (id),
        CONSTRAINT case_file_key_version CHECK (key_version >= 1),
        CONSTRAINT case_file_version CHECK (version >= 1),
        CONSTRAINT case_file_profile_envelope CHECK (${record('profile_envelope')}),
        CONSTRAINT case_file_summary_envelope CHECK (${record('summary_envelope')}),
        CONSTRAINT case_file_closed_on CHECK ((status = 'closed') = (closed_on IS NOT NULL))
      )`);
    // Lists: newest change first, keyset-paginated on (updated_on, id), optionally filtered.
    await q.query(`CREATE INDEX case_file_updated ON case_file (updated_on DESC, id DESC)`);
    await q.query(
      `CREATE INDEX case_file_status_updated ON case_file (status, updated_on DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX case_file_assignee_updated ON case_file (assignee_id, updated_on DESC, id DESC)`,
    );
    await q.query(`CREATE INDEX case_file_supervisor ON case_file (supervisor_id)`);

    await q.query(`
      CREATE TABLE case_grant (
        case_id uuid NOT NULL,
        user_id uuid NOT NULL,
        key_version integer NOT NULL,
        envelope bytea NOT NULL,
        granted_by uuid NOT NULL,
        created_on date NOT NULL DEFAULT current_date,
        CONSTRAINT case_grant_pkey PRIMARY KEY (case_id, user_id),
        CONSTRAINT case_grant_case FOREIGN KEY (case_id) REFERENCES case_file (id) ON DELETE CASCADE,
        CONSTRAINT case_grant_user FOREIGN KEY (user_id) REFERENCES app_user (id),
        CONSTRAINT case_grant_granted_by FOREIGN KEY (granted_by) REFERENCES app_user (id),
        CONSTRAINT case_grant_key_version CHECK (key_version >= 1),
        CONSTRAINT case_grant_envelope CHECK (${grant('envelope')})
      )`);
    // "My cases" and "My follow-ups" start from the caller's grants.
    await q.query(`CREATE INDEX case_grant_user ON case_grant (user_id, case_id)`);

    await q.query(`
      CREATE TABLE case_entry (
        id uuid NOT NULL,
        case_id uuid NOT NULL,
        ordinal integer NOT NULL,
        kind text NOT NULL,
        envelope bytea NOT NULL,
        key_version integer NOT NULL,
        version integer NOT NULL DEFAULT 1,
        author_id uuid NOT NULL,
        follow_up_on date NULL,
        follow_up_user uuid NULL,
        created_on date NOT NULL DEFAULT current_date,
        updated_on date NOT NULL DEFAULT current_date,
        CONSTRAINT case_entry_pkey PRIMARY KEY (id),
        CONSTRAINT case_entry_case FOREIGN KEY (case_id) REFERENCES case_file (id) ON DELETE CASCADE,
        CONSTRAINT case_entry_ordinal UNIQUE (case_id, ordinal),
        CONSTRAINT case_entry_kind CHECK (kind IN ('contact', 'status_note', 'access_note')),
        CONSTRAINT case_entry_envelope CHECK (${record('envelope')}),
        CONSTRAINT case_entry_key_version CHECK (key_version >= 1),
        CONSTRAINT case_entry_version CHECK (version >= 1),
        CONSTRAINT case_entry_author FOREIGN KEY (author_id) REFERENCES app_user (id),
        CONSTRAINT case_entry_follow_up_user FOREIGN KEY (follow_up_user) REFERENCES app_user (id),
        CONSTRAINT case_entry_follow_up CHECK ((follow_up_on IS NULL) = (follow_up_user IS NULL))
      )`);
    await q.query(`
      CREATE INDEX case_entry_follow_up ON case_entry (follow_up_user, follow_up_on)
      WHERE follow_up_on IS NOT NULL`);

    await q.query(`
      CREATE TABLE case_blind_index (
        case_id uuid NOT NULL,
        kind text NOT NULL,
        digest bytea NOT NULL,
        CONSTRAINT case_blind_index_pkey PRIMARY KEY (case_id, kind, digest),
        CONSTRAINT case_blind_index_case FOREIGN KEY (case_id)
          REFERENCES case_file (id) ON DELETE CASCADE,
        CONSTRAINT case_blind_index_kind CHECK (kind IN ('phone', 'handle')),
        CONSTRAINT case_blind_index_digest CHECK (octet_length(digest) = 2)
      )`);
    await q.query(`CREATE INDEX case_blind_index_lookup ON case_blind_index (kind, digest)`);

    await q.query(`
      CREATE TABLE index_key_grant (
        user_id uuid NOT NULL,
        key_version integer NOT NULL,
        envelope bytea NOT NULL,
        granted_by uuid NOT NULL,
        created_on date NOT NULL DEFAULT current_date,
        CONSTRAINT index_key_grant_pkey PRIMARY KEY (user_id),
        CONSTRAINT index_key_grant_user FOREIGN KEY (user_id) REFERENCES app_user (id),
        CONSTRAINT index_key_grant_granted_by FOREIGN KEY (granted_by) REFERENCES app_user (id),
        CONSTRAINT index_key_grant_key_version CHECK (key_version >= 1),
        CONSTRAINT index_key_grant_envelope CHECK (${grant('envelope')})
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE index_key_grant`);
    await q.query(`DROP TABLE case_blind_index`);
    await q.query(`DROP TABLE case_entry`);
    await q.query(`DROP TABLE case_grant`);
    await q.query(`DROP TABLE case_file`);
  }
}
