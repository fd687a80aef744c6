/**
 * "Audit verify": recomputing the chain of 1,000,000 events with the real verifier (run by
 * `npm run bench`, or alone: `npx tsx tools/bench/audit-verify.ts`). Budget (issue 8): ≤ 30 s.
 *
 * The events are made in Node with the API's own hashing (a realistic mix: staff reads and
 * writes with their minute, day-only intake events, refusals) and inserted 10,000 at a time
 * with `unnest`, then `verifyAuditLog` walks them in batches as `npm run audit:verify` does.
 * HAVEN_BENCH_AUDIT_EVENTS overrides the count for a quick run.
 */
import { randomUUID } from 'node:crypto';
import { auditEventHash, GENESIS_HASH, initCrypto } from '@haven/crypto';
import pg from 'pg';
import { runMigrations } from '../api-bridge';
import { eventClock, hashedAuditEvent, verifyAuditLog } from '../audit/api';
import { createThrowawayDatabase, throwawayServer } from '../db/postgres';
import type { Measurement, MeasurementSuite } from './types';

const EVENTS = Number(process.env.HAVEN_BENCH_AUDIT_EVENTS ?? 1_000_000);
const BATCH = 10_000;
const CODE = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

const ACTIONS: readonly [string, string][] = [
  ['case.read', 'ok'],
  ['case.read', 'ok'],
  ['case.read', 'ok'],
  ['case.update', 'ok'],
  ['case.entry_create', 'ok'],
  ['auth.login', 'ok'],
  ['case.access', 'denied:not_found'],
  ['intake.submit', 'ok'],
];

function caseCode(i: number): string {
  let n = i * 7919;
  let code = '';
  for (let k = 0; k < 8; k++) {
    code += CODE[n % CODE.length];
    n = Math.floor(n / CODE.length) + k;
  }
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** Makes and inserts `count` chained events; returns the seconds it took. */
export async function seedAuditEvents(client: pg.Client, count: number): Promise<number> {
  const start = performance.now();
  const staff = Array.from({ length: 60 }, () => randomUUID());
  const t0 = Date.parse('2025-01-01T00:00:00Z');
  let prev = GENESIS_HASH;
  for (let from = 1; from <= count; from += BATCH) {
    const cols = {
      seq: [] as number[],
      day: [] as string[],
      time: [] as (string | null)[],
      actor: [] as (string | null)[],
      role: [] as (string | null)[],
      action: [] as string[],
      target: [] as (string | null)[],
      outcome: [] as string[],
      prev: [] as Buffer[],
      hash: [] as Buffer[],
    };
    for (let seq = from; seq < Math.min(from + BATCH, count + 1); seq++) {
      const [action, outcome] = ACTIONS[seq % ACTIONS.length];
      const anonymous = action === 'intake.submit';
      const clock = eventClock(action, new Date(t0 + seq * 20_000));
      const record = {
        seq,
        day: clock.day,
        time: clock.time,
        actor: anonymous ? null : staff[seq % staff.length],
        role: anonymous ? null : 'caseworker',
        action,
        target: anonymous ? null : caseCode(seq % 50_000),
        outcome,
      };
      const hash = auditEventHash(prev, hashedAuditEvent(record));
      cols.seq.push(seq);
      cols.day.push(record.day);
      cols.time.push(record.time);
      cols.actor.push(record.actor);
      cols.role.push(record.role);
      cols.action.push(action);
      cols.target.push(record.target);
      cols.outcome.push(outcome);
      cols.prev.push(Buffer.from(prev));
      cols.hash.push(Buffer.from(hash));
      prev = hash;
    }
    await client.query(
      `INSERT INTO audit_event
         (seq, day, time_utc, actor, role, action, target, outcome, prev_hash, hash)
       SELECT * FROM unnest($1::bigint[], $2::date[], $3::text[], $4::uuid[], $5::text[],
                            $6::text[], $7::text[], $8::text[], $9::bytea[], $10::bytea[])`,
      [
        cols.seq,
        cols.day,
        cols.time,
        cols.actor,
        cols.role,
        cols.action,
        cols.target,
        cols.outcome,
        cols.prev,
        cols.hash,
      ],
    );
  }
  await client.query('VACUUM ANALYZE audit_event');
  return (performance.now() - start) / 1000;
}

async function run(): Promise<Measurement[]> {
  await initCrypto();
  const server = await throwawayServer();
  const db = await createThrowawayDatabase(server.serverUrl, 'haven_bench_verify');
  const client = new pg.Client({ connectionString: db.url });
  try {
    await runMigrations(db.url);
    await client.connect();
    console.log(`seeding ${EVENTS} chained audit events…`);
    const seeded = await seedAuditEvents(client, EVENTS);
    const start = performance.now();
    const result = await verifyAuditLog((sql, params) => client.query(sql, params));
    const seconds = (performance.now() - start) / 1000;
    if (!result.ok || result.count !== EVENTS) {
      throw new Error(`the seeded chain did not verify: ${JSON.stringify(result)}`);
    }
    return [
      {
        name: `seed ${EVENTS} events (hash in Node, insert; not budgeted)`,
        value: seeded,
        unit: 's',
      },
      {
        name: `verify ${EVENTS} events (verifyAuditLog, as npm run audit:verify)`,
        value: seconds,
        unit: 's',
        ...(EVENTS === 1_000_000 ? { budget: { op: '<=' as const, value: 30 } } : {}),
      },
      { name: 'verification rate', value: EVENTS / seconds, unit: 'events/s' },
    ];
  } finally {
    await client.end().catch(() => undefined);
    await db.drop().catch(() => undefined);
    await server.stop();
  }
}

export const auditVerifySuite: MeasurementSuite = { title: 'Audit verify (PostgreSQL)', run };

if (process.argv[1]?.endsWith('audit-verify.ts')) {
  run().then(
    (results) => {
      for (const m of results) console.log(`${m.name}: ${m.value.toFixed(2)} ${m.unit}`);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
