import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AuthModuleOptions } from '../auth/index.js';
import { sdkBundle } from './sdk-bundle.js';

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

const here = dirname(fileURLToPath(import.meta.url));

const escapeHtml = (value: string): string =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/**
 * Where the recovery email's link opens the page: the SDK's `<websiteDomain><websiteBasePath>
 * /webauthn/recover?token=…&tenantId=…`, with the example's websiteBasePath, the default `/auth`.
 */
export const RECOVER_PATH = '/auth/webauthn/recover';

/**
 * Where the verification email's link opens the page: the SDK's `<websiteDomain><websiteBasePath>
 * /verify-email?token=…&tenantId=…`. The page verifies the email with the token in the URL.
 */
export const VERIFY_EMAIL_PATH = '/auth/verify-email';

/** The paths that are the page itself: `/`, a provider's way back, the emails' links. */
const pagePath = (path: string): boolean =>
  path === '/' ||
  path === RECOVER_PATH ||
  path === VERIFY_EMAIL_PATH ||
  /^\/callback\/[a-z0-9-]+$/.test(path);

/**
 * The example sign-in page (`/`) and its files under `/sign-in-page/`: its HTML, script and
 * styles, supertokens-web-js bundled for the browser from node_modules (`sdkBundle()`) and
 * qrcode-generator's script (no CDN). `apiDomain` is empty when the page is served by the API
 * itself (same origin).
 */
export class SignInPage {
  private readonly files = new Map<string, PageFile>();

  constructor({
    apiDomain,
    apiBasePath,
    providers = [],
    mfa = false,
    webauthn = false,
  }: {
    apiDomain: string;
    apiBasePath: string;
    /** Third-party providers to offer ("Sign in with …"): id and display name. */
    providers?: { id: string; name: string }[];
    /** The TOTP step after the first factor (`MFA=totp`). */
    mfa?: boolean;
    /** Passkeys: sign up, sign in, manage and recover them (the module's `webauthn` option). */
    webauthn?: boolean;
  }) {
    const text = (type: string, body: string): PageFile => ({
      type: `${type}; charset=utf-8`,
      body,
    });
    const require = createRequire(import.meta.url);
    const vendor = {
      sdk: sdkBundle(),
      // The TOTP step's QR code, drawn in the page (the secret never leaves it).
      // Its CommonJS entry is a plain script: it declares a global `qrcode`.
      qrcode: readFileSync(require.resolve('qrcode-generator'), 'utf8'),
    };
    // Vendor files are cached for an hour: their URLs change with their content.
    const scripts = Object.entries(vendor)
      .map(([name, body]) => {
        this.files.set(`/sign-in-page/vendor/${name}.js`, text('text/javascript', body));
        const version = createHash('sha256').update(body).digest('hex').slice(0, 12);
        return `vendor/${name}.js?v=${version}`;
      })
      .concat('page.js')
      .map((file) => `<script src="/sign-in-page/${file}"></script>`)
      .join('\n    ');
    const html = readFileSync(join(here, 'index.html'), 'utf8')
      .replaceAll('{{API_DOMAIN}}', escapeHtml(apiDomain))
      .replaceAll('{{API_BASE_PATH}}', escapeHtml(apiBasePath))
      .replaceAll('{{PROVIDERS}}', escapeHtml(JSON.stringify(providers)))
      .replaceAll('{{MFA}}', mfa ? 'totp' : '')
      .replaceAll('{{WEBAUTHN}}', webauthn ? 'on' : '')
      .replace('{{SCRIPTS}}', scripts);
    this.files.set('/', text('text/html', html));
    this.files.set(
      '/sign-in-page/page.js',
      text('text/javascript', readFileSync(join(here, 'page.js'), 'utf8')),
    );
    this.files.set(
      '/sign-in-page/page.css',
      text('text/css', readFileSync(join(here, 'page.css'), 'utf8')),
    );
  }

  /** The file at this path (query string ignored), or undefined; see `pagePath` for the page. */
  get(path: string): PageFile | undefined {
    const bare = path.split('?')[0] ?? '';
    return this.files.get(pagePath(bare) ? '/' : bare);
  }
}
