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
}

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
  };
}
