// Writes each Jest run's counts to tmp/test-results/ so that CI can print one closing line
// (tools/ci/summarise.ts). Test names and messages are not written.
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { randomBytes } = require('node:crypto');

class JestSummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }
  onRunComplete(_contexts, results) {
    const dir = join(__dirname, '../../tmp/test-results');
    mkdirSync(dir, { recursive: true });
    const name = `jest-${this.rootDir.split('/').slice(-2).join('-')}-${randomBytes(3).toString('hex')}.json`;
    const { numPassedTests, numFailedTests, numPendingTests, numTotalTests } = results;
    writeFileSync(
      join(dir, name),
      JSON.stringify({ numPassedTests, numFailedTests, numPendingTests, numTotalTests }),
    );
  }
}
module.exports = JestSummaryReporter;
