#!/usr/bin/env node
// Type-checks a consumer of the built package under the three module set-ups apps use: the classic
// Nest tsconfig (module commonjs, moduleResolution node: `main`/`types`/`typesVersions`), node16
// CommonJS (the `require` condition) and nodenext ESM (the `import` condition). Each imports every
// entry point by name, as an app would, through node_modules/nest-supertokens → this checkout.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const consumer = `
import { AuthModule, AuthGuard, type AuthModuleOptions } from 'nest-supertokens';
import { startEmbeddedCore, type EmbeddedCore } from 'nest-supertokens/core';
import { authTestingOptions } from 'nest-supertokens/testing';

const options: AuthModuleOptions = authTestingOptions({ roles: true });
export const imports = [AuthModule.forRoot(options)];
export const guard: typeof AuthGuard = AuthGuard;
export const core: Promise<EmbeddedCore> = startEmbeddedCore({ port: 0, storage: 'memory' });
`;

const setups = {
  'classic (module commonjs, moduleResolution node)': {
    type: 'commonjs',
    compilerOptions: { module: 'commonjs', moduleResolution: 'node', ignoreDeprecations: '6.0' },
  },
  'node16, CommonJS': { type: 'commonjs', compilerOptions: { module: 'node16' } },
  'nodenext, ESM': { type: 'module', compilerOptions: { module: 'nodenext' } },
};

let failed = false;
for (const [name, { type, compilerOptions }] of Object.entries(setups)) {
  const dir = mkdtempSync(join(tmpdir(), 'nest-supertokens-types-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(root, join(dir, 'node_modules', 'nest-supertokens'), 'dir');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', type }));
    writeFileSync(join(dir, 'index.ts'), consumer);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          ...compilerOptions,
          target: 'ES2022',
          strict: true,
          esModuleInterop: true,
          experimentalDecorators: true,
          skipLibCheck: true,
          noEmit: true,
          types: [],
        },
        files: ['index.ts'],
      }),
    );
    execFileSync(process.execPath, [tsc, '-p', dir], { stdio: 'pipe' });
    console.log(`package types: ${name}: ok`);
  } catch (error) {
    failed = true;
    console.error(`package types: ${name}: FAILED\n${error.stdout ?? ''}${error.stderr ?? ''}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
process.exit(failed ? 1 : 0);
