/**
 * Intake submissions (issue 6): POST /api/intake/submissions with a sealed, padded envelope
 * (1 KiB bucket, as a short form makes), each request with its own Idempotency-Key and lookup
 * id, from one address (so the throttle is raised for the run with INTAKE_RATE_LIMIT). The API
 * validates the body and the envelope's structure, then writes the idempotency key, the thread,
 * the submission and the audit event in one transaction. The baseline inserts the same three
 * intake rows in one statement on a bare Fastify + pg handler (no audit event, no validation).
 * Budget (issue 6): ≥ 500 req/s with p95 ≤ 50 ms.
 */
import { randomBytes } from 'node:crypto';
import type autocannon from 'autocannon';
import type pg from 'pg';
/* eslint-disable @nx/enforce-module-boundaries -- tsx runs bench files without the workspace's path
   mapping, so the library is imported by its relative path (as crypto-node.ts does). */
import {
  deriveReceiptKeys,
  generateIntakeKeyPair,
  generateReceiptCode,
  generateSignKeyPair,
  initCrypto,
  sealIntakeSubmission,
  signIntakeKey,
  toBase64,
  utf8Encode,
} from '../../../libs/crypto/src/index';
/* eslint-enable @nx/enforce-module-boundaries */
import type { HttpScenario } from './scenario';

/** The form as the page seals it, with every field filled in briefly. */
const FORM = {
  v: 1,
  kind: 'submission',
  language: 'ru',
  contact: { channels: ['signal'], details: '@bench', safeTimes: 'вечером' },
  location: { area: 'in_chechnya', region: 'Грозный' },
  happened: 'Benchmark submission. '.repeat(20),
  needs: ['evacuation', 'legal'],
  needsOther: '',
  urgency: 'urgent',
  consent: true,
};

let envelope = '';
let replyPublicKey = '';
let envelopeHex = '';
let replyKeyHex = '';

async function seed(db: pg.Client): Promise<void> {
  await initCrypto();
  const root = generateSignKeyPair();
  const intake = generateIntakeKeyPair();
  await db.query(
    `INSERT INTO organisation (root_sign_pk, intake_box_pk, intake_key_signature)
     VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING`,
    [
      Buffer.from(root.publicKey),
      Buffer.from(intake.publicKey),
      Buffer.from(signIntakeKey(intake.publicKey, root)),
    ],
  );
  const keys = deriveReceiptKeys(generateReceiptCode());
  const sealed = sealIntakeSubmission(
    { payload: utf8Encode(JSON.stringify(FORM)), replyPublicKey: keys.reply.publicKey },
    intake.publicKey,
  );
  envelope = toBase64(sealed);
  replyPublicKey = toBase64(keys.reply.publicKey);
  envelopeHex = `\\x${Buffer.from(sealed).toString('hex')}`;
  replyKeyHex = `\\x${Buffer.from(keys.reply.publicKey).toString('hex')}`;
}

/** A fresh lookup id and idempotency key for every request, as separate people would send. */
function nextRequest(request: autocannon.Request): autocannon.Request {
  return {
    ...request,
    headers: {
      ...request.headers,
      'content-type': 'application/json',
      'idempotency-key': randomBytes(16).toString('base64url'),
    },
    body: JSON.stringify({
      envelope,
      lookupId: randomBytes(16).toString('hex'),
      replyPublicKey,
      urgency: 'urgent',
      keyVersion: 1,
    }),
  };
}

export const intakeSubmissionScenario: HttpScenario = {
  name: 'POST /api/intake/submissions (sealed 1 KiB form)',
  method: 'POST',
  path: '/api/intake/submissions',
  connections: 20,
  seed,
  setupRequest: nextRequest,
  // All load comes from 127.0.0.1; the per-address flood guard is not what is measured.
  apiEnv: { INTAKE_RATE_LIMIT: '1000000000' },
  get baseline() {
    return {
      sql: `WITH idem AS (
              INSERT INTO intake_idempotency (key_hash, request_hash, created_on)
              VALUES (sha256(gen_random_uuid()::text::bytea), sha256('bench'), current_date)
              RETURNING 1
            ), thread AS (
              INSERT INTO intake_thread (lookup_id, reply_public_key, created_on)
              SELECT substring(sha256(gen_random_uuid()::text::bytea) FROM 1 FOR 16), $2::bytea,
                     current_date
              FROM idem RETURNING lookup_id
            ), submission AS (
              INSERT INTO intake_submission (lookup_id, envelope, urgency, received_on, key_version)
              SELECT lookup_id, $1::bytea, 'urgent', current_date, 1 FROM thread RETURNING 1
            )
            SELECT count(*)::int AS stored FROM submission`,
      params: [envelopeHex, replyKeyHex],
    };
  },
  budget: { minRps: 500, p95Ms: 50 },
};
