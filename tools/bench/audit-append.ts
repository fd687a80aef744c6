/**
 * "Audit append": what appending the audit event adds to a write (run by `npm run bench`, or
 * alone: `npx tsx tools/bench/audit-append.ts`). Budget (issue 8): ≤ 2 ms added at p95.
 *
 * The same write — a transaction inserting one row — is timed with and without the real
 * `appendAuditEvent` (advisory lock, head lookup, BLAKE2b, insert, a signed checkpoint every
 * 1,000 events), alternating the two so that drift hits both alike. Once by one writer, and
 * once by 8 writers at the same time, where the appends queue on the log's lock.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { runMigrations } from '../api-bridge';
import { appendAuditEvent, AuditLogKey, type SqlFn } from '../audit/api';
import { createThrowawayDatabase, throwawayServer } from '../db/postgres';
import type { Measurement, MeasurementSuite } from './types';

const SEQUENTIAL_WRITES = 2000;
const CONCURRENT_WRITERS = 8;
const CONCURRENT_WRITES_EACH = 250;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const sqlOf =
  (client: pg.Client): SqlFn =>
  async (sql, params) =>
    (await client.query(sql, params)).rows as unknown[];

/** One transaction: the write, and (when `audited`) its audit event. Returns milliseconds. */
async function write(client: pg.Client, audited: boolean, signer: AuditLogKey): Promise<number> {
  const start = performance.now();
  await client.query('BEGIN');
  await client.query('INSERT INTO bench_write (payload) VALUES ($1)', [randomBytes(200)]);
  if (audited) {
    await appendAuditEvent(
      sqlOf(client),
      {
        actor: { id: randomUUID(), role: 'caseworker' },
        action: 'case.update',
        target: 'BNCH-2345',
        outcome: 'ok',
      },
      { signer },
    );
  }
  await client.query('COMMIT');
  return performance.now() - start;
}

async function run(): Promise<Measurement[]> {
  const server = await throwawayServer();
  const db = await createThrowawayDatabase(server.serverUrl, 'haven_bench_audit');
  const clients: pg.Client[] = [];
  try {
    await runMigrations(db.url);
    const signer = await AuditLogKey.derive(new Uint8Array(randomBytes(32)));
    for (let i = 0; i < CONCURRENT_WRITERS; i++) {
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      clients.push(c);
    }
    const [first] = clients;
    await first.query('CREATE TABLE bench_write (id bigserial PRIMARY KEY, payload bytea)');

    // Warm-up (connections, plans, the JIT), then alternate plain and audited writes.
    for (let i = 0; i < 200; i++) await write(first, i % 2 === 0, signer);
    const plain: number[] = [];
    const audited: number[] = [];
    for (let i = 0; i < SEQUENTIAL_WRITES * 2; i++) {
      if (i % 2 === 0) plain.push(await write(first, false, signer));
      else audited.push(await write(first, true, signer));
    }

    const concurrent = async (withAudit: boolean) => {
      const times: number[] = [];
      await Promise.all(
        clients.map(async (c) => {
          for (let i = 0; i < CONCURRENT_WRITES_EACH; i++) {
            times.push(await write(c, withAudit, signer));
          }
        }),
      );
      return times;
    };
    const plainConcurrent = await concurrent(false);
    const auditedConcurrent = await concurrent(true);

    const p95 = (v: number[]) => percentile(v, 95);
    return [
      { name: 'write without audit event, 1 writer: p95', value: p95(plain), unit: 'ms' },
      { name: 'write with audit event, 1 writer: p95', value: p95(audited), unit: 'ms' },
      {
        name: 'added by the audit event, 1 writer: p95 difference',
        value: p95(audited) - p95(plain),
        unit: 'ms',
        budget: { op: '<=', value: 2 },
      },
      {
        name: 'added by the audit event, 1 writer: median difference',
        value: percentile(audited, 50) - percentile(plain, 50),
        unit: 'ms',
      },
      {
        name: `write without audit event, ${CONCURRENT_WRITERS} writers: p95`,
        value: p95(plainConcurrent),
        unit: 'ms',
      },
      {
        name: `write with audit event, ${CONCURRENT_WRITERS} writers: p95`,
        value: p95(auditedConcurrent),
        unit: 'ms',
      },
      {
        name: `added by the audit event, ${CONCURRENT_WRITERS} writers: p95 difference`,
        value: p95(auditedConcurrent) - p95(plainConcurrent),
        unit: 'ms',
      },
    ];
  } finally {
    await Promise.all(clients.map((c) => c.end()));
    await db.drop().catch(() => undefined);
    await server.stop();
  }
}

export const auditAppendSuite: MeasurementSuite = { title: 'Audit append (PostgreSQL)', run };

if (process.argv[1]?.endsWith('audit-append.ts')) {
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
