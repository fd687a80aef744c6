import { join } from 'node:path';

/**
 * Where the browser tests find Haven. The launcher is started on its own ports so that a
 * developer's running `npm start` (4200/4300/3000) is never reused or disturbed.
 * `HAVEN_E2E_PORT_OFFSET=n` moves all three by n, so two checkouts can run their suites at once.
 */
const offset = Number(process.env['HAVEN_E2E_PORT_OFFSET'] ?? 0);
if (!Number.isInteger(offset) || offset < 0 || offset > 500) {
  throw new Error(
    `HAVEN_E2E_PORT_OFFSET must be an integer from 0 to 500 (got "${process.env['HAVEN_E2E_PORT_OFFSET']}")`,
  );
}
export const PORTS = { web: 4210 + offset, intake: 4310 + offset, api: 3010 + offset } as const;

/** Where the launcher writes the first-run setup link (HAVEN_SETUP_LINK_FILE). */
export const SETUP_LINK_FILE = join(__dirname, '..', '..', '..', '..', 'tmp/e2e/setup-link.txt');

/** Where the launcher writes its database URL (HAVEN_DB_URL_FILE), for the dump scan. */
export const DB_URL_FILE = join(__dirname, '..', '..', '..', '..', 'tmp/e2e/database-url.txt');

/** Where the launcher keeps its own and the API's output (HAVEN_LOG_FILE), for the log scan. */
export const LOG_FILE = join(__dirname, '..', '..', '..', '..', 'tmp/e2e/haven.log');

export const WEB_ORIGIN = `http://127.0.0.1:${PORTS.web}`;
export const INTAKE_ORIGIN = `http://127.0.0.1:${PORTS.intake}`;

/** The neutral site the intake page's quick exit leaves for (apps/intake/src/quick-exit.ts). */
export const QUICK_EXIT_URL = 'https://www.wikipedia.org/';
