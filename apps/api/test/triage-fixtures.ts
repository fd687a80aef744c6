/**
 * Triage tests need one organisation whose root certified the staff AND signed the intake key,
 * so the organisation row is written from `seedStaff`'s root into a scratch database. The
 * browser's side (opening submissions, sealing entries and replies) uses @haven/crypto exactly
 * as the dashboard's worker does.
 */
import { randomBytes } from 'node:crypto';
import { INTAKE_KEY_ID } from '@haven/contracts';
import {
  generateIntakeKeyPair,
  openGrant,
  openIntakeSubmission,
  sealGrant,
  signIntakeKey,
  toBase64,
  utf8Decode,
  type BoxKeyPair,
  type CaseKey,
} from '@haven/crypto';
import type pg from 'pg';
import { entryRef, seal, type Person, type TestStaff } from './cases-fixtures';
import type { TestIntakeOrg } from './intake-fixtures';

/** The organisation row for `staff`'s root, and the setup admin's wrapped copy of the key. */
export async function seedIntakeOrganisation(
  db: pg.Client,
  staff: TestStaff,
): Promise<TestIntakeOrg> {
  const intake: BoxKeyPair = generateIntakeKeyPair();
  const signature = signIntakeKey(intake.publicKey, staff.org.root);
  await db.query(
    `INSERT INTO organisation (root_sign_pk, intake_box_pk, intake_key_signature)
     VALUES ($1, $2, $3)`,
    [Buffer.from(staff.org.root.publicKey), Buffer.from(intake.publicKey), Buffer.from(signature)],
  );
  // What setup leaves: the intake secret wrapped under the admin's user key (opaque here).
  await db.query('UPDATE app_user SET wrapped_intake_key = $2 WHERE id = $1', [
    staff.admin.id,
    randomBytes(75),
  ]);
  return { root: staff.org.root, intake, signature };
}

export function intakeGrant(secret: Uint8Array, to: Person, by: Person, version = 1): string {
  return toBase64(
    sealGrant(
      { scope: 'intake', id: INTAKE_KEY_ID, version },
      secret,
      to.user.certified,
      by.user.keys,
    ),
  );
}

export function openIntakeGrant(envelope: Uint8Array, who: Person, by: Person, version = 1) {
  return openGrant(envelope, {
    subject: { scope: 'intake', id: INTAKE_KEY_ID, version },
    grantee: who.user.keys,
    granter: by.user.certified,
  });
}

/** Opens a queued envelope with the intake key: the JSON payload and the reply key inside. */
export function openQueued(envelope: Uint8Array, intake: BoxKeyPair) {
  const opened = openIntakeSubmission(envelope, intake);
  return {
    content: JSON.parse(utf8Decode(opened.payload)) as Record<string, unknown>,
    replyPublicKey: toBase64(opened.replyPublicKey),
  };
}

/** An intake contact entry (IntakeContactEntry) under the case key. */
export function intakeEntry(
  key: CaseKey,
  kind: 'submission' | 'follow_up' | 'reply',
  summary: string,
  replyPublicKey: string,
) {
  const id = crypto.randomUUID();
  return {
    id,
    envelope: seal(key, entryRef('contact', id), {
      date: new Date().toISOString().slice(0, 10),
      channel: 'intake',
      direction: kind === 'reply' ? 'outbound' : 'inbound',
      summary,
      nextStep: '',
      intake: { kind, replyPublicKey },
    }),
  };
}
