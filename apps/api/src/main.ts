/**
 * Production entry point: validated config, the app, shutdown on SIGTERM/SIGINT, listen.
 * Built to dist/apps/api/apps/api/src/main.js.
 */
import 'reflect-metadata';
import { createApp } from './bootstrap';
import { loadConfig, orExit } from './config/config';

function startupError(err: unknown): string {
  if (err instanceof AggregateError && err.message === '') {
    // e.g. ECONNREFUSED on both ::1 and 127.0.0.1
    const first: unknown = err.errors[0];
    return first instanceof Error ? first.message : String((err as { code?: unknown }).code);
  }
  return err instanceof Error ? err.message : String(err);
}

async function main(): Promise<void> {
  const config = orExit(() => loadConfig(process.env));
  const app = await createApp(config);
  // On a signal: stop accepting, let in-flight requests finish, close the pool, exit 0.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await app.listen({ host: config.host, port: config.port });
}

main().catch((err: unknown) => {
  process.stderr.write(`Haven API could not start: ${startupError(err)}\n`);
  process.exit(1);
});
