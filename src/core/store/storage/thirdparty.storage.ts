import type { LoginMethodRecord, ThirdPartyInfo } from '../records.js';

/**
 * Third-party logins (official tables `thirdparty_users`, `thirdparty_user_to_tenant`): the
 * plugin interface's `ThirdPartyStorage`. Providers are a tenant's set-up (`MultitenancyStorage`).
 */
export interface ThirdPartyStorage {
  /**
   * Third-party sign-in-up, atomic per tenant: the existing login of this provider user in the
   * tenant (its email updated when the provider reports another one), or a new user with
   * `loginMethod` (which carries the new recipe user id).
   */
  signInUpThirdPartyUser(
    appId: string,
    tenantId: string,
    loginMethod: LoginMethodRecord & { thirdParty: ThirdPartyInfo; email: string },
  ): Promise<{ createdNewUser: boolean; recipeUserId: string } | 'EMAIL_CHANGE_NOT_ALLOWED'>;
}
