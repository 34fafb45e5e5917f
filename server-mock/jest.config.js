/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testRegex: '\\.test\\.ts$',
  // The CLI test spawns the built dist/cli.js: build first (npm run build).
  testTimeout: 20000
};
