// The CommonJS build under Node's own `require` (what a CommonJS Nest app does): an app on the
// embedded core (PGlite in a new directory, which runs PGlite's entry resolved the CommonJS way),
// sign-up and a guarded route; then the dual-package hazard: with the ESM build loaded too, a
// second AuthModule app is refused while the first runs, and starts once it is closed.
require('reflect-metadata');
const { mkdtempSync, rmSync, writeSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { Controller, Get, Module, UseGuards } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const cjs = require('../dist/cjs/auth/index.js');
const { authTestingOptions } = require('../dist/cjs/testing/index.js');

const fail = (message) => {
  // Written synchronously: process.exit() would cut an asynchronous write to a pipe short.
  writeSync(2, `smoke-cjs: ${message}\n`);
  process.exit(1);
};

class MeController {
  me() {
    return { ok: true };
  }
}
Controller()(MeController);
const me = Object.getOwnPropertyDescriptor(MeController.prototype, 'me');
Get('me')(MeController.prototype, 'me', me);
UseGuards(cjs.AuthGuard)(MeController.prototype, 'me', me);

function appModule(auth, options) {
  class SmokeModule {}
  Module({ imports: [auth.AuthModule.forRoot(options)], controllers: [MeController] })(SmokeModule);
  return SmokeModule;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'nest-supertokens-cjs-'));
  try {
    const options = authTestingOptions({ embeddedCore: { storage: { dir } } });
    const app = await NestFactory.create(appModule(cjs, options), { logger: ['error'] });
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;
    const { signUpForToken } = await import('./lib/smoke-client.mjs');
    const signUp = await signUpForToken(base, 'cjs@example.com', 'cjs-pass-123');
    const token = signUp.token;
    if (signUp.status !== 200 || !token) fail(`sign-up answered ${signUp.status}`);
    const guarded = await fetch(`${base}/me`, { headers: { authorization: `Bearer ${token}` } });
    if (guarded.status !== 200) fail(`GET /me answered ${guarded.status}`);

    // The ESM build in the same process: one supertokens-node, so one claim for both builds.
    const esm = await import('../dist/auth/index.js');
    const second = await NestFactory.create(appModule(esm, authTestingOptions()), {
      logger: false,
      abortOnError: false,
    }).then(
      () => undefined,
      (error) => error,
    );
    if (!second || !/another Nest app using AuthModule is still running/.test(second.message))
      fail(`the ESM build started a second app beside the CommonJS one (${second?.message})`);
    await app.close();
    const third = await NestFactory.create(appModule(esm, authTestingOptions()), { logger: false });
    await third.init();
    await third.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('smoke-cjs: the CommonJS build works under require, and shares the SDK claim with the ESM build');
}

main().catch((error) => fail(error.stack ?? String(error)));
