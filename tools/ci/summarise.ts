/**
 * Adds up the test reports that Jest (`--json --outputFile`) and Playwright (json reporter)
 * wrote under tmp/test-results and prints one closing line: `tests: N passed, N failed`.
 * Exits 1 when no test ran at all, so that an empty suite can never pass CI.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface JestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
}
interface PlaywrightReport {
  stats: { expected: number; unexpected: number; skipped: number; flaky: number };
}

const dir = process.argv[2] ?? 'tmp/test-results';
let passed = 0;
let failed = 0;
let skipped = 0;
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
for (const f of files) {
  const data = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Partial<
    JestReport & PlaywrightReport
  >;
  if (data.stats) {
    passed += data.stats.expected + data.stats.flaky;
    failed += data.stats.unexpected;
    skipped += data.stats.skipped;
  } else if (typeof data.numPassedTests === 'number') {
    passed += data.numPassedTests;
    failed += data.numFailedTests ?? 0;
    skipped += data.numPendingTests ?? 0;
  }
  console.log(
    `${f}: ${JSON.stringify(data.stats ?? { passed: data.numPassedTests, failed: data.numFailedTests })}`,
  );
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(passed === 0 || failed > 0 ? 1 : 0);
