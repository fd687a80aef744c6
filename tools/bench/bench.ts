/**
 * `npm run bench`: Haven's performance budgets, measured (never asserted in timed tests).
 *
 *   npm run bench -- [--scale N] [--seconds S] [--only TEXT] [--no-build] [--strict]
 *
 * Seeds a throwaway database (on DATABASE_URL's server, or a temporary embedded PostgreSQL),
 * starts the built API, drives each HTTP scenario with autocannon next to a bare Fastify + pg
 * handler running the same SQL in the same run, then runs the measurement suites (crypto in
 * Node and in Chromium, …) and prints one table per group. `--strict` exits 1 when a budget is
 * missed. After the HTTP scenarios the audit chain they wrote is verified (a broken chain is a
 * miss). `BENCH_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"` profiles the API.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { runMigrations, verifyAuditLog } from '../api-bridge';
import { createThrowawayDatabase, freePort, throwawayServer } from '../db/postgres';
import { API_ENTRY, workspaceRoot } from '../start/paths';
import { load, type LoadResult } from './http/load';
import { httpScenarios } from './http/scenarios';
import { measurementSuites } from './suites';
import { withinBudget, type Measurement } from './types';

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: '100000' },
    seconds: { type: 'string', default: '10' },
    only: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
  },
});
const scale = Number(args.scale);
const seconds = Number(args.seconds);
const selected = (name: string) =>
  !args.only || name.toLowerCase().includes(args.only.toLowerCase());

function peakRssMiB(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

async function waitFor(url: string, child: ChildProcess, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  let last = 'no answer';
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited (${child.exitCode})`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
      // Kept for the error below: a server that answers, but not 2xx, says why.
      last = `${res.status} ${(await res.text()).slice(0, 300)}`;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer 2xx within ${ms / 1000} s (last: ${last})`);
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

interface HttpRow {
  scenario: string;
  target: string;
  r: LoadResult;
  /** Errors plus answers with a status the scenario does not expect. */
  failures?: number;
  rssMiB?: number;
  verdict: string;
}

/** The audit chain the HTTP scenarios left behind, verified after they ran. */
let auditChain = '';

