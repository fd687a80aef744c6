import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { createApp, type CreateAppOptions } from '../../src/bootstrap';
import type { AppConfig } from '../../src/config/config';
import { runMigrations } from '../../src/database/migrate';

export function testDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set (run through `nx run api:int-test`)');
  return url;
}

/** The test server's maintenance database, for creating extra databases. */
export function testServerUrl(): string {
  if (process.env.HAVEN_TEST_SERVER_URL) return process.env.HAVEN_TEST_SERVER_URL;
  const url = new URL(testDatabaseUrl());
  url.pathname = '/postgres';
  return url.toString();
}

/**
 * The SERVER_SECRET of this test run: global setup draws a random one per run; a test file run
 * on its own (no global setup) draws its own.
 */
export function testServerSecret(): Uint8Array {
  process.env.HAVEN_TEST_SERVER_SECRET ??= randomBytes(32).toString('base64url');
  return new Uint8Array(Buffer.from(process.env.HAVEN_TEST_SERVER_SECRET, 'base64url'));
}

export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    nodeEnv: 'test',
    host: '127.0.0.1',
    port: 0,
    databaseUrl: testDatabaseUrl(),
    dbPoolMax: 4,
    logLevel: 'silent',
    serverSecret: testServerSecret(),
    intakeRateLimit: 10,
    ...overrides,
  };
}

/** The real AppModule on the migrated test database, plus any test-only modules. */
export function startTestApp(
  options: CreateAppOptions & { config?: Partial<AppConfig> } = {},
): Promise<NestFastifyApplication> {
  return createApp(testConfig(options.config), options);
}

/** Collects Fastify's JSON log lines. */
export class LogCollector {
  readonly lines: string[] = [];

  write(line: string): void {
    this.lines.push(line);
  }

  entries(): Record<string, unknown>[] {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

export async function withClient<T>(
  url: string,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface ScratchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A database of its own for a test that changes global state (the instance row) or breaks the
 * database on purpose. Migrated unless `migrate: false`.
 */
export async function scratchDatabase(opts: { migrate?: boolean } = {}): Promise<ScratchDatabase> {
  const name = `haven_scratch_${randomBytes(6).toString('hex')}`;
  const server = testServerUrl();
  await withClient(server, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(server);
  url.pathname = `/${name}`;
  if (opts.migrate !== false) await runMigrations(url.toString());
  return {
    url: url.toString(),
    name,
    drop: async () => {
      await withClient(server, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
