/**
 * Runs a command against a throwaway database:
 *   tsx tools/db/with-test-database.ts <command> [args…]
 * The database is created on the server in DATABASE_URL (or on a temporary embedded PostgreSQL
 * when it is not set), handed to the command as DATABASE_URL, and dropped afterwards.
 */
import { spawn } from 'node:child_process';
import { createThrowawayDatabase, throwawayServer } from './postgres';

async function main(): Promise<number> {
  const [cmd, ...args] = process.argv.slice(2);
  if (!cmd) {
    console.error('usage: tsx tools/db/with-test-database.ts <command> [args…]');
    return 2;
  }
  const server = await throwawayServer();
  const db = await createThrowawayDatabase(server.serverUrl);
  let code = 1;
  try {
    code = await new Promise<number>((resolve) => {
      const child = spawn(cmd, args, {
        stdio: 'inherit',
        env: { ...process.env, DATABASE_URL: db.url, HAVEN_TEST_SERVER_URL: server.serverUrl },
        shell: false,
      });
      const forward = (sig: NodeJS.Signals) => child.kill(sig);
      process.on('SIGINT', forward);
      process.on('SIGTERM', forward);
      child.on('exit', (c, sig) => resolve(c ?? (sig ? 1 : 0)));
    });
  } finally {
    await db.drop().catch((e: unknown) => console.error('could not drop the test database:', e));
    await server.stop();
  }
  return code;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
