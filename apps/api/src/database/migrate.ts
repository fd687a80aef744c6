/**
 * Applies pending migrations. Used by `npm run db:migrate`, the launcher and the integration
 * tests' global setup; runs under tsx, so it loads migrations only (no entities, no Nest).
 */
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source';

/** Arbitrary constant: the advisory lock that serialises concurrent migration runs. */
const MIGRATION_LOCK = 4_807_311;

/**
 * Runs every pending migration in one transaction and returns the names applied (empty when
 * the schema is current). Two processes migrating at once are serialised by an advisory lock.
 */
export async function runMigrations(databaseUrl: string): Promise<string[]> {
  const dataSource = new DataSource({
    ...dataSourceOptions({ url: databaseUrl, poolMax: 2, applicationName: 'haven-migrate' }),
    entities: [],
  });
  await dataSource.initialize();
  try {
    // The lock lives on this connection's session; migrations run on the pool's other one.
    const lock = dataSource.createQueryRunner();
    await lock.connect();
    try {
      await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      const applied = await dataSource.runMigrations({ transaction: 'all' });
      return applied.map((m) => m.name);
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      await lock.release();
    }
  } finally {
    await dataSource.destroy();
  }
}
