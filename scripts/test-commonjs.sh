#!/usr/bin/env bash
# A CommonJS Nest 11 app's tests, as most existing apps run them: Jest in CommonJS mode with
# ts-jest, importing `nest-supertokens` and `nest-supertokens/testing` by name from node_modules,
# where the package is what `npm pack` puts in the tarball (so a file missing from `files` fails
# here); the package's `exports` pick its `require` build. The specs are test/testing-sample's,
# unchanged. Jest in CommonJS mode cannot load ES modules: this passes only on the CommonJS build.
# The package's own dependencies come from this checkout's node_modules (no network).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
source scripts/lib/nest11.sh
source scripts/lib/install-packed.sh
app="$(mktemp -d)"
trap 'rm -rf "$app"' EXIT
install_packed "$app"
cp test/testing-sample/*.ts "$app/"
echo '{ "name": "commonjs-app", "private": true, "type": "commonjs" }' > "$app/package.json"
cat > "$app/jest.config.js" <<JS
module.exports = {
  rootDir: '$app',
  testRegex: '\\\\.e2e-spec\\\\.ts\$',
  testEnvironment: 'node',
  moduleFileExtensions: ['js', 'json', 'ts'],
  // Everything else (the package's dependencies, supertest) from the checkout's node_modules.
  modulePaths: ['$root/node_modules'],
  moduleNameMapper: {
    '^(\\\\.{1,2}/.*)\\\\.js\$': '\$1',
    '^@nestjs/(common|core|platform-express|testing)\$': '$root/.nest11/node_modules/@nestjs/\$1',
    '^@nestjs/(common|core|platform-express|testing)/(.*)\$': '$root/.nest11/node_modules/@nestjs/\$1/\$2',
  },
  transform: {
    '^.+\\\\.ts\$': [
      '$root/node_modules/ts-jest',
      {
        tsconfig: {
          isolatedModules: true,
          module: 'commonjs',
          target: 'ES2022',
          esModuleInterop: true,
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
        },
      },
    ],
  },
};
JS
node node_modules/jest/bin/jest.js --config "$app/jest.config.js"
