// Unit tests for the dashboard's pure functions (navigation, language, URL parsing, API
// client); they run in Node, Jest globals come from @types/jest.
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'web',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
