import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The organisation's public keys, written once by first-run setup (all generated in the
 * browser): the root signing key that every certificate chains to, and the intake box key that
 * the public intake page seals submissions to, with the root's signature over it. One row.
 * Private halves never come here in clear: they are wrapped or sealed to their holders
 * (see the accounts migration).
 */
export class Organisation1795310000000 implements MigrationInterface {
  name = 'Organisation1795310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organisation (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        root_sign_pk bytea NOT NULL CHECK (octet_length(root_sign_pk) = 32),
        intake_box_pk bytea NOT NULL CHECK (octet_length(intake_box_pk) = 32),
        intake_key_signature bytea NOT NULL CHECK (octet_length(intake_key_signature) = 64),
        created_on date NOT NULL DEFAULT current_date
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE organisation`);
  }
}
