import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/core/store/open-store.js';

/**
 * A new PGlite directory gets its cluster from a template cached in the user's cache directory
 * (built by initdb in a child process the first time): the cache is written once, reused, and a
 * damaged cache file is rebuilt instead of breaking start-up.
 */
describe('PGlite cluster template', () => {
  let root: string;
  const savedCache = process.env.XDG_CACHE_HOME;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'nst-cluster-'));
    process.env.XDG_CACHE_HOME = join(root, 'cache');
  });
  afterAll(() => {
    process.env.XDG_CACHE_HOME = savedCache;
    rmSync(root, { recursive: true, force: true });
  });
  const templateFiles = () => readdirSync(join(root, 'cache', 'nest-supertokens'));

  async function openAndUse(name: string): Promise<void> {
    const { store } = await openStore({ dir: join(root, name) });
    try {
      expect(await store.hasApp('public')).toBe(true);
    } finally {
      await store.close();
    }
    expect(existsSync(join(root, name, 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(root, name, '.initdb'))).toBe(false);
  }

  it('builds the template once, then new directories start from it', async () => {
    await openAndUse('first');
    const [template] = templateFiles();
    expect(template).toMatch(/^pglite-[\d.]+-cluster\.tar\.gz$/);
    const file = join(root, 'cache', 'nest-supertokens', template);
    const written = statSync(file).mtimeMs;
    expect(statSync(join(root, 'cache', 'nest-supertokens')).mode & 0o777).toBe(0o700);

    await openAndUse('second');
    expect(statSync(file).mtimeMs).toBe(written);
  }, 60_000);

  it('rebuilds a damaged template instead of failing', async () => {
    const [template] = templateFiles();
    const file = join(root, 'cache', 'nest-supertokens', template);
    writeFileSync(file, 'not a gzip file');
    await openAndUse('third');
    expect(statSync(file).size).toBeGreaterThan(1_000_000);
  }, 60_000);
});
