// Runs the built package under Node's own ESM loader (jest's module interop is more lenient, so
// an import that only works under jest fails here): starts the example app on a free port and
// drives sign-up and a guarded route over HTTP, then the built dashboard command against its core.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../dist/app.module.js';
import { AuthInfo } from '../dist/auth/index.js';
import { startEmbeddedCore } from '../dist/core/index.js';
import { createUserAndSession } from '../dist/testing/index.js';
import { signUpForToken } from './lib/smoke-client.mjs';

const core = await startEmbeddedCore();
await core.stop();

// The example app on its default storage kind (PGlite in a directory), in a fresh directory.
const storageDir = mkdtempSync(join(tmpdir(), 'nest-supertokens-smoke-'));
process.env.SUPERTOKENS_STORAGE = storageDir;
process.on('exit', () => rmSync(storageDir, { recursive: true, force: true }));

const app = await NestFactory.create(AppModule, { logger: ['error'] });
await app.listen(0, '127.0.0.1');
const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;
const fail = async (message) => {
  console.error(`smoke: ${message}`);
  await app.close();
  process.exit(1);
};

// The sign-in page and its supertokens-web-js bundle, from the build (assets copied by nest build).
const pageHtml = await fetch(`${base}/`);
if (pageHtml.status !== 200 || !(await pageHtml.text()).includes('/sign-in-page/page.js'))
  await fail(`GET / answered ${pageHtml.status} without the sign-in page`);
for (const file of ['page.js', 'page.css', 'vendor/sdk.js', 'vendor/qrcode.js']) {
  const asset = await fetch(`${base}/sign-in-page/${file}`);
  if (asset.status !== 200) await fail(`GET /sign-in-page/${file} answered ${asset.status}`);
}

const signUp = await signUpForToken(base, 'smoke@example.com', 'smoke-pass-123');
const token = signUp.token;
if (signUp.status !== 200 || !token) await fail(`sign-up answered ${signUp.status}`);
const me = await fetch(`${base}/me`, { headers: { authorization: `Bearer ${token}` } });
if (me.status !== 200) await fail(`GET /me answered ${me.status}`);
const admin = await fetch(`${base}/admin`, { headers: { authorization: `Bearer ${token}` } });
if (admin.status !== 403) await fail(`GET /admin answered ${admin.status}, expected 403`);
const helper = await createUserAndSession(app, { roles: ['admin'] });
const asAdmin = await fetch(`${base}/admin`, { headers: helper.headers });
if (asAdmin.status !== 200)
  await fail(`GET /admin with a helper admin session answered ${asAdmin.status}`);

// The dashboard command as a user runs it (its own process, the password on stdin), then a
// dashboard sign-in with that login through the app.
const { connectionURI, embeddedCore } = app.get(AuthInfo, { strict: false }) ?? {};
if (!connectionURI) await fail('no AuthInfo');
const command = promisify(execFile)(
  process.execPath,
  [
    'dist/auth/dashboard/cli.js',
    'users',
    'create',
    '--email',
    'ops@example.com',
    '--password-stdin',
  ],
  {
    env: {
      ...process.env,
      SUPERTOKENS_CONNECTION_URI: connectionURI,
      SUPERTOKENS_API_KEY: embeddedCore?.apiKey,
    },
  },
);
command.child.stdin.end('smoke-ops-123\n');
const { stdout } = await command;
if (!stdout.includes('Created dashboard user ops@example.com')) await fail(`dashboard: ${stdout}`);
const dashboardSignIn = await fetch(`${base}/auth/dashboard/api/signin`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: 'ops@example.com', password: 'smoke-ops-123' }),
});
const { status } = await dashboardSignIn.json();
if (status !== 'OK') await fail(`dashboard sign-in answered ${status}`);

await app.close();
console.log(
  'smoke: the built example app (with its sign-in page), testing helpers and dashboard command work under Node ESM',
);
