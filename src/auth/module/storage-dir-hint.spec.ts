import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storageDirHint } from './storage-dir-hint.js';

describe('storageDirHint', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'nst-hint-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const repo = () => {
    execFileSync('git', ['init', '-q', root]);
    const data = join(root, 'app', '.supertokens');
    mkdirSync(data, { recursive: true });
    return data;
  };

  it('names the directory and the line to add when a work tree does not ignore it', async () => {
    const data = repo();
    expect(await storageDirHint(data)).toBe(
      `Created ${data} for the embedded core's data (users, password hashes, signing keys) ` +
        `inside the git work tree ${root}, which does not ignore it. Add "app/.supertokens/" to ` +
        `${join(root, '.gitignore')} so that it is never committed.`,
    );
  });

  it('says nothing when the work tree ignores it', async () => {
    const data = repo();
    writeFileSync(join(root, '.gitignore'), '.supertokens/\n');
    expect(await storageDirHint(data)).toBeUndefined();
  });

  it('says nothing outside a git work tree', async () => {
    const data = join(root, '.supertokens');
    mkdirSync(data);
    expect(await storageDirHint(data)).toBeUndefined();
  });
});
