import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AuthModuleOptions } from '../auth/index.js';

/** A file of the page: what to answer a GET with. */
export interface PageFile {
  type: string;
  body: string | Buffer;
}

/** The third-party providers of the module's options, as the page offers them. */
export function pageProviders(options: AuthModuleOptions): { id: string; name: string }[] {
  return (options.thirdParty?.providers ?? []).map(({ config }) => ({
    id: config.thirdPartyId,
    name: config.name ?? config.thirdPartyId.charAt(0).toUpperCase() + config.thirdPartyId.slice(1),
  }));
}

/** supertokens-web-js bundles the page loads, in order (`website` holds their shared runtime). */
const VENDOR = [
  'website',
  'supertokens',
  'session',
  'emailpassword',
  'passwordless',
  'thirdparty',
  'multifactorauth',
  'totp',
];

const here = dirname(fileURLToPath(import.meta.url));

const escapeHtml = (value: string): string =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** supertokens-web-js's `bundle/` files by name (their file names carry a content hash). */
function vendorFiles(): Map<string, string> {
  const require = createRequire(import.meta.url);
  const bundle = join(dirname(require.resolve('supertokens-web-js/package.json')), 'bundle');
  const files = new Map<string, string>();
  for (const file of readdirSync(bundle)) {
    const name = /^([a-z]+)\.[0-9a-f]+\.js$/.exec(file)?.[1];
    if (name && VENDOR.includes(name)) files.set(name, join(bundle, file));
  }
  const missing = VENDOR.filter((name) => !files.has(name));
  if (missing.length > 0) {
    throw new Error(`supertokens-web-js has no ${missing.join(', ')} bundle in ${bundle}`);
  }
  // The TOTP step's QR code, drawn in the page (the secret never leaves it).
  // Its CommonJS entry is a plain script: it declares a global `qrcode`.
  files.set('qrcode', require.resolve('qrcode-generator'));
  return files;
}

/**
 * The example sign-in page (`/`) and its files under `/sign-in-page/`: its HTML, script and
 * styles, and supertokens-web-js's browser bundles straight from node_modules (no CDN, no build).
 * `apiDomain` is empty when the page is served by the API itself (same origin).
 */
export class SignInPage {
  private readonly files = new Map<string, PageFile>();

  constructor({
    apiDomain,
    apiBasePath,
    providers = [],
    mfa = false,
  }: {
    apiDomain: string;
    apiBasePath: string;
    /** Third-party providers to offer ("Sign in with …"): id and display name. */
    providers?: { id: string; name: string }[];
    /** The TOTP step after the first factor (`MFA=totp`). */
    mfa?: boolean;
  }) {
    const scripts = [...VENDOR, 'qrcode']
      .map((name) => `vendor/${name}.js`)
      .concat('page.js')
      .map((file) => `<script src="/sign-in-page/${file}"></script>`)
      .join('\n    ');
    const html = readFileSync(join(here, 'index.html'), 'utf8')
      .replaceAll('{{API_DOMAIN}}', escapeHtml(apiDomain))
      .replaceAll('{{API_BASE_PATH}}', escapeHtml(apiBasePath))
      .replaceAll('{{PROVIDERS}}', escapeHtml(JSON.stringify(providers)))
      .replaceAll('{{MFA}}', mfa ? 'totp' : '')
      .replace('{{SCRIPTS}}', scripts);
    const text = (type: string, body: string): PageFile => ({
      type: `${type}; charset=utf-8`,
      body,
    });
    this.files.set('/', text('text/html', html));
    this.files.set(
      '/sign-in-page/page.js',
      text('text/javascript', readFileSync(join(here, 'page.js'), 'utf8')),
    );
    this.files.set(
      '/sign-in-page/page.css',
      text('text/css', readFileSync(join(here, 'page.css'), 'utf8')),
    );
    for (const [name, path] of vendorFiles()) {
      this.files.set(
        `/sign-in-page/vendor/${name}.js`,
        text('text/javascript', readFileSync(path, 'utf8')),
      );
    }
  }

  /** The file at this path (query string ignored), or undefined. `/callback/<provider>` is the page. */
  get(path: string): PageFile | undefined {
    const bare = path.split('?')[0] ?? '';
    return this.files.get(/^\/callback\/[a-z0-9-]+$/.test(bare) ? '/' : bare);
  }
}
