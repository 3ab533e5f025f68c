// Runs the built package under Node's own ESM loader (jest's module interop is more lenient, so
// an import that only works under jest fails here): starts the example app on a free port and
// drives sign-up and a guarded route over HTTP.
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../dist/app.module.js';
import { startEmbeddedCore } from '../dist/core/index.js';
import { createUserAndSession } from '../dist/testing/index.js';

const core = await startEmbeddedCore();
await core.stop();

const app = await NestFactory.create(AppModule, { logger: ['error'] });
await app.listen(0, '127.0.0.1');
const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;
const fail = async (message) => {
  console.error(`smoke: ${message}`);
  await app.close();
  process.exit(1);
};

const signUp = await fetch(`${base}/auth/signup`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'st-auth-mode': 'header' },
  body: JSON.stringify({
    formFields: [
      { id: 'email', value: 'smoke@example.com' },
      { id: 'password', value: 'smoke-pass-123' },
    ],
  }),
});
const token = signUp.headers.get('st-access-token');
if (signUp.status !== 200 || !token) await fail(`sign-up answered ${signUp.status}`);
const me = await fetch(`${base}/me`, { headers: { authorization: `Bearer ${token}` } });
if (me.status !== 200) await fail(`GET /me answered ${me.status}`);
const admin = await fetch(`${base}/admin`, { headers: { authorization: `Bearer ${token}` } });
if (admin.status !== 403) await fail(`GET /admin answered ${admin.status}, expected 403`);
const helper = await createUserAndSession(app, { roles: ['admin'] });
const asAdmin = await fetch(`${base}/admin`, { headers: helper.headers });
if (asAdmin.status !== 200) await fail(`GET /admin with a helper admin session answered ${asAdmin.status}`);
await app.close();
console.log('smoke: the built example app and testing helpers work under Node ESM');
