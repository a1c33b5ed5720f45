// NestJS 12 ships as ES modules, and Jest on Node 20 can only load those in its
// native ESM mode (run with --experimental-vm-modules, see package.json). Our
// TypeScript is compiled to ESM for the tests only; the app itself runs as CJS
// through Node's require(esm).
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json', useESM: true, diagnostics: false }],
};
const common = {
  testEnvironment: 'node',
  rootDir: '.',
  extensionsToTreatAsEsm: ['.ts'],
  transform,
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
};
module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/src/**/*.spec.ts',
        '<rootDir>/scripts/**/*.spec.ts',
        '<rootDir>/web/src/**/*.spec.ts',
      ],
    },
    {
      // Services in Nest testing modules with fakes at their edges (test/service/service-kit.ts):
      // no PostgreSQL, no Redis, no app boot.
      ...common,
      displayName: 'service',
      testMatch: ['<rootDir>/test/service/**/*.service-spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      // Needs ../shared/data/fx-real next to the repository: `npm run test:real-data`, not `npm test`.
      testPathIgnorePatterns: ['/node_modules/', 'real-data'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'real-data',
      testMatch: ['<rootDir>/test/**/*real-data*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
    {
      // The embedded mode end to end: the built service with neither DATABASE_URL nor REDIS_URL
      // (`npm run test:embedded` builds first). Needs no PostgreSQL or Redis on the machine.
      ...common,
      displayName: 'embedded',
      testMatch: ['<rootDir>/test/**/*.embedded-spec.ts'],
    },
    {
      // The dashboard in headless Chromium against the real app (npm run test:browser).
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
  // A global option: Jest ignores testTimeout inside a project. Integration hooks boot apps and
  // migrate databases on a 2-core machine, well past the 5 s default.
  testTimeout: 60000,
};