async function runHttp(): Promise<HttpRow[]> {
  const scenarios = httpScenarios.filter((s) => selected(s.name));
  if (scenarios.length === 0) return [];
  if (!args['no-build']) {
    await new Promise<void>((ok, fail) =>
      spawn('npx', ['nx', 'run', 'api:build', '--output-style=static'], {
        cwd: workspaceRoot,
        stdio: 'inherit',
      }).on('exit', (c) => (c === 0 ? ok() : fail(new Error('api build failed')))),
    );
  }
  // A fresh SERVER_SECRET per run: the API inherits it, and seeds that pepper hashes or seal
  // TOTP secrets (sign-in) read the same one.
  process.env.SERVER_SECRET ??= randomBytes(32).toString('base64url');
  const server = await throwawayServer();
  const db = await createThrowawayDatabase(server.serverUrl, 'haven_bench');
  const rows: HttpRow[] = [];
  let api: ChildProcess | undefined;
  try {
    await runMigrations(db.url);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      for (const s of scenarios) {
        if (s.seed) {
          console.log(`seeding for "${s.name}" at scale ${scale}…`);
          await s.seed(client, scale);
        }
      }
      await client.query('ANALYZE');
    } finally {
      await client.end();
    }

    const apiPort = await freePort();
    // BENCH_API_NODE_ARGS: extra Node flags for the API process only (e.g. `--cpu-prof`).
    const nodeArgs = process.env.BENCH_API_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    api = spawn(process.execPath, [...nodeArgs, API_ENTRY], {
      cwd: workspaceRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: db.url,
        HOST: '127.0.0.1',
        PORT: String(apiPort),
        ...scenarios.reduce<Record<string, string>>((env, sc) => ({ ...env, ...sc.apiEnv }), {}),
      },
    });
    await waitFor(`http://127.0.0.1:${apiPort}/api/ready`, api);

    for (const s of scenarios) {
      const common = {
        method: s.method,
        headers: s.headers,
        body: s.body,
        connections: s.connections,
        setupRequest: s.setupRequest,
        onResponse: s.onResponse,
      };
      const url = `http://127.0.0.1:${apiPort}${s.path}`;
      await load({ ...common, url, seconds: Math.min(2, seconds) }); // warm-up
      const r = await load({ ...common, url, seconds });
      const rssMiB = peakRssMiB(api.pid);
      let baseline: LoadResult | undefined;
      if (s.baseline) {
        const basePort = await freePort();
        const base = fork(join(__dirname, 'http/baseline-server.ts'), [], {
          execArgv: ['--import', 'tsx'],
          stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
          env: {
            ...process.env,
            DATABASE_URL: db.url,
            PORT: String(basePort),
            BENCH_SQL: s.baseline.sql,
            BENCH_PARAMS: JSON.stringify(s.baseline.params ?? []),
          },
        });
        try {
          await waitFor(`http://127.0.0.1:${basePort}/`, base);
          const bUrl = `http://127.0.0.1:${basePort}${s.path}`;
          await load({ ...common, url: bUrl, seconds: Math.min(2, seconds) });
          baseline = await load({ ...common, url: bUrl, seconds });
        } finally {
          await stop(base);
        }
      }
      const b = s.budget ?? {};
      const misses: string[] = [];
      if (b.p95Ms !== undefined && !(r.p95 <= b.p95Ms)) misses.push(`p95 > ${b.p95Ms} ms`);
      if (b.minRps !== undefined && !(r.rps >= b.minRps)) misses.push(`< ${b.minRps} req/s`);
      if (b.maxRssMiB !== undefined && !(rssMiB <= b.maxRssMiB))
        misses.push(`RSS > ${b.maxRssMiB} MiB`);
      if (b.okP95Ms !== undefined && !(r.okP95 <= b.okP95Ms)) {
        misses.push(`2xx p95 > ${b.okP95Ms} ms`);
      }
      const expected = s.expectStatus;
      const unexpected = expected
        ? Object.entries(r.statuses)
            .filter(([status]) => !expected.includes(Number(status)))
            .reduce((n, [, count]) => n + count, 0)
        : r.non2xx;
      if (r.errors > 0 || unexpected > 0) misses.push('errors');
      const share = baseline ? r.rps / baseline.rps : NaN;
      if (b.minBaselineShare !== undefined && baseline && !(share >= b.minBaselineShare)) {
        misses.push(`< ${b.minBaselineShare * 100}% of baseline`);
      }
      // Scenarios with designed non-2xx answers show the mix and the admitted requests' p95.
      const mix = expected
        ? ` [${Object.entries(r.statuses)
            .map(([status, count]) => `${status}: ${count}`)
            .join(', ')}; 2xx p95 ${fmt(r.okP95)} ms]`
        : '';
      rows.push({
        scenario: s.name,
        target: `Haven API${baseline ? ` (${fmt(share * 100, 0)}% of baseline)` : ''}`,
        r,
        failures: r.errors + unexpected,
        rssMiB,
        verdict: `${misses.length ? `MISSED: ${misses.join(', ')}` : 'ok'}${mix}`,
      });
      if (baseline)
        rows.push({ scenario: s.name, target: 'bare Fastify + pg', r: baseline, verdict: '' });
    }
    // What the scenarios wrote (intake submissions, sign-ins) must still form an intact chain.
    await stop(api);
    const check = new pg.Client({ connectionString: db.url });
    await check.connect();
    try {
      const chain = await verifyAuditLog((sql, params) => check.query(sql, params));
      auditChain = chain.ok
        ? `intact, ${chain.count} events`
        : `BROKEN at seq ${chain.brokenAtSeq} (${chain.reason})`;
    } finally {
      await check.end();
    }
  } finally {
    await stop(api);
    await db.drop().catch(() => undefined);
    await server.stop();
  }
  return rows;
}

function printTable(headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

async function main(): Promise<number> {
  let missed = false;
  console.log(
    `Haven benchmark — scale ${scale}, ${seconds} s per load run, ${new Date().toISOString()}`,
  );
  const http = await runHttp();
  if (http.length) {
    console.log('\nHTTP (autocannon; latency in ms; RSS = API peak resident memory)');
    printTable(
      ['scenario', 'target', 'req/s', 'p50', 'p95', 'p99', 'errors', 'RSS MiB', 'budget'],
      http.map((h) => [
        h.scenario,
        h.target,
        fmt(h.r.rps, 0),
        fmt(h.r.p50),
        fmt(h.r.p95),
        fmt(h.r.p99),
        String(h.failures ?? h.r.errors + h.r.non2xx),
        h.rssMiB !== undefined ? fmt(h.rssMiB, 0) : '',
        h.verdict,
      ]),
    );
    missed ||= http.some((h) => h.verdict.startsWith('MISSED'));
    console.log(`\naudit chain after the HTTP runs: ${auditChain}`);
    missed ||= !auditChain.startsWith('intact');
  }
  for (const suite of measurementSuites.filter((s) => selected(s.title))) {
    let results: Measurement[];
    try {
      results = await suite.run();
    } catch (err) {
      console.log(`\n${suite.title}: FAILED — ${err instanceof Error ? err.message : String(err)}`);
      missed = true;
      continue;
    }
    console.log(`\n${suite.title}`);
    printTable(
      ['measurement', 'value', 'budget', 'verdict'],
      results.map((m) => {
        const ok = withinBudget(m);
        if (ok === false) missed = true;
        return [
          m.name,
          `${fmt(m.value, m.value >= 100 ? 0 : 2)} ${m.unit}`,
          m.budget ? `${m.budget.op} ${m.budget.value} ${m.unit}` : '',
          ok === undefined ? '' : ok ? 'ok' : 'MISSED',
        ];
      }),
    );
  }
  console.log(missed ? '\nSome budgets were missed.' : '\nAll budgets met.');
  return missed && args.strict ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
