import { randomBytes } from 'node:crypto';
import { runMigrations } from '../src/database/migrate';

/**
 * Jest global setup: migrates the throwaway database that tools/db/with-test-database.ts made.
 * (Jest requires a default export here.)
 */
export default async function globalSetup(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      'DATABASE_URL is not set. Run integration tests with `npx nx run api:int-test`, which ' +
        'creates a throwaway database (on DATABASE_URL when given, else an embedded PostgreSQL).',
    );
  }
  await runMigrations(url);
  // A random SERVER_SECRET per run (read by support/test-app.ts).
  process.env.HAVEN_TEST_SERVER_SECRET ??= randomBytes(32).toString('base64url');
}
