#!/usr/bin/env bash
# Fixture apps that use the package the way users install it, from `npm pack`, with their own
# toolchain: a Nest 12 ESM app tested with Vitest (SWC for the decorators, as Nest's Vitest recipe
# sets it up), once on Express and once on Fastify (@nestjs/platform-fastify). The Nest 11
# CommonJS app with Jest is scripts/test-commonjs.sh. Each fixture signs a user up and in over
# HTTP and runs an e2e test with nest-supertokens/testing.
# The app lives in .fixtures/ inside the checkout: `nest-supertokens` is the tarball's content in
# the app's own node_modules; everything else (Nest, Vitest, supertest) resolves from the
# checkout's node_modules further up (no network).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
source scripts/lib/install-packed.sh
app="$root/.fixtures/nest12-esm"
rm -rf "$app"
trap 'rm -rf "$root/.fixtures"' EXIT
install_packed "$app"
# The spec, and the sample app it imports (test/testing-sample), in the same relative places.
mkdir -p "$app/fixtures" "$app/testing-sample"
cp test/fixtures/*.ts "$app/fixtures/"
cp test/testing-sample/app.module.ts "$app/testing-sample/"
echo '{ "name": "nest12-esm-app", "private": true, "type": "module" }' > "$app/package.json"
cat > "$app/tsconfig.json" <<'JSON'
{
  "compilerOptions": {
    "module": "nodenext",
    "moduleResolution": "nodenext",
    "target": "ES2023",
    "experimentalDecorators": true,
    "emitDecoratorMetadata": true,
    "strict": true
  }
}
JSON
cat > "$app/vitest.config.mjs" <<'JS'
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['fixtures/*.vitest-spec.ts'], testTimeout: 30000 },
  // Nest's injection by type needs decorator metadata, which esbuild does not emit.
  plugins: [swc.vite({ module: { type: 'es6' } })],
});
JS
for platform in express fastify; do
  echo "== Nest 12 ESM + Vitest on $platform"
  (cd "$app" && FIXTURE_PLATFORM="$platform" node "$root/node_modules/vitest/vitest.mjs" run)
done
