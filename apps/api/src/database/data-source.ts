/**
 * The one description of Haven's database connection, shared by the app (TypeOrmModule) and the
 * migration runner, so they can never disagree about schema settings.
 *
 * It names no entities: the app adds them through `autoLoadEntities` (each feature module
 * registers its own with `TypeOrmModule.forFeature`), and the migration runner must load none,
 * because it runs under tsx, where decorator metadata does not exist.
 */
import type { DataSourceOptions } from 'typeorm';
import { migrations } from './migrations';

export type PostgresConnectionOptions = Extract<DataSourceOptions, { type: 'postgres' }>;

export interface DatabaseSettings {
  /** Secret (contains the password). */
  url: string;
  poolMax: number;
  /** Shown in pg_stat_activity. */
  applicationName?: string;
  /**
   * The role every connection switches to at start-up (`SET ROLE` via the startup options).
   * The app uses APP_DB_ROLE; the migration runner none (it must own the schema).
   */
  role?: string;
}

/** The API's database role: no ownership, INSERT-only on the audit log (see the app-role migration). */
export const APP_DB_ROLE = 'haven_app';

export function dataSourceOptions(settings: DatabaseSettings): PostgresConnectionOptions {
  return {
    type: 'postgres',
    url: settings.url,
    poolSize: settings.poolMax,
    applicationName: settings.applicationName ?? 'haven-api',
    // A database that does not answer must fail a request (and /api/ready) instead of hanging it.
    connectTimeoutMS: 5000,
    // Schema changes happen only through reviewed migrations, never at start-up.
    synchronize: false,
    migrationsRun: false,
    dropSchema: false,
    installExtensions: false,
    migrations,
    migrationsTableName: 'schema_migration',
    migrationsTransactionMode: 'all',
    entities: [],
    // TypeORM's logger would print SQL parameters (which can carry user data) on errors.
    logging: false,
    ...(settings.role && /^[a-z_][a-z0-9_]*$/.test(settings.role)
      ? { extra: { options: `-c role=${settings.role}` } }
      : {}),
  };
}
