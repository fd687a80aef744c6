/**
 * `npm start`: the whole of Haven on one machine.
 *
 * 1. PostgreSQL: DATABASE_URL when set, otherwise an embedded server whose data lives in
 *    .data/postgres (git-ignored) and survives restarts.
 * 2. Builds the API and both front ends (cached by Nx), runs the migrations.
 * 3. Starts the API, the dashboard and the intake page, and prints their URLs; on a database
 *    that has not been set up yet, also prints the one-time first-run setup link.
 * 4. Ctrl-C (or SIGTERM) stops everything cleanly: in-flight requests finish, PostgreSQL stops.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { ConfigError, issueSetupToken, loadConfig, runMigrations } from '../api-bridge';
import { startEmbeddedPostgres, type RunningPostgres } from '../db/postgres';
import { dashboardCsp, intakeCsp } from './csp';
import { API_ENTRY, INTAKE_DIST, WEB_DIST, workspaceRoot } from './paths';
import { serveStaticApp } from './static-server';

const root = workspaceRoot;

class StartError extends Error {}

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new StartError(`${name} must be a port number between 1 and 65535 (got "${raw}")`);
  }
  return n;
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
    child.on('exit', (code) =>
      code === 0 ? ok() : fail(new StartError(`${cmd} ${args.join(' ')} failed (exit ${code})`)),
    );
  });
}

async function waitForReady(url: string, api: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (api.exitCode !== null)
      throw new StartError(`the API exited during start-up (exit ${api.exitCode})`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new StartError(`the API did not become ready within ${timeoutMs / 1000} s (${url})`);
}

/**
 * SERVER_SECRET from the environment, else from .data/server.secret, made once (32 random
 * bytes, base64url, mode 600). Losing it makes every password and TOTP enrolment useless, so
 * it lives beside the embedded database's data and is never printed.
 */
function serverSecret(): string {
  const fromEnv = process.env.SERVER_SECRET?.trim();
  if (fromEnv) return fromEnv;
  const file = join(root, '.data/server.secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  console.log(`Made a new SERVER_SECRET in ${file} (keep it with the database backups).`);
  return secret;
}

/** For the browser tests: the setup link also goes to HAVEN_SETUP_LINK_FILE (mode 600). */
function writeSetupLinkFile(link: string | null): void {
  const file = process.env.HAVEN_SETUP_LINK_FILE;
  if (!file) return;
  rmSync(file, { force: true });
  if (!link) return;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${link}\n`, { mode: 0o600 });
}

/** For the browser tests' dump scan: the database URL goes to HAVEN_DB_URL_FILE (mode 600). */
function writeDatabaseUrlFile(url: string): void {
  const file = process.env.HAVEN_DB_URL_FILE;
  if (!file) return;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${url}\n`, { mode: 0o600 });
}

/**
 * For the browser tests' log scan: with HAVEN_LOG_FILE set, everything the launcher writes and
 * everything the API writes (stdout and stderr) is also appended to that file (mode 600), so a
 * test can check that no log line carries what people typed or their address.
 */
const logFile = process.env.HAVEN_LOG_FILE;
function teeToLogFile(): void {
  if (!logFile) return;
  mkdirSync(dirname(logFile), { recursive: true });
  writeFileSync(logFile, '', { mode: 0o600 });
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = (chunk: unknown, ...rest: unknown[]) => {
      appendFileSync(logFile, typeof chunk === 'string' ? chunk : (chunk as Uint8Array));
      return write(chunk, ...rest);
    };
  }
}

