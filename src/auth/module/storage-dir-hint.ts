import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** The git work tree `path` is in (the nearest folder above with `.git`), if any. */
function workTree(path: string): string | undefined {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Whether git ignores `path` (`git check-ignore`); undefined when git cannot say (not installed). */
function ignoredByGit(tree: string, path: string): Promise<boolean | undefined> {
  return new Promise((resolveIgnored) => {
    execFile(
      'git',
      ['check-ignore', '-q', '--', relative(tree, path)],
      { cwd: tree, timeout: 5000 },
      (error) => {
        const code = (error as { code?: unknown } | null)?.code;
        resolveIgnored(error === null ? true : code === 1 ? false : undefined);
      },
    );
  });
}

/**
 * The warning for a storage directory the embedded core has just created inside a git work tree
 * that does not ignore it: its users, password hashes and signing keys (tens of MB) would go
 * into the next commit. Undefined when there is nothing to say (outside a work tree, ignored, or
 * no git to ask).
 */
export async function storageDirHint(dir: string): Promise<string | undefined> {
  const path = resolve(dir);
  const tree = workTree(path);
  if (!tree || (await ignoredByGit(tree, path)) !== false) return undefined;
  const entry = `${relative(tree, path).split('\\').join('/')}/`;
  return (
    `Created ${path} for the embedded core's data (users, password hashes, signing keys) inside ` +
    `the git work tree ${tree}, which does not ignore it. Add "${entry}" to ${join(tree, '.gitignore')} ` +
    'so that it is never committed.'
  );
}
