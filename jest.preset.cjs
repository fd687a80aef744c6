// Shared Jest settings. TypeScript is transpiled per file by ts-jest (type errors are the
// `typecheck` target's job); workspace path aliases mirror tsconfig.base.json.
const path = require('node:path');
const root = __dirname;

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.tsx?$': [
      'ts-jest',
      { tsconfig: path.join(root, 'tsconfig.spec.json'), diagnostics: false },
    ],
  },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json'],
  moduleNameMapper: {
    '^@haven/contracts$': path.join(root, 'libs/contracts/src/index.ts'),
    '^@haven/crypto$': path.join(root, 'libs/crypto/src/index.ts'),
    '^@haven/crypto/testing$': path.join(root, 'libs/crypto/src/testing.ts'),
  },
  clearMocks: true,
  reporters: ['default', path.join(root, 'tools/ci/jest-summary-reporter.cjs')],
};
