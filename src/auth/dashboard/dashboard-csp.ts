import { DASHBOARD_VERSION } from '../sdk/sdk-internals.js';

/** Where supertokens-node 24 loads the dashboard UI from (its `getDashboardBundleLocation`). */
export const DEFAULT_DASHBOARD_BUNDLE = `https://cdn.jsdelivr.net/gh/supertokens/dashboard@v${DASHBOARD_VERSION}/build/`;

/** Something the dashboard UI loads from outside its bundle. */
export type DashboardExternalAsset = 'flags' | 'fonts';

/**
 * Everything the dashboard UI loads from outside its own bundle, as CSP sources per directive.
 * Read from the bundle's build output (`static/js/bundle.js`, `static/css/main.css`) of
 * supertokens/dashboard; `bundleVersion` is the version supertokens-node loaded when the list was
 * taken. A unit test fails when the SDK's pinned version changes: re-read the new bundle then.
 *
 * - `flags`: the phone-number input (user details, add user) shows each country's flag from
 *   `purecatamphetamine.github.io/country-flag-icons/3x2/<XX>.svg` (react-phone-number-input's
 *   `flagUrl`). Blocked, the page's CSP-violation handler replaces the whole UI.
 * - `fonts`: `main.css` imports Rubik and Source Code Pro from Google Fonts, whose CSS loads the
 *   font files from `fonts.gstatic.com`. Blocked, the UI uses fallback fonts.
 *
 * Nothing else leaves the page: API calls go to this origin (`<apiBasePath>/dashboard/api/*`),
 * media come from the bundle.
 */
export const DASHBOARD_EXTERNAL_SOURCES: {
  readonly bundleVersion: string;
  readonly assets: Readonly<Record<DashboardExternalAsset, ExternalSources>>;
} = {
  bundleVersion: '0.15',
  assets: {
    flags: { imgSrc: ['https://purecatamphetamine.github.io/country-flag-icons/3x2/'] },
    fonts: {
      styleSrc: ['https://fonts.googleapis.com/css2'],
      fontSrc: ['https://fonts.gstatic.com'],
    },
  },
};

/** CSP sources of one external asset, per directive. */
export type ExternalSources = Readonly<
  Partial<Record<'imgSrc' | 'styleSrc' | 'fontSrc', readonly string[]>>
>;

/** The origins of an external asset (what a browser reports a blocked load of it by). */
export function externalOrigins(asset: DashboardExternalAsset): string[] {
  return Object.values(DASHBOARD_EXTERNAL_SOURCES.assets[asset])
    .flat()
    .map((source) => new URL(source).origin);
}

/**
 * The external assets the policy allows: those asked for, else both with a remote bundle and none
 * with a self-hosted one (a self-hosted bundle is usually about leaving nothing outside).
 */
export const allowedExternalAssets = (
  selfHosted: boolean,
  asked?: readonly DashboardExternalAsset[],
): readonly DashboardExternalAsset[] => asked ?? (selfHosted ? [] : ['flags', 'fonts']);

/** CSP directives in helmet's shape: camelCase names, lists of sources. */
export type CspDirectives = Record<string, string[]>;

export interface DashboardCspOptions {
  /**
   * Where the UI bundle is served from (the module's `dashboard.bundleLocation`), or `'self'`
   * when this app serves it (`dashboard.bundleDir`).
   * @default the SuperTokens CDN
   */
  bundleLocation?: string;
  /**
   * The external assets to allow. Default: both with a remote bundle; none with `'self'` (a
   * self-hosted bundle is usually about leaving nothing outside).
   */
  allowExternal?: readonly DashboardExternalAsset[];
  /** Directives to add to or replace in the policy (sources are replaced, not merged). */
  directives?: CspDirectives;
}

/**
 * The Content-Security-Policy the user management dashboard needs and nothing more: the page's
 * own inline bootstrap script and styles, the bundle's path (not its whole CDN host), the
 * country flags and fonts it loads (see `DASHBOARD_EXTERNAL_SOURCES`), API calls to this origin
 * only, no framing. Use it for the dashboard path only: your app's own policy can stay strict.
 *
 * @example
 * // main.ts, with helmet: the dashboard's policy on its path, your strict one everywhere else
 * app.use('/auth/dashboard', helmet({ contentSecurityPolicy: { directives: dashboardCsp() } }));
 * app.use(helmet());
 */
export function dashboardCsp(options: DashboardCspOptions = {}): CspDirectives {
  const location = options.bundleLocation ?? DEFAULT_DASHBOARD_BUNDLE;
  const selfHosted = location === "'self'";
  const bundle = selfHosted ? [] : [bundleSource(location)];
  const allowed = allowedExternalAssets(selfHosted, options.allowExternal);
  const external = (directive: keyof ExternalSources): string[] =>
    allowed.flatMap((asset) => DASHBOARD_EXTERNAL_SOURCES.assets[asset][directive] ?? []);
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", "'unsafe-inline'", ...bundle],
    styleSrc: ["'self'", "'unsafe-inline'", ...bundle, ...external('styleSrc')],
    imgSrc: ["'self'", 'data:', ...bundle, ...external('imgSrc')],
    fontSrc: ["'self'", 'data:', ...bundle, ...external('fontSrc')],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    ...options.directives,
  };
}

/** The header value of a directives object (`scriptSrc` → `script-src ...; ...`). */
export function cspHeaderValue(directives: CspDirectives): string {
  return Object.entries(directives)
    .map(([name, sources]) =>
      [name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), ...sources].join(' '),
    )
    .join('; ');
}

/** A CSP source for the bundle: its origin and path with a trailing slash (a prefix match). */
function bundleSource(location: string): string {
  const url = new URL(location);
  const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  return `${url.origin}${path}`;
}
