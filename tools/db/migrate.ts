/**
 * `npm run db:migrate`: applies pending migrations to the database in DATABASE_URL.
 * The migrations and their runner belong to the API; this is only their command line.
 */
import { loadDatabaseUrl, orExit, runMigrations } from '../api-bridge';

async function main(): Promise<void> {
  const url = orExit(() => loadDatabaseUrl(process.env));
  const applied = await runMigrations(url);
  if (applied.length === 0) {
    console.log('Database schema is up to date.');
  } else {
    for (const name of applied) console.log(`applied ${name}`);
    console.log(`${applied.length} migration(s) applied.`);
  }
}

main().catch((err: unknown) => {
  const message =
    err instanceof AggregateError && err.message === '' && err.errors[0] instanceof Error
      ? err.errors[0].message
      : err instanceof Error
        ? err.message
        : String(err);
  console.error(`Migration failed: ${message}`);
  process.exit(1);
});
