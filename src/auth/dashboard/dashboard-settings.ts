import type { AuthDashboardOptions, AuthModuleOptions } from '../module/auth-options.interface.js';
import {
  allowedExternalAssets,
  cspHeaderValue,
  dashboardCsp,
  externalOrigins,
} from './dashboard-csp.js';
import { type DashboardPageEdits, SELF_HOSTED_BUNDLE_ORIGIN } from './dashboard-page.js';

/** What the module makes of the `dashboard` option: paths, the bundle, the CSP, the page edits. */
export interface DashboardSettings {
  /** `<apiBasePath>/dashboard` */
  path: string;
  /** `<apiBasePath>/dashboard/bundle`, where `bundleDir` is served; unset without one. */
  bundlePath?: string;
  /** What the SDK's `getDashboardBundleLocation` answers; unset: the SDK's default (the CDN). */
  sdkBundleLocation?: string;
  /** The `Content-Security-Policy` value sent under `path`; unset with `csp: false`. */
  csp?: string;
  pageEdits: DashboardPageEdits;
}

/** The dashboard's settings, or undefined when it is off. */
export function dashboardSettings(options: AuthModuleOptions): DashboardSettings | undefined {
  if (!options.dashboard) return undefined;
  const own: AuthDashboardOptions = typeof options.dashboard === 'object' ? options.dashboard : {};
  const apiBasePath = (options.appInfo.apiBasePath ?? '/auth').replace(/\/+$/, '');
  const path = `${apiBasePath}/dashboard`;
  const bundlePath = own.bundleDir === undefined ? undefined : `${path}/bundle`;
  const selfHosted = bundlePath !== undefined;
  const allowed = allowedExternalAssets(selfHosted, own.allowExternal);
  const left = (['flags', 'fonts'] as const).filter((asset) => !allowed.includes(asset));
  return {
    path,
    bundlePath,
    sdkBundleLocation: selfHosted
      ? `${SELF_HOSTED_BUNDLE_ORIGIN}${bundlePath}`
      : own.bundleLocation,
    csp:
      own.csp === false
        ? undefined
        : cspHeaderValue(
            dashboardCsp({
              bundleLocation: selfHosted ? "'self'" : own.bundleLocation,
              allowExternal: allowed,
              directives: typeof own.csp === 'object' ? own.csp : undefined,
            }),
          ),
    pageEdits: {
      // The page names the core's URL to anyone who opens it; the UI only displays it. For the
      // embedded core (an address on this machine), show the app's own API address instead.
      connectionURI: options.connectionURI
        ? undefined
        : `${options.appInfo.apiDomain}${options.appInfo.apiBasePath ?? '/auth'}`,
      bundle: selfHosted
        ? { rendered: `${SELF_HOSTED_BUNDLE_ORIGIN}${bundlePath}`, servedAt: bundlePath }
        : undefined,
      quietOrigins: left.flatMap(externalOrigins),
    },
  };
}
