import type { AuthModuleOptions } from '../auth/module/auth-options.interface.js';

/**
 * AuthModule options for tests: the embedded core (its own, on a free port, in memory), emails and text
 * messages kept in the injectable inbox instead of printed, rate limits off (`rateLimit: false`), and
 * local app URLs. Anything you pass wins.
 * @example AuthModule.forRoot(authTestingOptions({ roles: true }))
 */
export function authTestingOptions(overrides: Partial<AuthModuleOptions> = {}): AuthModuleOptions {
  return {
    emailDelivery: 'inbox',
    smsDelivery: 'inbox',
    // A suite signs in from one address far more often than the limits allow a real client.
    rateLimit: false,
    ...overrides,
    embeddedCore: { storage: 'memory', ...overrides.embeddedCore },
    appInfo: {
      appName: 'test',
      apiDomain: 'http://localhost:3000',
      websiteDomain: 'http://localhost:3001',
      ...overrides.appInfo,
    },
  };
}
