/**
 * Typed configuration, read once from the environment at boot. A wrong value stops start-up
 * with one line per problem naming the variable, e.g.
 *   Invalid configuration: PORT must be a port number (got "abc")
 * Values of secret variables are never echoed. No Nest or TypeORM imports here: the launcher
 * and the migration CLI use this file under tsx.
 */
import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const NODE_ENVS = ['development', 'production', 'test'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

export interface AppConfig {
  nodeEnv: NodeEnv;
  host: string;
  port: number;
  /** Secret: contains the database password. Never log it. */
  databaseUrl: string;
  dbPoolMax: number;
  logLevel: LogLevel;
  /** Intake submissions and follow-ups allowed per client address per 10 minutes. */
  intakeRateLimit: number;
  /**
   * Secret: 32 random bytes. Sub-keys derived from it seed the login salts, encrypt TOTP
   * secrets at rest and key the throttling hashes. Never log it.
   */
  serverSecret: Uint8Array;
}

/** One environment variable, as documented in the README. */
export interface ConfigVariable {
  name: string;
  description: string;
  /** Absent when the variable is required. */
  default?: string;
  secret: boolean;
}

export const configVariables: readonly ConfigVariable[] = [
  {
    name: 'NODE_ENV',
    description: 'development, production or test. production turns on HSTS.',
    default: 'development',
    secret: false,
  },
  {
    name: 'HOST',
    description: 'Address the API listens on. Keep loopback behind a reverse proxy.',
    default: '127.0.0.1',
    secret: false,
  },
  { name: 'PORT', description: 'TCP port the API listens on.', default: '3000', secret: false },
  {
    name: 'DATABASE_URL',
    description: 'PostgreSQL connection URL (postgres://user:password@host:port/database).',
    secret: true,
  },
  {
    name: 'DB_POOL_MAX',
    description: 'Maximum PostgreSQL connections per API process (1-100).',
    default: '10',
    secret: false,
  },
  {
    name: 'LOG_LEVEL',
    description: `Minimum level of the JSON logs: ${LOG_LEVELS.join(', ')}.`,
    default: 'info',
    secret: false,
  },
  {
    name: 'INTAKE_RATE_LIMIT',
    description:
      'Intake submissions and follow-ups accepted per client address per 10 minutes (1-1000000000); thread reads get five times as many.',
    default: '10',
    secret: false,
  },
  {
    name: 'SERVER_SECRET',
    description:
      '32 random bytes as unpadded base64url (43 characters). Keys the login salts, the TOTP ' +
      'secrets at rest and the throttling hashes; `npm start` makes one in .data/server.secret. ' +
      'Changing it invalidates every password and TOTP enrolment.',
    secret: true,
  },
];

const SECRET = new Set(configVariables.filter((v) => v.secret).map((v) => v.name));
const DEFAULTS = new Map(configVariables.map((v) => [v.name, v.default]));

function integer(min: number, max: number, message: string) {
  return z
    .string()
    .regex(/^\d+$/, { error: message })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { error: message });
}

const databaseUrl = z.string({ error: 'is required' }).refine(
  (value) => {
    try {
      const url = new URL(value);
      return (
        (url.protocol === 'postgres:' || url.protocol === 'postgresql:') &&
        url.hostname !== '' &&
        url.pathname.length > 1
      );
    } catch {
      return false;
    }
  },
  { error: 'must be a postgres:// URL with a host and a database name' },
);

const serverSecret = z
  .string({ error: 'is required' })
  .regex(/^[A-Za-z0-9_-]{43}$/, { error: 'must be 32 bytes as unpadded base64url (43 characters)' })
  .transform((value) => new Uint8Array(Buffer.from(value, 'base64url')));

const schema = z.object({
  NODE_ENV: z.enum(NODE_ENVS, { error: `must be one of ${NODE_ENVS.join(', ')}` }),
  HOST: z.string().regex(/^[A-Za-z0-9.:[\]-]+$/, { error: 'must be a host name or IP address' }),
  PORT: integer(0, 65535, 'must be a port number'),
  DATABASE_URL: databaseUrl,
  DB_POOL_MAX: integer(1, 100, 'must be a whole number from 1 to 100'),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }),
  INTAKE_RATE_LIMIT: integer(1, 1_000_000_000, 'must be a whole number from 1 to 1000000000'),
  SERVER_SECRET: serverSecret,
});

/** Thrown by `loadConfig`; `problems` holds one line per wrong variable. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads the variables listed in `configVariables`; an empty value counts as unset. */
function pick(env: Env, names: readonly string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const name of names) {
    const raw = env[name];
    out[name] = raw === undefined || raw.trim() === '' ? DEFAULTS.get(name) : raw.trim();
  }
  return out;
}

function problemsOf(error: z.ZodError, raw: Record<string, string | undefined>): string[] {
  return error.issues.map((issue) => {
    const name = String(issue.path[0]);
    const value = raw[name];
    const shown = value !== undefined && !SECRET.has(name) ? ` (got ${JSON.stringify(value)})` : '';
    return `${name} ${issue.message}${shown}`;
  });
}

/** Validates the environment into an `AppConfig`, or throws `ConfigError`. */
export function loadConfig(env: Env): AppConfig {
  const raw = pick(
    env,
    configVariables.map((v) => v.name),
  );
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(problemsOf(parsed.error, raw));
  const c = parsed.data;
  return {
    nodeEnv: c.NODE_ENV,
    host: c.HOST,
    port: c.PORT,
    databaseUrl: c.DATABASE_URL,
    dbPoolMax: c.DB_POOL_MAX,
    logLevel: c.LOG_LEVEL,
    intakeRateLimit: c.INTAKE_RATE_LIMIT,
    serverSecret: c.SERVER_SECRET,
  };
}

/** DATABASE_URL alone, for tools that only migrate (same rules and messages as the API). */
export function loadDatabaseUrl(env: Env): string {
  const raw = pick(env, ['DATABASE_URL']);
  const parsed = z.object({ DATABASE_URL: databaseUrl }).safeParse(raw);
  if (!parsed.success) throw new ConfigError(problemsOf(parsed.error, raw));
  return parsed.data.DATABASE_URL;
}

/**
 * For entry points: returns the value, or prints each problem to stderr (no stack trace) and
 * exits with status 1.
 */
export function orExit<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const problem of err.problems) process.stderr.write(`Invalid configuration: ${problem}\n`);
    process.exit(1);
  }
}
