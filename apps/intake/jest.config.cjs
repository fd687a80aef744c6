// Unit tests for the intake page's pure functions; Jest globals come from @types/jest.
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'intake',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
