/**
 * Case list at scale (issue 5): `scale` cases seeded in bulk, one caseworker holding grants on
 * half of them (and a coordinator on all), signed in through a seeded session. The API serves
 * GET /api/cases?scope=mine&limit=50 (session lookup, role check, the list query, response
 * validation); the baseline runs exactly the same SQL on a bare Fastify + pg handler.
 * Budget (DESIGN.md): p95 ≤ 25 ms at 50 connections and ≥ 50% of the baseline's throughput.
 */
import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { caseListSql } from '../../api-bridge';
import type { HttpScenario } from './scenario';

const CASEWORKER = '0b3e7c1a-5d2f-4e8a-9c61-7f00000000c1';
const COORDINATOR = '0b3e7c1a-5d2f-4e8a-9c61-7f00000000c2';
/** The seeded session's token (random per run); only its SHA-256 goes into the database. */
const TOKEN = randomBytes(32).toString('base64url');
const PAGE = 50;

/** A record envelope's header at key version 1, then `length` random bytes. */
function record(length: number): Buffer {
  return Buffer.concat([Buffer.from([1, 1, 0, 0, 0, 1]), randomBytes(length)]);
}

async function seed(db: pg.Client, scale: number): Promise<void> {
  const fake = (n: number) => Buffer.alloc(n, 1);
  for (const [id, role] of [
    [COORDINATOR, 'coordinator'],
    [CASEWORKER, 'caseworker'],
  ]) {
    await db.query(
      `INSERT INTO app_user (id, username, role, auth_hash, kdf_ops_limit, kdf_mem_limit_bytes,
          wrapped_user_key, box_public_key, sign_public_key, wrapped_box_secret,
          wrapped_sign_seed, org_root_pin, totp_secret)
       VALUES ($1, $2, $3, '$argon2id$bench', 3, 134217728, $4, $5, $5, $4, $4, $5, $6)`,
      [id, `bench-${role}`, role, fake(75), fake(32), fake(48)],
    );
  }
  await db.query(
    `INSERT INTO session (token_hash, user_id, expires_at)
     VALUES ($1, $2, now() + interval '12 hours')`,
    [createHash('sha256').update(TOKEN, 'utf8').digest(), CASEWORKER],
  );
  // Sizes as the dashboard makes them: a summary padded to 256 bytes, a profile to 4 KiB, a
  // grant of about 270 bytes. The same random bytes in every row: nothing here reads them.
  const summary = record(24 + 256 + 16);
  const profile = record(24 + 4096 + 16);
  const grant = Buffer.concat([Buffer.from([1, 3]), randomBytes(269)]);
  // Distinct codes without a lookup: i × an odd number coprime to 30 is a bijection mod 30^8.
  const alphabet = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
  const digit = (k: number) => `substr('${alphabet}', 1 + ((n / ${30 ** k}) % 30)::int, 1)`;
  const code =
    [0, 1, 2, 3].map(digit).join(' || ') + " || '-' || " + [4, 5, 6, 7].map(digit).join(' || ');
  await db.query(
    `INSERT INTO case_file (id, code, status, priority, assignee_id, supervisor_id, key_version,
                            profile_envelope, summary_envelope, version, created_on, updated_on,
                            closed_on)
     SELECT gen_random_uuid(), ${code},
            (ARRAY['new', 'active', 'referred', 'closed'])[1 + i % 4],
            (ARRAY['routine', 'urgent', 'critical'])[1 + i % 3],
            CASE WHEN i % 2 = 0 THEN $1::uuid ELSE NULL END, $2::uuid, 1, $3, $4, 1,
            current_date - 400, current_date - (i % 365),
            CASE WHEN i % 4 = 3 THEN current_date - (i % 365) ELSE NULL END
       FROM (SELECT i, (i::bigint * 2654435761) % ${30 ** 8} AS n
               FROM generate_series(1, $5::int) AS i) s`,
    [CASEWORKER, COORDINATOR, profile, summary, scale],
  );
  await db.query(
    `INSERT INTO case_grant (case_id, user_id, key_version, envelope, granted_by)
     SELECT id, $1::uuid, 1, $3::bytea, $2::uuid FROM case_file
     UNION ALL
     SELECT id, $2::uuid, 1, $3::bytea, $2::uuid FROM case_file WHERE assignee_id = $2::uuid`,
    [COORDINATOR, CASEWORKER, grant],
  );
}

export const caseListScenario: HttpScenario = {
  name: `GET /api/cases?scope=mine&limit=${PAGE} (case list)`,
  method: 'GET',
  path: `/api/cases?scope=mine&limit=${PAGE}`,
  headers: { cookie: `__Host-haven_session=${TOKEN}` },
  connections: 50,
  baseline: {
    sql: caseListSql('mine'),
    params: [CASEWORKER, null, null, null, null, null, PAGE + 1],
  },
  seed,
  budget: { p95Ms: 25, minBaselineShare: 0.5 },
};
