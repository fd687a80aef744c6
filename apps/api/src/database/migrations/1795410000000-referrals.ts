import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partners and referrals (docs/referrals.md).
 *
 * - `partner_org`: the partner directory. About organisations, never about a person: clear.
 * - `app_user.partner_org_id` / `invitation.partner_org_id`: a partner user belongs to exactly
 *   one organisation, and only partner users belong to one.
 * - `case_file.share_consent_on`: the day the person consented to sharing with partners.
 * - `referral`: metadata in clear (service, urgency, status, assignee, days, the NAMES of the
 *   fields shared); the reason is a record envelope under the case key.
 * - `referral_transition`: the history; notes are ciphertext under the case key or the packet
 *   key (`note_key`).
 * - `referral_packet`: one row per assignment (key_version 1, 2, …): the packet under its own
 *   key, that key wrapped under the case key, the consent basis and expiry. Purged after expiry.
 * - `referral_packet_grant`: the packet key sealed to each assignee (grant scope `packet`).
 *   Deleting the rows is the revocation.
 *
 * Everything that references a case cascades from `case_file`, so a case purge removes it all.
 */
export class Referrals1795410000000 implements MigrationInterface {
  name = 'Referrals1795410000000';

  async up(q: QueryRunner): Promise<void> {
    const record = (column: string) =>
      `get_byte(${column}, 0) = 1 AND get_byte(${column}, 1) = 1
       AND octet_length(${column}) BETWEEN 46 AND 262190`;
    // A packet envelope: header 01 08, padded plaintext of at least 1 KiB, at most 256 KiB.
    const packet = (column: string) =>
      `get_byte(${column}, 0) = 1 AND get_byte(${column}, 1) = 8
       AND octet_length(${column}) BETWEEN 46 AND 262190`;
    const grant = (column: string) =>
      `get_byte(${column}, 0) = 1 AND get_byte(${column}, 1) = 3
       AND octet_length(${column}) BETWEEN 100 AND 1024`;
    const serviceList = `'evacuation', 'shelter', 'legal', 'medical', 'psychological', 'financial',
      'documents'`;
    const services = `(${serviceList})`;
    const statuses = `('proposed', 'assigned', 'accepted', 'declined', 'in_progress', 'completed',
      'failed', 'rejected', 'cancelled', 'revoked')`;

    await q.query(`
      CREATE TABLE partner_org (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL,
        services text[] NOT NULL,
        regions text[] NOT NULL DEFAULT '{}',
        languages text[] NOT NULL DEFAULT '{}',
        capacity text NOT NULL,
        contact_instructions text NOT NULL DEFAULT '',
        active boolean NOT NULL DEFAULT true,
        created_on date NOT NULL DEFAULT current_date,
        CONSTRAINT partner_org_pkey PRIMARY KEY (id),
        CONSTRAINT partner_org_name CHECK (char_length(name) BETWEEN 1 AND 120),
        CONSTRAINT partner_org_name_key UNIQUE (name),
        CONSTRAINT partner_org_services CHECK (
          cardinality(services) >= 1 AND services <@ ARRAY[${serviceList}]::text[]),
        CONSTRAINT partner_org_capacity CHECK (capacity IN ('available', 'limited', 'full')),
        CONSTRAINT partner_org_contact CHECK (char_length(contact_instructions) <= 4000)
      )`);

    await q.query(`ALTER TABLE app_user ADD COLUMN partner_org_id uuid NULL
      CONSTRAINT app_user_partner_org REFERENCES partner_org (id)`);
    await q.query(`ALTER TABLE app_user ADD CONSTRAINT app_user_partner_membership
      CHECK ((role = 'partner') = (partner_org_id IS NOT NULL))`);
    await q.query(`CREATE INDEX app_user_partner_org ON app_user (partner_org_id)
      WHERE partner_org_id IS NOT NULL`);
    await q.query(`ALTER TABLE invitation ADD COLUMN partner_org_id uuid NULL
      CONSTRAINT invitation_partner_org REFERENCES partner_org (id) ON DELETE CASCADE`);
    await q.query(`ALTER TABLE invitation ADD CONSTRAINT invitation_partner_membership
      CHECK ((role = 'partner') = (partner_org_id IS NOT NULL))`);

    await q.query(`ALTER TABLE case_file ADD COLUMN share_consent_on date NULL`);

    await q.query(`
      CREATE TABLE referral (
        id uuid NOT NULL,
        case_id uuid NOT NULL,
        service text NOT NULL,
        urgency text NOT NULL,
        status text NOT NULL DEFAULT 'proposed',
        partner_org_id uuid NULL,
        assignee_user_id uuid NULL,
        proposed_by uuid NOT NULL,
        decided_by uuid NULL,
        due_on date NULL,
        created_on date NOT NULL DEFAULT current_date,
        updated_on date NOT NULL DEFAULT current_date,
        version integer NOT NULL DEFAULT 1,
        fields text[] NOT NULL,
        reason_envelope bytea NOT NULL,
        reason_key_version integer NOT NULL,
        CONSTRAINT referral_pkey PRIMARY KEY (id),
        CONSTRAINT referral_case FOREIGN KEY (case_id) REFERENCES case_file (id) ON DELETE CASCADE,
        CONSTRAINT referral_service CHECK (service IN ${services}),
        CONSTRAINT referral_urgency CHECK (urgency IN ('routine', 'urgent', 'critical')),
        CONSTRAINT referral_status CHECK (status IN ${statuses}),
        CONSTRAINT referral_partner_org FOREIGN KEY (partner_org_id) REFERENCES partner_org (id),
        CONSTRAINT referral_assignee_user FOREIGN KEY (assignee_user_id) REFERENCES app_user (id),
        CONSTRAINT referral_one_assignee
          CHECK (partner_org_id IS NULL OR assignee_user_id IS NULL),
        CONSTRAINT referral_proposed_by FOREIGN KEY (proposed_by) REFERENCES app_user (id),
        CONSTRAINT referral_decided_by FOREIGN KEY (decided_by) REFERENCES app_user (id),
        CONSTRAINT referral_version CHECK (version >= 1),
        CONSTRAINT referral_fields CHECK (
          cardinality(fields) >= 1
          AND fields <@ ARRAY['contact', 'location', 'needs', 'situation', 'language', 'notes']::text[]),
        CONSTRAINT referral_reason CHECK (${record('reason_envelope')})
      )`);
    await q.query(`CREATE INDEX referral_case ON referral (case_id, created_on)`);
    await q.query(`CREATE INDEX referral_status ON referral (status, due_on)`);
    await q.query(`CREATE INDEX referral_partner ON referral (partner_org_id)
      WHERE partner_org_id IS NOT NULL`);
    await q.query(`CREATE INDEX referral_assignee_user ON referral (assignee_user_id)
      WHERE assignee_user_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE referral_transition (
        id uuid NOT NULL,
        referral_id uuid NOT NULL,
        seq integer NOT NULL,
        from_status text NULL,
        to_status text NOT NULL,
        actor_id uuid NOT NULL,
        day date NOT NULL DEFAULT current_date,
        note_envelope bytea NULL,
        note_key text NULL,
        note_key_version integer NULL,
        CONSTRAINT referral_transition_pkey PRIMARY KEY (id),
        CONSTRAINT referral_transition_referral FOREIGN KEY (referral_id)
          REFERENCES referral (id) ON DELETE CASCADE,
        CONSTRAINT referral_transition_seq UNIQUE (referral_id, seq),
        CONSTRAINT referral_transition_from CHECK (from_status IS NULL OR from_status IN ${statuses}),
        CONSTRAINT referral_transition_to CHECK (to_status IN ${statuses}),
        CONSTRAINT referral_transition_actor FOREIGN KEY (actor_id) REFERENCES app_user (id),
        CONSTRAINT referral_transition_note_key CHECK (
          (note_envelope IS NULL AND note_key IS NULL AND note_key_version IS NULL)
          OR (note_key = 'case' AND note_key_version >= 1 AND ${record('note_envelope')})
          OR (note_key = 'packet' AND note_key_version >= 1 AND ${packet('note_envelope')}))
      )`);

    await q.query(`
      CREATE TABLE referral_packet (
        referral_id uuid NOT NULL,
        key_version integer NOT NULL,
        envelope bytea NULL,
        case_key_wrap bytea NULL,
        consent_basis text NOT NULL,
        override_reason bytea NULL,
        expires_on date NOT NULL,
        created_on date NOT NULL DEFAULT current_date,
        created_by uuid NOT NULL,
        CONSTRAINT referral_packet_pkey PRIMARY KEY (referral_id, key_version),
        CONSTRAINT referral_packet_referral FOREIGN KEY (referral_id)
          REFERENCES referral (id) ON DELETE CASCADE,
        CONSTRAINT referral_packet_key_version CHECK (key_version >= 1),
        CONSTRAINT referral_packet_envelope CHECK (envelope IS NULL OR ${packet('envelope')}),
        CONSTRAINT referral_packet_wrap CHECK (case_key_wrap IS NULL OR ${record('case_key_wrap')}),
        CONSTRAINT referral_packet_purged CHECK ((envelope IS NULL) = (case_key_wrap IS NULL)),
        CONSTRAINT referral_packet_basis CHECK (
          (consent_basis = 'consent' AND override_reason IS NULL)
          OR (consent_basis = 'override' AND (override_reason IS NULL OR ${record('override_reason')}))),
        CONSTRAINT referral_packet_created_by FOREIGN KEY (created_by) REFERENCES app_user (id)
      )`);
    await q.query(`CREATE INDEX referral_packet_expiry ON referral_packet (expires_on)`);

    await q.query(`
      CREATE TABLE referral_packet_grant (
        referral_id uuid NOT NULL,
        key_version integer NOT NULL,
        user_id uuid NOT NULL,
        envelope bytea NOT NULL,
        granted_by uuid NOT NULL,
        created_on date NOT NULL DEFAULT current_date,
        CONSTRAINT referral_packet_grant_pkey PRIMARY KEY (referral_id, user_id),
        CONSTRAINT referral_packet_grant_packet FOREIGN KEY (referral_id, key_version)
          REFERENCES referral_packet (referral_id, key_version) ON DELETE CASCADE,
        CONSTRAINT referral_packet_grant_user FOREIGN KEY (user_id) REFERENCES app_user (id),
        CONSTRAINT referral_packet_grant_granted_by FOREIGN KEY (granted_by)
          REFERENCES app_user (id),
        CONSTRAINT referral_packet_grant_envelope CHECK (${grant('envelope')})
      )`);
    await q.query(`CREATE INDEX referral_packet_grant_user ON referral_packet_grant (user_id)`);

    // Default privileges (app-role migration) already cover new tables; stated here anyway so
    // that the rights this feature needs are visible where its tables are made.
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON partner_org, referral,
      referral_transition, referral_packet, referral_packet_grant TO haven_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE referral_packet_grant`);
    await q.query(`DROP TABLE referral_packet`);
    await q.query(`DROP TABLE referral_transition`);
    await q.query(`DROP TABLE referral`);
    await q.query(`ALTER TABLE case_file DROP COLUMN share_consent_on`);
    await q.query(`ALTER TABLE invitation DROP COLUMN partner_org_id`);
    await q.query(`ALTER TABLE app_user DROP COLUMN partner_org_id`);
    await q.query(`DROP TABLE partner_org`);
  }
}
