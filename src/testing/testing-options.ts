import type { AuthModuleOptions } from '../auth/auth-options.interface.js';

/**
 * AuthModule options for tests: the embedded core (its own, on a free port, in memory), emails and text
 * messages kept in the injectable inbox instead of printed, and local app URLs. Anything you pass wins.
 * @example AuthModule.forRoot(authTestingOptions({ roles: true }))
 */
export function authTestingOptions(overrides: Partial<AuthModuleOptions> = {}): AuthModuleOptions {
  return {
    emailDelivery: 'inbox',
    smsDelivery: 'inbox',
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
