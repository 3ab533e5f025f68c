import type { AuthModuleOptions } from './auth-options.interface.js';
import { licenceNeeds } from './core-licence.js';

const appInfo = { appName: 'Acme', apiDomain: 'http://localhost:3000' };
const needs = (options: Partial<AuthModuleOptions>, uri = 'http://core:3567') =>
  licenceNeeds({ appInfo, ...options }, uri).map(({ option, features }) => ({ option, features }));
const logins = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ email: `${i}@example.com`, password: 'pw' }));

describe('licenceNeeds', () => {
  it('needs nothing for the free options', () => {
    expect(needs({ roles: true, metadata: true, dashboard: true, multitenancy: false })).toEqual(
      [],
    );
  });

  it("lets either feature serve account linking, as the core's own check does", () => {
    expect(needs({ accountLinking: true })).toEqual([
      { option: 'accountLinking', features: ['account_linking', 'mfa'] },
    ]);
  });

  it('needs mfa for TOTP only, and linking for any mfa', () => {
    expect(needs({ mfa: { requiredSecondaryFactors: ['otp-email'] } })).toEqual([
      { option: 'mfa', features: ['account_linking', 'mfa'] },
    ]);
    expect(needs({ mfa: { totp: true } })).toContainEqual({
      option: 'mfa.totp',
      features: ['mfa'],
    });
  });

  it('needs dashboard_login from the fourth dashboard login on', () => {
    expect(needs({ dashboard: { users: logins(3) } })).toEqual([]);
    expect(needs({ dashboard: { users: logins(4) } })).toEqual([
      { option: 'dashboard.users (4 logins)', features: ['dashboard_login'] },
    ]);
  });

  it('needs multi_tenancy, except through an app URI (the core checks its base app)', () => {
    expect(needs({ multitenancy: true })).toEqual([
      { option: 'multitenancy', features: ['multi_tenancy'] },
    ]);
    expect(needs({ multitenancy: true }, 'http://core:3567/appid-acme')).toEqual([]);
    expect(needs({ multitenancy: true }, 'http://core:3567/appid-public')).toHaveLength(1);
  });
});
