/** End-to-end suites: one folder per scenario under test/. ESM set-up: see CONTRIBUTING.md "Toolchain". */
const nest11 = process.env.NEST_UNDER_TEST === '11';

export default {
  rootDir: '.',
  testRegex: '.*\\.e2e-spec\\.ts$',
  moduleFileExtensions: ['js', 'json', 'ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // The sample spec imports the package by name, as a user's tests would.
    '^nest-supertokens$': '<rootDir>/../src/auth/index.ts',
    '^nest-supertokens/testing$': '<rootDir>/../src/testing/index.ts',
    // `npm run test:nest11`: the same suites against Nest 11 installed in .nest11/.
    ...(nest11 && {
      '^@nestjs/(common|core|platform-express|testing|config)$':
        '<rootDir>/../.nest11/node_modules/@nestjs/$1',
      '^@nestjs/(common|core|platform-express|testing|config)/(.*)$':
        '<rootDir>/../.nest11/node_modules/@nestjs/$1/$2',
    }),
  },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testEnvironment: 'node',
  testTimeout: 20000,
  // Files run in parallel workers, each with its own SDK singleton and embedded core.
  maxWorkers: 2,
};
