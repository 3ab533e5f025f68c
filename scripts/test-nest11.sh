#!/usr/bin/env bash
# Runs the e2e suite against Nest 11 (CommonJS) instead of the Nest 12 the project develops on:
# Nest 11 is installed into .nest11/ and jest maps every @nestjs/* import there.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .nest11
cat > .nest11/package.json <<'JSON'
{
  "private": true,
  "dependencies": {
    "@nestjs/common": "^11.1.0",
    "@nestjs/core": "^11.1.0",
    "@nestjs/platform-express": "^11.1.0",
    "@nestjs/testing": "^11.1.0",
    "@nestjs/config": "^4.0.0",
    "reflect-metadata": "^0.2.2",
    "rxjs": "^7.8.2"
  }
}
JSON
(cd .nest11 && npm install --no-audit --no-fund --loglevel=error)
echo "Nest $(node -p "require('./.nest11/node_modules/@nestjs/core/package.json').version")"
NEST_UNDER_TEST=11 node scripts/with-postgres.mjs node scripts/with-redis.mjs \
  node --experimental-vm-modules node_modules/jest/bin/jest.js --config test/jest-e2e.config.js "$@"
