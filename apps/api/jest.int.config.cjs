// Integration tests: the real AppModule against a real PostgreSQL. Run through
// tools/db/with-test-database.ts, which provides a throwaway DATABASE_URL; global setup
// migrates it.
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'api:int',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  testTimeout: 60000,
};
