import { DASHBOARD_VERSION } from '../sdk/sdk-internals.js';

/** Where supertokens-node 24 loads the dashboard UI from (its `getDashboardBundleLocation`). */
export const DEFAULT_DASHBOARD_BUNDLE = `https://cdn.jsdelivr.net/gh/supertokens/dashboard@v${DASHBOARD_VERSION}/build/`;

/** CSP directives in helmet's shape: camelCase names, lists of sources. */
export type CspDirectives = Record<string, string[]>;

export interface DashboardCspOptions {
  /** Where the UI bundle is served from (the module's `dashboard.bundleLocation`). @default the SuperTokens CDN */
  bundleLocation?: string;
  /** Directives to add to or replace in the policy (sources are replaced, not merged). */
  directives?: CspDirectives;
}

/**
 * The Content-Security-Policy the user management dashboard needs and nothing more: the page's
 * own inline bootstrap script and styles, the bundle's path (not its whole CDN host), API calls
 * to this origin only, no framing. Use it for the dashboard path only: your app's own policy can
 * stay strict.
 *
 * @example
 * // main.ts, with helmet: the dashboard's policy on its path, your strict one everywhere else
 * app.use('/auth/dashboard', helmet({ contentSecurityPolicy: { directives: dashboardCsp() } }));
 * app.use(helmet());
 */
export function dashboardCsp(options: DashboardCspOptions = {}): CspDirectives {
  const bundle = bundleSource(options.bundleLocation ?? DEFAULT_DASHBOARD_BUNDLE);
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", "'unsafe-inline'", bundle],
    styleSrc: ["'self'", "'unsafe-inline'", bundle],
    imgSrc: ["'self'", 'data:', bundle],
    fontSrc: ["'self'", 'data:', bundle],
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
