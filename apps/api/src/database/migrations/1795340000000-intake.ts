import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The anonymous intake (docs/intake.md). Nothing here names or locates the sender:
 *
 * - `intake_thread`: one per receipt code, keyed by the lookup id derived from it; the reply
 *   public key staff seal answers to; `case_id` is set when triage turns it into a case.
 * - `intake_submission`: a sealed, padded form waiting for triage, with the urgency the person
 *   chose (the only plaintext) and the day it arrived. Deleted once triaged.
 * - `intake_message`: follow-ups from the person (sealed to the intake key) and staff replies
 *   (sealed to the reply key), ordered by their position within the thread only, so that
 *   nothing orders messages across threads.
 * - `intake_idempotency`: SHA-256 of each idempotency key with a hash of the request it
 *   answered, so a retried POST stores nothing twice. Purged after a day.
 *
 * Days only, no times: the exact moment a person wrote is not needed and could be matched
 * against network observations. The checks repeat the envelope structure the API validates
 * (version 0x01, kind, padded length), so no other writer can store anything else.
 */
export class Intake1795340000000 implements MigrationInterface {
  name = 'Intake1795340000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE intake_thread (
        lookup_id bytea NOT NULL,
        reply_public_key bytea NOT NULL,
        created_on date NOT NULL,
        case_id uuid NULL,
        CONSTRAINT intake_thread_pkey PRIMARY KEY (lookup_id),
        CONSTRAINT intake_thread_lookup_id_bytes CHECK (octet_length(lookup_id) = 16),
        CONSTRAINT intake_thread_reply_key_bytes CHECK (octet_length(reply_public_key) = 32)
      )`);
    await q.query(`
      CREATE TABLE intake_submission (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        lookup_id bytea NOT NULL,
        envelope bytea NOT NULL,
        urgency text NOT NULL,
        received_on date NOT NULL,
        CONSTRAINT intake_submission_pkey PRIMARY KEY (id),
        CONSTRAINT intake_submission_thread FOREIGN KEY (lookup_id)
          REFERENCES intake_thread (lookup_id) ON DELETE CASCADE,
        CONSTRAINT intake_submission_urgency CHECK (urgency IN ('routine', 'urgent', 'critical')),
        CONSTRAINT intake_submission_envelope CHECK (
          get_byte(envelope, 0) = 1 AND get_byte(envelope, 1) = 4
          AND octet_length(envelope) - 84 IN (1024, 4096, 16384, 65536, 262144)
        )
      )`);
    await q.query(`CREATE INDEX intake_submission_lookup_id ON intake_submission (lookup_id)`);
    await q.query(`
      CREATE TABLE intake_message (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        lookup_id bytea NOT NULL,
        position integer NOT NULL,
        direction text NOT NULL,
        envelope bytea NOT NULL,
        created_on date NOT NULL,
        CONSTRAINT intake_message_pkey PRIMARY KEY (id),
        CONSTRAINT intake_message_thread FOREIGN KEY (lookup_id)
          REFERENCES intake_thread (lookup_id) ON DELETE CASCADE,
        CONSTRAINT intake_message_position UNIQUE (lookup_id, position),
        CONSTRAINT intake_message_position_positive CHECK (position >= 1),
        CONSTRAINT intake_message_direction CHECK (direction IN ('from_person', 'from_staff')),
        CONSTRAINT intake_message_envelope CHECK (
          get_byte(envelope, 0) = 1 AND (
            (direction = 'from_person' AND get_byte(envelope, 1) = 4
              AND octet_length(envelope) - 84 IN (1024, 4096, 16384, 65536, 262144))
            OR (direction = 'from_staff' AND get_byte(envelope, 1) = 6
              AND octet_length(envelope) - 52 IN (1024, 4096, 16384, 65536, 262144))
          )
        )
      )`);
    await q.query(`
      CREATE TABLE intake_idempotency (
        key_hash bytea NOT NULL,
        request_hash bytea NOT NULL,
        created_on date NOT NULL,
        CONSTRAINT intake_idempotency_pkey PRIMARY KEY (key_hash),
        CONSTRAINT intake_idempotency_key_bytes CHECK (octet_length(key_hash) = 32),
        CONSTRAINT intake_idempotency_request_bytes CHECK (octet_length(request_hash) = 32)
      )`);
    await q.query(`CREATE INDEX intake_idempotency_created_on ON intake_idempotency (created_on)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE intake_idempotency`);
    await q.query(`DROP TABLE intake_message`);
    await q.query(`DROP TABLE intake_submission`);
    await q.query(`DROP TABLE intake_thread`);
  }
}