async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await c.query(`CREATE DATABASE "${name}"`);
  } finally {
    await c.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function main(): Promise<void> {
  let embedded: RunningPostgres | undefined;
  let api: ChildProcess | undefined;
  const servers: FastifyInstance[] = [];
  let stopping = false;

  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (embedded || api) console.log('\nStopping Haven…');
    await Promise.allSettled(servers.map((s) => s.close()));
    if (api && api.exitCode === null) {
      const exited = new Promise((r) => api?.once('exit', r));
      api.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    }
    if (embedded) await embedded.stop().catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  teeToLogFile();
  try {
    const host = process.env.HAVEN_HOST ?? '127.0.0.1';
    // The API's own PORT wins over HAVEN_API_PORT, so that `PORT=… npm start` does what it says.
    const apiPort = process.env.PORT ?? String(port('HAVEN_API_PORT', 3000));
    const webPort = port('HAVEN_WEB_PORT', 4200);
    const intakePort = port('HAVEN_INTAKE_PORT', 4300);
    const pgPort = port('HAVEN_EMBEDDED_PG_PORT', 54329);

    // Check the API's configuration before anything is started or built: a wrong value stops
    // here with the API's own message naming the variable.
    const secret = serverSecret();
    const apiEnv = (databaseUrl: string) => ({
      ...process.env,
      DATABASE_URL: databaseUrl,
      HOST: process.env.HOST ?? host,
      PORT: apiPort,
      SERVER_SECRET: secret,
    });
    const checked = loadConfig(apiEnv(process.env.DATABASE_URL ?? 'postgres://placeholder/haven'));

    let databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) {
      const dataDir = join(root, '.data/postgres');
      console.log(
        `No DATABASE_URL: starting embedded PostgreSQL (data in ${dataDir}, port ${pgPort})`,
      );
      embedded = await startEmbeddedPostgres({ dataDir, port: pgPort, persistent: true });
      databaseUrl = await ensureDatabase(embedded.serverUrl, 'haven');
    }

    if (process.env.HAVEN_SKIP_BUILD !== '1') {
      console.log('Building the API and the front ends (cached after the first run)…');
      await run('npx', [
        'nx',
        'run-many',
        '-t',
        'build',
        '-p',
        'api',
        'web',
        'intake',
        '--output-style=static',
      ]);
    }
    for (const p of [API_ENTRY, join(WEB_DIST, 'index.html'), join(INTAKE_DIST, 'index.html')]) {
      if (!existsSync(p))
        throw new StartError(`missing build output ${p}; run without HAVEN_SKIP_BUILD`);
    }

    writeDatabaseUrlFile(databaseUrl);
    const applied = await runMigrations(databaseUrl);
    console.log(
      applied.length
        ? `Applied migrations: ${applied.join(', ')}`
        : 'Database schema is up to date.',
    );

    const webUrl = `http://${host}:${webPort}`;
    const setupToken = await (async () => {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      try {
        return await issueSetupToken((sql, params) => c.query(sql, params as unknown[]));
      } finally {
        await c.end();
      }
    })();

    api = spawn(process.execPath, ['--enable-source-maps', API_ENTRY], {
      cwd: root,
      // Piped through this process only when its output is also kept in HAVEN_LOG_FILE.
      stdio: logFile ? ['inherit', 'pipe', 'pipe'] : 'inherit',
      env: apiEnv(databaseUrl),
    });
    api.stdout?.on('data', (chunk: Buffer) => process.stdout.write(chunk));
    api.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    api.on('exit', (code) => {
      if (!stopping) {
        console.error(`The API stopped unexpectedly (exit ${code}).`);
        void shutdown(1);
      }
    });
    const apiUrl = `http://${checked.host}:${checked.port}`;
    await waitForReady(`${apiUrl}/api/ready`, api, 60_000);

    servers.push(
      await serveStaticApp({
        root: WEB_DIST,
        host,
        port: webPort,
        csp: dashboardCsp,
        proxyPrefix: '/api',
        apiUrl,
        noStoreEverything: false,
      }),
      await serveStaticApp({
        root: INTAKE_DIST,
        host,
        port: intakePort,
        csp: intakeCsp,
        proxyPrefix: '/api/intake',
        apiUrl,
        noStoreEverything: true,
      }),
    );

    console.log('');
    console.log(`  Dashboard:    ${webUrl}`);
    console.log(`  Intake page:  http://${host}:${intakePort}`);
    console.log(`  API:          ${apiUrl}/api  (OpenAPI: ${apiUrl}/api/docs)`);
    console.log(
      `  Database:     ${embedded ? `embedded PostgreSQL on 127.0.0.1:${pgPort}` : 'DATABASE_URL'}`,
    );
    writeSetupLinkFile(setupToken ? `${webUrl}/setup#token=${setupToken}` : null);
    if (setupToken) {
      console.log('');
      console.log(
        '  First-run setup (one-time link, expires in 24 hours; anyone with it can set up Haven):',
      );
      console.log(`  ${webUrl}/setup#token=${setupToken}`);
    }
    console.log('');
    console.log('Haven is ready. Press Ctrl-C to stop.');
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const p of err.problems) console.error(`Invalid configuration: ${p}`);
    } else {
      console.error(err instanceof StartError ? `npm start: ${err.message}` : err);
    }
    await shutdown(1);
  }
}

void main();
