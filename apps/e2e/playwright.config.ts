import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { DB_URL_FILE, LOG_FILE, PORTS, SETUP_LINK_FILE, WEB_ORIGIN } from './src/support/env';

const workspaceRoot = join(__dirname, '..', '..');

export default defineConfig({
  testDir: './src',
  testMatch: '**/*.e2e.ts',
  outputDir: join(workspaceRoot, 'tmp/e2e/test-results'),
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['json', { outputFile: join(workspaceRoot, 'tmp/test-results/e2e.json') }]],
  use: {
    baseURL: WEB_ORIGIN,
    trace: 'on-first-retry',
    // The pages' own CSP must apply in the tests: that is part of what they check.
    bypassCSP: false,
    serviceWorkers: 'block',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        // Debian's Chromium; Playwright's own browser download is not used.
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
  webServer: {
    // The real launcher (build, migrations, API, both front ends) on a throwaway database.
    command: 'npx tsx tools/db/with-test-database.ts npx tsx tools/start/start.ts',
    cwd: workspaceRoot,
    url: `${WEB_ORIGIN}/api/ready`,
    reuseExistingServer: !process.env.CI,
    timeout: 180_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      HAVEN_WEB_PORT: String(PORTS.web),
      HAVEN_INTAKE_PORT: String(PORTS.intake),
      HAVEN_API_PORT: String(PORTS.api),
      // A fresh server secret per run (the database is fresh too), never .data/server.secret.
      SERVER_SECRET: randomBytes(32).toString('base64url'),
      // The launcher writes the one-time setup link here for the accounts test to open.
      HAVEN_SETUP_LINK_FILE: SETUP_LINK_FILE,
      // The intake triage test scans the database dump and every log line (intake-triage.e2e.ts).
      HAVEN_DB_URL_FILE: DB_URL_FILE,
      HAVEN_LOG_FILE: LOG_FILE,
      // The intake throttle counts per TCP peer, and every browser's intake request reaches the
      // API through the intake origin's proxy on 127.0.0.1: the whole suite is one sender, and
      // the default (10 writes per 10 minutes) refused intake-triage after canary-scan. The
      // throttle itself is tested in apps/api (address-throttle.spec.ts, intake.int-spec.ts).
      INTAKE_RATE_LIMIT: '1000',
    },
  },
});
