#!/usr/bin/env node
// `npm start`, `npm run core` and `npm run dashboard`: runs a file of the build, building first
// only when something the build is made from changed since the last build (or there is none),
// so a helper command starts in about a second instead of rebuilding every time.
//   node scripts/run-built.mjs dist/main.js [args...]
//   node scripts/run-built.mjs --build-only     (the suites that start built processes)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const stamp = join(root, 'dist', '.build-stamp');
const [entry, ...args] = process.argv.slice(2);
const buildOnly = entry === '--build-only';
if (!entry) {
  console.error('usage: node scripts/run-built.mjs <dist file> [args...] | --build-only');
  process.exit(2);
}

/** The newest modification time under these paths (files and folders, recursively). */
function newest(paths) {
  let latest = 0;
  const visit = (path) => {
    if (!existsSync(path)) return;
    const stats = statSync(path);
    latest = Math.max(latest, stats.mtimeMs);
    if (stats.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  for (const path of paths) visit(join(root, path));
  return latest;
}

const inputs = ['src', 'package.json', 'nest-cli.json', 'tsconfig.json', 'tsconfig.build.json'];
const target = buildOnly ? 'dist/main.js' : entry;
const built = existsSync(stamp) && existsSync(join(root, target)) ? statSync(stamp).mtimeMs : 0;
if (newest(inputs) > built) {
  const started = Date.now();
  // Stamped before the build starts: a file saved during the build triggers the next one.
  const stampTime = new Date();
  const build = spawnSync(
    process.execPath,
    [join(root, 'node_modules/@nestjs/cli/bin/nest.js'), 'build'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (build.status !== 0) process.exit(build.status ?? 1);
  writeFileSync(stamp, `${stampTime.toISOString()}\n`);
  console.error(`[run-built] built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (buildOnly) process.exit(0);

const child = spawn(process.execPath, [join(root, entry), ...args], {
  cwd: process.cwd(),
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
