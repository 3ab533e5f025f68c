#!/usr/bin/env node
// The layout's two rules, checked in `npm run lint` over every import in src/ (type-only ones
// too: a cycle closed by `import type` still ties its files together):
// - no import cycles;
// - src/core (the embedded core) never imports src/auth (the Nest module built on it);
// - supertokens-node's private files (`supertokens-node/lib/...`) are imported only by
//   src/auth/sdk/, the one adapter whose spec pins what it assumes about them;
// - in the embedded core, services (`*.service.ts`) decide outcomes and never shape answers:
//   they import neither src/core/views.ts nor the HTTP route types;
// - outside src/core/store/, the embedded core sees storage only through the per-recipe
//   interfaces (src/core/store/storage/) and the records: never a concrete store (memory/,
//   sql/); services not even the `Store` sum (each names the narrow interfaces it needs).
// Reads imports with TypeScript's own pre-processor; prints each violation and exits 1.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '..');
const src = join(root, 'src');

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** The project file a relative specifier names (`./x.js` is `./x.ts`), if any. */
function resolveImport(from, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

const files = sourceFiles(src);
const name = (file) => relative(root, file);
const problems = [];
const adapter = join(src, 'auth', 'sdk') + '/';
const graph = new Map(
  files.map((file) => {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (fileName.startsWith('supertokens-node/lib/') && !file.startsWith(adapter)) {
        problems.push(
          `${name(file)} imports ${fileName}: supertokens-node internals belong in src/auth/sdk/`,
        );
      }
    }
    const targets = importedFiles.map((i) => resolveImport(file, i.fileName)).filter(Boolean);
    return [file, [...new Set(targets)]];
  }),
);

for (const [file, targets] of graph) {
  if (!file.startsWith(join(src, 'core') + '/')) continue;
  for (const target of targets) {
    if (target.startsWith(join(src, 'auth') + '/')) {
      problems.push(`${name(file)} imports ${name(target)}: src/core must not depend on src/auth`);
    }
  }
}

const views = join(src, 'core', 'views.ts');
const route = join(src, 'core', 'http', 'route.ts');
for (const [file, targets] of graph) {
  if (!file.startsWith(join(src, 'core') + '/') || !file.endsWith('.service.ts')) continue;
  for (const target of targets.filter((t) => t === views || t === route)) {
    problems.push(
      `${name(file)} imports ${name(target)}: core services return outcomes; routes shape answers`,
    );
  }
}

const storeDir = join(src, 'core', 'store') + '/';
const concrete = [join(storeDir, 'memory') + '/', join(storeDir, 'sql') + '/'];
const wiring = [join(src, 'core', 'index.ts'), join(storeDir, 'open-store.ts')];
for (const [file, targets] of graph) {
  if (!file.startsWith(join(src, 'core') + '/') || file.startsWith(storeDir)) continue;
  for (const target of targets) {
    if (concrete.some((dir) => target.startsWith(dir)) && !wiring.includes(file)) {
      problems.push(
        `${name(file)} imports ${name(target)}: only store/open-store.ts picks a concrete store`,
      );
    }
    if (file.endsWith('.service.ts') && target === join(storeDir, 'store.interface.ts')) {
      problems.push(
        `${name(file)} imports ${name(target)}: a service names the storage/*.storage.ts interfaces it needs`,
      );
    }
  }
}

// Cycles: depth-first search, reporting each cycle once (by its smallest rotation).
const state = new Map();
const stack = [];
const seen = new Set();
function visit(file) {
  state.set(file, 'open');
  stack.push(file);
  for (const target of graph.get(file) ?? []) {
    if (state.get(target) === 'open') {
      const cycle = stack.slice(stack.indexOf(target)).map(name);
      const start = cycle.indexOf([...cycle].sort()[0]);
      const key = [...cycle.slice(start), ...cycle.slice(0, start)].join(' → ');
      if (!seen.has(key)) {
        seen.add(key);
        problems.push(`import cycle: ${key} → ${cycle[start]}`);
      }
    } else if (!state.has(target)) visit(target);
  }
  stack.pop();
  state.set(file, 'done');
}
for (const file of files) if (!state.has(file)) visit(file);

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(
  `layout: ${files.length} files, no import cycles, src/core independent of src/auth, ` +
    'SDK internals only in src/auth/sdk/, core services shape no answers and see narrow storage',
);
