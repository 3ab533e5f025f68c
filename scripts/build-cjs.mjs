#!/usr/bin/env node
// The CommonJS build of the library (dist/cjs/{auth,core,testing}), beside the ESM one in dist/:
// for CommonJS apps and for Jest in CommonJS mode, which cannot load ES modules. The sources are
// copied to .build-cjs/ with the one ESM-only expression swapped (import.meta.resolve), then
// compiled with module: commonjs. dist/cjs/package.json marks the folder as CommonJS.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const work = join(root, '.build-cjs');
const out = join(root, 'dist', 'cjs');

rmSync(work, { recursive: true, force: true });
rmSync(out, { recursive: true, force: true });
for (const folder of ['auth', 'core', 'testing']) {
  cpSync(join(root, 'src', folder), join(work, 'src', folder), {
    recursive: true,
    filter: (path) => !path.endsWith('.spec.ts'),
  });
}

/** Replaces `from` in a copied file, failing loudly if the source no longer has it. */
function swap(file, from, to) {
  const path = join(work, 'src', file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`build-cjs: ${file} no longer contains ${from}`);
  writeFileSync(path, text.replace(from, to));
}
swap(
  'core/store/sql/pglite.cluster.ts',
  "import.meta.resolve('@electric-sql/pglite')",
  "require('node:url').pathToFileURL(require.resolve('@electric-sql/pglite')).href",
);

writeFileSync(
  join(work, 'tsconfig.json'),
  JSON.stringify(
    {
      extends: '../tsconfig.build.json',
      compilerOptions: {
        module: 'commonjs',
        moduleResolution: 'node10',
        ignoreDeprecations: '6.0',
        rootDir: './src',
        outDir: '../dist/cjs',
        sourceMap: false,
        paths: {},
      },
      include: ['src'],
      exclude: [],
    },
    null,
    2,
  ),
);
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(work, 'tsconfig.json')], {
  stdio: 'inherit',
});
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
rmSync(work, { recursive: true, force: true });
console.log('build-cjs: dist/cjs/{auth,core,testing}');
