/** Jest runs the TypeScript sources through ts-jest (CommonJS). PGlite loads parts of itself with
 * dynamic import(), which is why `npm test` sets NODE_OPTIONS=--experimental-vm-modules. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // the client package's sources import their siblings as './x.js', as ES modules must
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  // each file is transpiled alone (tsconfig.jest.json: isolatedModules); `pretest` type-checks the
  // sources and tests once with tsc, where ts-jest would build a whole program in every worker
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }] },
  globalSetup: '<rootDir>/test/support/globalSetup.ts',
  testTimeout: 60000,
  maxWorkers: 2,
};
