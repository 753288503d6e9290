// One jest run for the whole workspace: every package's tests live beside its code in src/__tests__.
/** @type {import('jest').Config} */
const project = (name, extra = {}) => ({
  displayName: name,
  rootDir: __dirname,
  testMatch: [
    `<rootDir>/${name.startsWith('example') ? 'examples' : 'packages'}/${name.replace(/^example-/, '')}/src/**/__tests__/**/*.test.ts`,
  ],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: true }] },
  testEnvironment: 'node',
  // Tests always run the workspace packages' sources, never a possibly stale dist/.
  moduleNameMapper: {
    '^@temporal-stompy/(plugin|memory-server|sqlite-file|testing|insights)$':
      '<rootDir>/packages/$1/src/index.ts',
    '^@temporal-stompy/plugin/manual$': '<rootDir>/packages/plugin/src/manual.ts',
    '^@temporal-stompy/plugin/workflow$': '<rootDir>/packages/plugin/src/workflow-api.ts',
  },
  ...extra,
});

// For projects whose tests run a Temporal dev server: find or build the Temporal CLI once, before any
// test starts (a cold Go build takes minutes), and pass it to the workers as TEMPORAL_CLI_PATH. Jest
// runs a project's globalSetup only when at least one of its tests is selected.
const temporalDevServer = { globalSetup: '<rootDir>/packages/testing/jest.global-setup.js' };
// For projects whose tests drive a real headless Chromium: find it once (installing Debian's chromium
// when missing, as root) and pass it to the workers as STOMPY_TEST_CHROMIUM.
const browser = { globalSetup: '<rootDir>/packages/testing/jest.browser-setup.js' };
const temporalDevServerAndBrowser = {
  globalSetup: '<rootDir>/packages/testing/jest.temporal-browser-setup.js',
};

module.exports = {
  projects: [
    project('sqlite-file'),
    project('insights'),
    project('memory-server', browser),
    project('plugin', temporalDevServer),
    project('testing', temporalDevServerAndBrowser),
    project('example-order-processing', temporalDevServer),
    project('benchmarks'),
  ],
  testTimeout: 60_000,
};
