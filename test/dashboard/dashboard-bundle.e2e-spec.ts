import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { rawRequest } from '../support/raw-request.js';
import { createTestApp } from '../support/test-app.js';

/** A stand-in for the dashboard's build/ folder (the real one is not in this repository). */
function fakeBundle(): { dir: string; outside: string } {
  const root = mkdtempSync(join(tmpdir(), 'dashboard-bundle-'));
  const dir = join(root, 'build');
  for (const sub of ['static/js', 'static/css', 'static/media']) {
    mkdirSync(join(dir, sub), { recursive: true });
  }
  writeFileSync(join(dir, 'static/js/bundle.js'), 'console.log("dashboard");');
  writeFileSync(join(dir, 'static/css/main.css'), 'body { color: black; }');
  writeFileSync(join(dir, 'static/media/logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(dir, 'static/media/data.bin'), Buffer.from([0, 1, 2]));
  writeFileSync(join(dir, '.env'), 'HIDDEN=1');
  const outside = join(root, 'secret.txt');
  writeFileSync(outside, 'TOP-SECRET');
  symlinkSync(outside, join(dir, 'static/media/escape.svg'));
  return { dir, outside };
}

describe('dashboard.bundleDir', () => {
  let app: INestApplication<App>;
  let root: string;
  const get = (path: string) => rawRequest(app, 'GET', path, {});

  beforeAll(async () => {
    const { dir } = fakeBundle();
    root = join(dir, '..');
    app = await createTestApp({ dashboard: { bundleDir: dir } });
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('renders the page with the local bundle path and a policy of only its own origin', async () => {
    const page = await request(app.getHttpServer()).get('/auth/dashboard');
    expect(page.status).toBe(200);
    expect(page.text).toContain('src="/auth/dashboard/bundle/static/js/bundle.js"');
    expect(page.text).toContain('href="/auth/dashboard/bundle/static/css/main.css"');
    expect(page.text).toContain('window.staticBasePath = "/auth/dashboard/bundle/static"');
    expect(page.text).not.toMatch(/jsdelivr|\.invalid/);
    const csp = page.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self' 'unsafe-inline';");
    expect(csp).toContain("img-src 'self' data:;");
    expect(csp).not.toMatch(/https?:/);
    // Flags and fonts are blocked on purpose: their violations must not replace the whole UI.
    expect(page.text).toContain(
      '["https://purecatamphetamine.github.io","https://fonts.googleapis.com","https://fonts.gstatic.com"]',
    );
  });

  it('serves bundle files with their types, cache headers and the dashboard policy', async () => {
    const js = await request(app.getHttpServer()).get('/auth/dashboard/bundle/static/js/bundle.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.text).toBe('console.log("dashboard");');
    expect(js.headers['cache-control']).toBe('public, max-age=3600');
    expect(js.headers['x-content-type-options']).toBe('nosniff');
    expect(js.headers['content-length']).toBe('25');
    expect(js.headers['content-security-policy']).toContain("default-src 'self'");
    const types = await Promise.all(
      ['static/css/main.css', 'static/media/logo.svg', 'static/media/data.bin'].map(async (f) => {
        const response = await get(`/auth/dashboard/bundle/${f}?v=1`);
        return [response.status, response.headers['content-type']];
      }),
    );
    expect(types).toEqual([
      [200, 'text/css; charset=utf-8'],
      [200, 'image/svg+xml'],
      [200, 'application/octet-stream'],
    ]);
  });

  it('answers 304 to a matching ETag, HEAD without a body, 405 to writes', async () => {
    const first = await get('/auth/dashboard/bundle/static/css/main.css');
    const etag = first.headers.etag!;
    const again = await rawRequest(app, 'GET', '/auth/dashboard/bundle/static/css/main.css', {
      'if-none-match': etag,
    });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    const head = await rawRequest(app, 'HEAD', '/auth/dashboard/bundle/static/css/main.css', {});
    expect([head.status, head.body, head.headers['content-length']]).toEqual([200, '', '22']);
    const post = await rawRequest(app, 'POST', '/auth/dashboard/bundle/static/css/main.css', {});
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it.each([
    ['/auth/dashboard/bundle/..%2f..%2fsecret.txt', 400, /Encoded "\/"/],
    ['/auth/dashboard/bundle/static%2f..%2f..%2fsecret.txt', 400, /Encoded "\/"/],
    ['/auth/dashboard/bundle/..%5c..%5csecret.txt', 400, /Encoded/],
    ['/auth/dashboard/bundle/%252e%252e/secret.txt', 404, /Not found/],
    ['/auth/dashboard/bundle/static/js/bundle.js%00.txt', 400, /NUL/],
    ['/auth/dashboard/bundle/.env', 400, /Hidden files/],
    // Express refuses it before the module sees it, also with a 400 naming the bad part.
    ['/auth/dashboard/bundle/static/%zz', 400, /%zz|percent-encoding/],
    ['/auth/dashboard/bundle/static/media/escape.svg', 404, /Not found/],
    ['/auth/dashboard/bundle/static/media/missing.svg', 404, /Not found/],
    ['/auth/dashboard/bundle/static', 404, /Not found/],
  ])('refuses %s with %i', async (path, status, message) => {
    const response = await get(path);
    expect({ status: response.status, body: JSON.parse(response.body) as unknown }).toEqual({
      status,
      body: expect.objectContaining({
        message: expect.stringMatching(message) as string,
      }) as object,
    });
    expect(response.body).not.toContain('TOP-SECRET');
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('never serves a file outside the folder through dot segments the URL parser resolves', async () => {
    for (const path of [
      '/auth/dashboard/bundle/../../../secret.txt',
      '/auth/dashboard/bundle/%2e%2e/%2e%2e/%2e%2e/secret.txt',
      '/auth/dashboard/bundle/static\\..\\..\\secret.txt',
    ]) {
      const response = await get(path);
      expect({ path, leaked: response.body.includes('TOP-SECRET') }).toEqual({
        path,
        leaked: false,
      });
    }
  });

  it('sends no policy with the auth APIs', async () => {
    const api = await request(app.getHttpServer()).post('/auth/signin').send({});
    expect(api.headers['content-security-policy']).toBeUndefined();
  });
});

describe('dashboard.bundleDir at start-up', () => {
  it('refuses a folder without the bundle, naming the option and the fix', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'dashboard-empty-'));
    try {
      await expect(createTestApp({ dashboard: { bundleDir: empty } })).rejects.toThrow(
        /dashboard\.bundleDir: .* has no static\/js\/bundle\.js\. Copy the build\/ folder/,
      );
      await expect(
        createTestApp({ dashboard: { bundleDir: join(empty, 'nope') } }),
      ).rejects.toThrow(/dashboard\.bundleDir: .*nope does not exist/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('refuses bundleDir with bundleLocation, and unknown external assets', async () => {
    await expect(
      createTestApp({ dashboard: { bundleDir: '.', bundleLocation: 'https://x.example/build/' } }),
    ).rejects.toThrow(/set bundleLocation .* or bundleDir .*, not both/);
    await expect(
      createTestApp({ dashboard: { allowExternal: ['flags', 'analytics' as 'flags'] } }),
    ).rejects.toThrow(/dashboard\.allowExternal must be an array of 'flags' and 'fonts'/);
  });

  it('allows the flags when asked, and keeps the screen quiet only for the fonts', async () => {
    const { dir } = fakeBundle();
    const app = await createTestApp({ dashboard: { bundleDir: dir, allowExternal: ['flags'] } });
    try {
      const page = await request(app.getHttpServer()).get('/auth/dashboard');
      expect(page.headers['content-security-policy']).toContain(
        "img-src 'self' data: https://purecatamphetamine.github.io/country-flag-icons/3x2/;",
      );
      expect(page.text).toContain('["https://fonts.googleapis.com","https://fonts.gstatic.com"]');
    } finally {
      await app.close();
      rmSync(join(dir, '..'), { recursive: true, force: true });
    }
  });
});
