import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rotation of the intake key (docs/intake.md, "Rotation of the intake key").
 *
 * - `intake_submission.key_version`, `intake_message.key_version`: which intake key a pending
 *   envelope is sealed to (the person's follow-ups only; staff replies are sealed to the reply
 *   key and have none). The intake API refuses an envelope sealed to an older version (409), so
 *   after a rotation nothing new arrives for the old key.
 * - `intake_key_rotation`: at most one proposal waiting for the root's signature: the new public
 *   key, and in its two child tables every pending row re-sealed to it and the new private key
 *   sealed to each coordinator (grants at version + 1); a row re-sealed with a NULL envelope is
 *   one that opens with no key (junk of the right shape), which the commit deletes. Nothing in clear: the rows are sealed
 *   boxes, the grants signed and sealed envelopes. The approval commits it in one transaction
 *   and deletes it.
 */
export class IntakeRotation1795400000000 implements MigrationInterface {
  name = 'IntakeRotation1795400000000';

  async up(q: QueryRunner): Promise<void> {
    // Everything stored so far is sealed to the key at the organisation's current version.
    await q.query(`ALTER TABLE intake_submission ADD COLUMN key_version integer`);
    await q.query(`
      UPDATE intake_submission
         SET key_version = COALESCE((SELECT intake_key_version FROM organisation), 1)`);
    await q.query(`
      ALTER TABLE intake_submission
        ALTER COLUMN key_version SET NOT NULL,
        ADD CONSTRAINT intake_submission_key_version CHECK (key_version >= 1)`);
    await q.query(`ALTER TABLE intake_message ADD COLUMN key_version integer`);
    await q.query(`
      UPDATE intake_message
         SET key_version = COALESCE((SELECT intake_key_version FROM organisation), 1)
       WHERE direction = 'from_person'`);
    await q.query(`
      ALTER TABLE intake_message
        ADD CONSTRAINT intake_message_key_version CHECK (
          (direction = 'from_person' AND key_version >= 1)
          OR (direction = 'from_staff' AND key_version IS NULL))`);

    await q.query(`
      CREATE TABLE intake_key_rotation (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        from_version integer NOT NULL,
        intake_box_pk bytea NOT NULL,
        proposed_by uuid NOT NULL,
        created_on date NOT NULL,
        CONSTRAINT intake_key_rotation_pkey PRIMARY KEY (id),
        CONSTRAINT intake_key_rotation_proposed_by FOREIGN KEY (proposed_by)
          REFERENCES app_user (id),
        CONSTRAINT intake_key_rotation_from_version CHECK (from_version >= 1),
        CONSTRAINT intake_key_rotation_pk_bytes CHECK (octet_length(intake_box_pk) = 32)
      )`);
    // One proposal at a time: a new one replaces the old.
    await q.query(`CREATE UNIQUE INDEX intake_key_rotation_one ON intake_key_rotation ((true))`);
    await q.query(`
      CREATE TABLE intake_key_rotation_row (
        rotation_id uuid NOT NULL,
        kind text NOT NULL,
        row_id uuid NOT NULL,
        envelope bytea NULL,
        CONSTRAINT intake_key_rotation_row_pkey PRIMARY KEY (rotation_id, kind, row_id),
        CONSTRAINT intake_key_rotation_row_rotation FOREIGN KEY (rotation_id)
          REFERENCES intake_key_rotation (id) ON DELETE CASCADE,
        CONSTRAINT intake_key_rotation_row_kind CHECK (kind IN ('submission', 'follow_up')),
        CONSTRAINT intake_key_rotation_row_envelope CHECK (envelope IS NULL OR (
          get_byte(envelope, 0) = 1 AND get_byte(envelope, 1) = 4
          AND octet_length(envelope) - 84 IN (1024, 4096, 16384, 65536, 262144)))
      )`);
    await q.query(`
      CREATE TABLE intake_key_rotation_grant (
        rotation_id uuid NOT NULL,
        user_id uuid NOT NULL,
        envelope bytea NOT NULL,
        CONSTRAINT intake_key_rotation_grant_pkey PRIMARY KEY (rotation_id, user_id),
        CONSTRAINT intake_key_rotation_grant_rotation FOREIGN KEY (rotation_id)
          REFERENCES intake_key_rotation (id) ON DELETE CASCADE,
        CONSTRAINT intake_key_rotation_grant_user FOREIGN KEY (user_id) REFERENCES app_user (id),
        CONSTRAINT intake_key_rotation_grant_envelope CHECK (
          get_byte(envelope, 0) = 1 AND get_byte(envelope, 1) = 3
          AND octet_length(envelope) BETWEEN 100 AND 1024)
      )`);
    await q.query(`
      GRANT SELECT, INSERT, UPDATE, DELETE
         ON intake_key_rotation, intake_key_rotation_row, intake_key_rotation_grant TO haven_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE intake_key_rotation_grant`);
    await q.query(`DROP TABLE intake_key_rotation_row`);
    await q.query(`DROP TABLE intake_key_rotation`);
    await q.query(`ALTER TABLE intake_message DROP CONSTRAINT intake_message_key_version`);
    await q.query(`ALTER TABLE intake_message DROP COLUMN key_version`);
    await q.query(`ALTER TABLE intake_submission DROP COLUMN key_version`);
  }
}
