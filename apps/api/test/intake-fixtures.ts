/**
 * Real intake crypto for the intake integration tests: an organisation (root signing key and
 * an intake key signed by it) written straight into a scratch database, and submissions
 * sealed exactly as the intake page seals them.
 */
import {
  type BoxKeyPair,
  deriveReceiptKeys,
  generateIntakeKeyPair,
  generateReceiptCode,
  generateSignKeyPair,
  type ReceiptKeys,
  sealIntakeSubmission,
  signIntakeKey,
  type SignKeyPair,
  toBase64,
  utf8Encode,
} from '@haven/crypto';
import type { IntakeUrgency, SubmitIntakeBody } from '@haven/contracts';
import { withClient } from './support/test-app';

export interface TestIntakeOrg {
  root: SignKeyPair;
  intake: BoxKeyPair;
  signature: Uint8Array;
  /** The intake key version (`organisation.intake_key_version`); 1 until a rotation. */
  version?: number;
}

/** What first-run setup stores: the root public key, the intake public key, the signature. */
export async function seedOrganisation(databaseUrl: string): Promise<TestIntakeOrg> {
  const root = generateSignKeyPair();
  const intake = generateIntakeKeyPair();
  const signature = signIntakeKey(intake.publicKey, root);
  await withClient(databaseUrl, (c) =>
    c.query(
      `INSERT INTO organisation (root_sign_pk, intake_box_pk, intake_key_signature)
       VALUES ($1, $2, $3)`,
      [Buffer.from(root.publicKey), Buffer.from(intake.publicKey), Buffer.from(signature)],
    ),
  );
  return { root, intake, signature };
}

export interface SealedSubmission {
  code: string;
  keys: ReceiptKeys;
  body: SubmitIntakeBody;
}

/** A form sealed to the organisation's intake key, under a fresh receipt code. */
export function sealForm(
  org: TestIntakeOrg,
  form: Record<string, unknown>,
  urgency: IntakeUrgency = 'urgent',
  code: string = generateReceiptCode(),
): SealedSubmission {
  const keys = deriveReceiptKeys(code);
  const envelope = sealIntakeSubmission(
    { payload: utf8Encode(JSON.stringify(form)), replyPublicKey: keys.reply.publicKey },
    org.intake.publicKey,
  );
  return {
    code,
    keys,
    body: {
      envelope: toBase64(envelope),
      lookupId: keys.lookupId,
      replyPublicKey: toBase64(keys.reply.publicKey),
      urgency,
      keyVersion: org.version ?? 1,
    },
  };
}

let counter = 0;

/** A distinct, valid Idempotency-Key per call. */
export function newIdempotencyKey(): string {
  counter += 1;
  return `test-key-${Date.now().toString(36)}-${counter.toString().padStart(6, '0')}`;
}

/** Every row of every table in the public schema, as text (a poor man's `pg_dump`). */
export async function dumpDatabase(databaseUrl: string): Promise<string> {
  return withClient(databaseUrl, async (c) => {
    const tables = await c.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
       WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const parts: string[] = [];
    for (const { table_name: table } of tables.rows) {
      const rows = await c.query<{ row: string }>(
        `SELECT row_to_json(t)::text AS row FROM "${table}" t`,
      );
      parts.push(`-- ${table}`, ...rows.rows.map((r) => r.row));
    }
    return parts.join('\n');
  });
}
