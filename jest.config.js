const jestJupyterLab = require('@jupyterlab/testutils/lib/jest-config');

// One regex: a file is left untransformed if ANY pattern matches, so the ESM
// list must be the union of the template's and the base config's (NOTES.md).
const esModules = [
  '@codemirror',
  '@jupyter/ydoc',
  '@jupyter/react-components',
  '@jupyter/web-components',
  '@jupyterlab/',
  '@lezer',
  '@marijn',
  '@microsoft',
  'color',
  'exenv-es6',
  'lib0',
  'marked',
  'nanoid',
  'vscode-ws-jsonrpc',
  'y-protocols',
  'y-websocket',
  'yjs'
].join('|');

const baseConfig = jestJupyterLab(__dirname);

module.exports = {
  ...baseConfig,
  automock: false,
  // jose ships ESM for browsers: the tests run its Node build (one mapping, not a mock per spec).
  moduleNameMapper: {
    ...baseConfig.moduleNameMapper,
    '^jose$': '<rootDir>/node_modules/jose/dist/node/cjs/index.js'
  },
  collectCoverageFrom: ['src/**/*.{ts,tsx}', '!src/**/*.d.ts'],
  coverageReporters: ['lcov', 'text-summary'],
  reporters: ['default'],
  roots: ['<rootDir>/src'],
  testRegex: 'src/.*/.*.spec.ts[x]?$',
  transformIgnorePatterns: [`/node_modules/(?!${esModules}).+`]
};
