import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ConfigError, configVariables, loadConfig, loadDatabaseUrl } from './config';

const DB = 'postgres://haven:s3cret@db.internal:5432/haven';
/** 32 bytes (0x00, 0x01, … 0x1f) as unpadded base64url. */
const SECRET = Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('base64url');
const SECRET_BYTES = new Uint8Array(Buffer.from(SECRET, 'base64url'));
/** The variables without a default. */
const REQUIRED = { DATABASE_URL: DB, SERVER_SECRET: SECRET };

function problems(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    expect(loadConfig(REQUIRED)).toEqual({
      nodeEnv: 'development',
      host: '127.0.0.1',
      port: 3000,
      databaseUrl: DB,
      dbPoolMax: 10,
      logLevel: 'info',
      intakeRateLimit: 10,
      serverSecret: SECRET_BYTES,
    });
  });

  it('reads every variable', () => {
    expect(
      loadConfig({
        NODE_ENV: 'production',
        HOST: '0.0.0.0',
        PORT: '8080',
        DATABASE_URL: 'postgresql://u@localhost/db',
        DB_POOL_MAX: '25',
        LOG_LEVEL: 'warn',
        INTAKE_RATE_LIMIT: '100000',
        SERVER_SECRET: SECRET,
      }),
    ).toEqual({
      nodeEnv: 'production',
      host: '0.0.0.0',
      port: 8080,
      databaseUrl: 'postgresql://u@localhost/db',
      dbPoolMax: 25,
      logLevel: 'warn',
      intakeRateLimit: 100000,
      serverSecret: SECRET_BYTES,
    });
  });

  it('names PORT and shows the bad value', () => {
    expect(problems({ ...REQUIRED, PORT: 'abc' })).toEqual([
      'PORT must be a port number (got "abc")',
    ]);
    expect(() => loadConfig({ ...REQUIRED, PORT: 'abc' })).toThrow(
      'Invalid configuration: PORT must be a port number (got "abc")',
    );
  });

  it.each(['-1', '65536', '3.5', '80x', '0x50'])('refuses PORT=%s', (port) => {
    expect(problems({ ...REQUIRED, PORT: port })).toEqual([
      `PORT must be a port number (got "${port}")`,
    ]);
  });

  it('reports every wrong variable at once', () => {
    expect(
      problems({ NODE_ENV: 'prod', PORT: '99999', DB_POOL_MAX: '0', LOG_LEVEL: 'loud' }),
    ).toEqual([
      'NODE_ENV must be one of development, production, test (got "prod")',
      'PORT must be a port number (got "99999")',
      'DATABASE_URL is required',
      'DB_POOL_MAX must be a whole number from 1 to 100 (got "0")',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, silent (got "loud")',
      'SERVER_SECRET is required',
    ]);
  });

  it('reads SERVER_SECRET as 32 bytes and never echoes a wrong one', () => {
    expect(loadConfig(REQUIRED).serverSecret).toEqual(SECRET_BYTES);
    for (const bad of ['too-short', `${SECRET}=`, `${SECRET.slice(0, 42)}+`, 'x'.repeat(44)]) {
      const found = problems({ ...REQUIRED, SERVER_SECRET: bad });
      expect(found).toEqual([
        'SERVER_SECRET must be 32 bytes as unpadded base64url (43 characters)',
      ]);
    }
    expect(problems({ DATABASE_URL: DB })).toEqual(['SERVER_SECRET is required']);
  });

  it('never echoes the value of a secret variable', () => {
    const bad = 'mysql://root:hunter2@db/haven';
    const [problem] = problems({ ...REQUIRED, DATABASE_URL: bad });
    expect(problem).toBe('DATABASE_URL must be a postgres:// URL with a host and a database name');
    expect(problem).not.toContain('hunter2');
  });

  it.each(['not a url', 'postgres://', 'postgres://host', 'http://host/db'])(
    'refuses DATABASE_URL=%s',
    (url) => {
      expect(() => loadDatabaseUrl({ DATABASE_URL: url })).toThrow(ConfigError);
    },
  );

  it('treats an empty value as unset', () => {
    expect(loadConfig({ ...REQUIRED, PORT: '', LOG_LEVEL: '  ' }).port).toBe(3000);
    expect(problems({ ...REQUIRED, DATABASE_URL: '' })).toEqual(['DATABASE_URL is required']);
  });

  it('documents every variable it reads, with defaults that pass validation', () => {
    expect(configVariables.map((v) => v.name)).toEqual([
      'NODE_ENV',
      'HOST',
      'PORT',
      'DATABASE_URL',
      'DB_POOL_MAX',
      'LOG_LEVEL',
      'INTAKE_RATE_LIMIT',
      'SERVER_SECRET',
    ]);
    expect(configVariables.filter((v) => v.secret).map((v) => v.name)).toEqual([
      'DATABASE_URL',
      'SERVER_SECRET',
    ]);
    expect(configVariables.filter((v) => v.default === undefined).map((v) => v.name)).toEqual([
      'DATABASE_URL',
      'SERVER_SECRET',
    ]);
  });
});

describe('orExit', () => {
  // The real exit path, in a child process: one line naming the variable, status 1, no stack.
  it('prints the problem and exits 1 without a stack trace', () => {
    const configModule = join(__dirname, 'config.ts');
    const script = `require(${JSON.stringify(configModule)}).orExit(() => require(${JSON.stringify(configModule)}).loadConfig(process.env))`;
    const result = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
      env: { PATH: process.env.PATH, PORT: 'abc', DATABASE_URL: DB, SERVER_SECRET: SECRET },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('Invalid configuration: PORT must be a port number (got "abc")\n');
    expect(result.stdout).toBe('');
  });
});
