import type { AuthModuleOptions } from './auth-options.interface.js';

/** Dashboard logins an official core without the `dashboard_login` feature lets sign in. */
export const FREE_DASHBOARD_LOGINS = 3;

/** A paid feature an enabled option needs on an official core. */
export interface LicenceNeed {
  /** The option, as written in `AuthModuleOptions`. */
  option: string;
  /** The `/ee/featureflag` names the core accepts for it: any one will do. */
  features: string[];
  /** What fails without it. */
  fails: string;
}

/** Whether a connection URI names an app other than `public` (`…/appid-<id>`). */
const namesApp = (uri: string): boolean => /\/appid-(?!public\/?$)[^/]+\/?$/.test(uri);

/**
 * The paid features the options need on the core at `uri`, as core 11.4 enforces them (each
 * answers 402 without its feature). Only what the core itself refuses is listed, so a core that
 * would serve the app is never refused at start-up.
 */
export function licenceNeeds(options: AuthModuleOptions, uri: string): LicenceNeed[] {
  const needs: LicenceNeed[] = [];
  // The option is only for tenants besides `public` (which works without it), and each of those
  // needs the feature. The core checks it on its base app: an app URI exists only because it has it.
  if (options.multitenancy && !namesApp(uri)) {
    needs.push({
      option: 'multitenancy',
      features: ['multi_tenancy'],
      fails: 'tenants other than public cannot be created or given users',
    });
  }
  // The core links login methods with either feature; the mfa option turns linking on.
  if (options.accountLinking || options.mfa) {
    needs.push({
      option: options.accountLinking ? 'accountLinking' : 'mfa',
      features: ['account_linking', 'mfa'],
      fails: 'sign-ups and sign-ins that link login methods fail',
    });
  }
  if (options.mfa?.totp) {
    needs.push({
      option: 'mfa.totp',
      features: ['mfa'],
      fails: 'authenticator apps (TOTP devices) cannot be set up or checked',
    });
  }
  const logins = typeof options.dashboard === 'object' ? (options.dashboard.users?.length ?? 0) : 0;
  if (logins > FREE_DASHBOARD_LOGINS) {
    needs.push({
      option: `dashboard.users (${logins} logins)`,
      features: ['dashboard_login'],
      fails: `only the first ${FREE_DASHBOARD_LOGINS} dashboard logins can sign in, and no more can be created`,
    });
  }
  return needs;
}
