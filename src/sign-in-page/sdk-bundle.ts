import { fileURLToPath } from 'node:url';
// A devDependency: the sign-in page belongs to the example app, not to the published package.
import { buildSync } from 'esbuild';

/**
 * The browser globals page.js uses, each the CommonJS exports of a supertokens-web-js module:
 * what the package's prebuilt `bundle/*.js` files declared (`supertokens` is its bundle entry's
 * `{ init }`). The prebuilt files have no WebAuthn recipe, and a recipe bundled on its own would
 * get its own copy of the SDK's singletons ("No instance of Multitenancy found"), so all of them
 * are bundled together here.
 */
const GLOBALS: Record<string, string> = {
  supertokens: 'supertokens-web-js/lib/build/bundleEntry.js',
  supertokensSession: 'supertokens-web-js/recipe/session',
  supertokensEmailPassword: 'supertokens-web-js/recipe/emailpassword',
  supertokensEmailVerification: 'supertokens-web-js/recipe/emailverification',
  supertokensPasswordless: 'supertokens-web-js/recipe/passwordless',
  supertokensThirdParty: 'supertokens-web-js/recipe/thirdparty',
  supertokensMultiFactorAuth: 'supertokens-web-js/recipe/multifactorauth',
  supertokensTOTP: 'supertokens-web-js/recipe/totp',
  supertokensWebAuthn: 'supertokens-web-js/recipe/webauthn',
};

/** The project root (this file is in `src/sign-in-page/` or `dist/sign-in-page/`). */
const root = fileURLToPath(new URL('../..', import.meta.url));

let bundle: string | undefined;

function build(): string {
  const contents = Object.entries(GLOBALS)
    .map(([name, module]) => `globalThis.${name} = require(${JSON.stringify(module)});`)
    .join('\n');
  const result = buildSync({
    stdin: { contents, resolveDir: root, sourcefile: 'sign-in-page-sdk.js', loader: 'js' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    minify: true,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/**
 * supertokens-web-js and the recipes page.js uses, as one browser script that declares the
 * globals above: built the first time it is asked for (a few hundred milliseconds), then the
 * same text for every page of the process.
 */
export function sdkBundle(): string {
  bundle ??= build();
  return bundle;
}
