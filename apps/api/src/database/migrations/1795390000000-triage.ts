import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Triage of anonymous intake (docs/intake.md, "Triage").
 *
 * - `intake_key_grant`: the organisation's intake private key sealed to each coordinator who
 *   holds it (an `intake` grant, signed by the granter: the setup admin at handover, or a
 *   coordinator who holds it). One per coordinator, at the key version of `organisation`.
 * - `organisation.intake_key_version`: which intake key the grants and the pinned public key
 *   are at; a rotation raises it.
 * - `organisation.intake_rotation_due`: set when a coordinator who held the intake key is
 *   disabled or leaves the coordinator role. A trigger on `app_user` deletes their grant at
 *   once (revocation does not wait for the rotation, docs/intake.md) and raises the flag.
 * - `intake_thread.case_id` now references the case. ON DELETE CASCADE: when a closed case is
 *   crypto-shredded, its anonymous thread (replies sealed to the person, their follow-ups) goes
 *   with it, and the receipt code then answers like an unknown one.
 */
export class Triage1795390000000 implements MigrationInterface {
  name = 'Triage1795390000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE organisation
        ADD COLUMN intake_key_version integer NOT NULL DEFAULT 1
          CONSTRAINT organisation_intake_key_version CHECK (intake_key_version >= 1)`);
    await q.query(
      `ALTER TABLE organisation ADD COLUMN intake_rotation_due boolean NOT NULL DEFAULT false`,
    );
    await q.query(`
      CREATE TABLE intake_key_grant (
        user_id uuid NOT NULL,
        key_version integer NOT NULL,
        envelope bytea NOT NULL,
        granted_by uuid NOT NULL,
        created_on date NOT NULL,
        CONSTRAINT intake_key_grant_pkey PRIMARY KEY (user_id),
        CONSTRAINT intake_key_grant_user FOREIGN KEY (user_id) REFERENCES app_user (id),
        CONSTRAINT intake_key_grant_granted_by FOREIGN KEY (granted_by) REFERENCES app_user (id),
        CONSTRAINT intake_key_grant_key_version CHECK (key_version >= 1),
        CONSTRAINT intake_key_grant_envelope CHECK (
          get_byte(envelope, 0) = 1 AND get_byte(envelope, 1) = 3
          AND octet_length(envelope) BETWEEN 100 AND 1024)
      )`);
    await q.query(`
      CREATE FUNCTION intake_key_holder_left() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status <> 'active' OR NEW.role <> 'coordinator' THEN
          WITH gone AS (DELETE FROM intake_key_grant WHERE user_id = NEW.id RETURNING 1)
          UPDATE organisation SET intake_rotation_due = true WHERE EXISTS (SELECT 1 FROM gone);
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER app_user_intake_key_holder
        AFTER UPDATE OF status, role ON app_user
        FOR EACH ROW EXECUTE FUNCTION intake_key_holder_left()`);
    // Threads that point at no case (or at a case since deleted) cannot be linked: clean first.
    await q.query(`
      UPDATE intake_thread t SET case_id = NULL
       WHERE case_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM case_file c WHERE c.id = t.case_id)`);
    await q.query(`
      ALTER TABLE intake_thread
        ADD CONSTRAINT intake_thread_case FOREIGN KEY (case_id)
          REFERENCES case_file (id) ON DELETE CASCADE`);
    await q.query(`CREATE INDEX intake_thread_case_id ON intake_thread (case_id)`);
    await q.query(
      `CREATE INDEX intake_submission_queue ON intake_submission (urgency, received_on)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX intake_submission_queue`);
    await q.query(`DROP INDEX intake_thread_case_id`);
    await q.query(`ALTER TABLE intake_thread DROP CONSTRAINT intake_thread_case`);
    await q.query(`DROP TRIGGER app_user_intake_key_holder ON app_user`);
    await q.query(`DROP FUNCTION intake_key_holder_left()`);
    await q.query(`DROP TABLE intake_key_grant`);
    await q.query(`ALTER TABLE organisation DROP COLUMN intake_rotation_due`);
    await q.query(`ALTER TABLE organisation DROP COLUMN intake_key_version`);
  }
}
