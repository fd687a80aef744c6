/**
 * The test object every spec uses. Its automatic `pageProblems` fixture watches each page for
 * console errors and warnings, uncaught exceptions and Content-Security-Policy violations,
 * and fails the test if any occurred: a page that only works with its CSP relaxed, or that
 * throws quietly, does not pass.
 */
import { test as base, expect, type Page } from '@playwright/test';

export interface CspViolation {
  directive: string;
  blockedURI: string;
  sample: string;
}

export interface PageProblems {
  /** Everything seen so far, as readable lines. */
  readonly list: string[];
}

const REPORT_BINDING = '__havenReportCspViolation';

/**
 * Chromium logs every 4xx answer to fetch as a console error. A 4xx from our own API is part
 * of the behaviour under test (401 before signing in, 403 for a used link), not a page
 * problem; 5xx answers and everything else still fail the test.
 */
function isExpectedApiRefusal(text: string, url: string): boolean {
  return (
    /^Failed to load resource: the server responded with a status of 4\d\d\b/.test(text) &&
    /^http:\/\/127\.0\.0\.1:\d+\/api\//.test(url)
  );
}

async function watch(page: Page): Promise<PageProblems> {
  const list: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      if (isExpectedApiRefusal(message.text(), message.location().url)) return;
      list.push(`console ${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => list.push(`uncaught: ${error.message}`));
  await page.exposeBinding(REPORT_BINDING, (_source, violation: CspViolation) => {
    list.push(
      `CSP violation: ${violation.directive} blocked ${violation.blockedURI || '(inline)'} ${violation.sample}`,
    );
  });
  // Runs in every document before the page's own scripts.
  await page.addInitScript((binding) => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as Record<string, (v: CspViolation) => void>)[binding];
      report?.({
        directive: event.effectiveDirective,
        blockedURI: event.blockedURI,
        sample: event.sample,
      });
    });
  }, REPORT_BINDING);
  return { list };
}

export const test = base.extend<{ pageProblems: PageProblems }>({
  pageProblems: [
    async ({ page }, use) => {
      const problems = await watch(page);
      await use(problems);
      expect(problems.list, 'console errors, uncaught exceptions or CSP violations').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
