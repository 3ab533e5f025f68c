#!/usr/bin/env bash
# Runs the e2e suite against Nest 11 (CommonJS) instead of the Nest 12 the project develops on:
# Nest 11 is installed into .nest11/ and jest maps every @nestjs/* import there.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/nest11.sh
NEST_UNDER_TEST=11 node scripts/with-postgres.mjs node scripts/with-redis.mjs \
  node --disable-warning=ExperimentalWarning --experimental-vm-modules node_modules/jest/bin/jest.js --config test/jest-e2e.config.js "$@"
