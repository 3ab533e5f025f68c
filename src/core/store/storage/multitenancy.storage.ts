import type {
  TenantAssociation,
  TenantConfigRecord,
  ThirdPartyProviderRecord,
} from '../records.js';

/**
 * Apps, tenants and their set-up (official tables `apps`, `tenants`, `tenant_configs`,
 * `tenant_first_factors`, `tenant_required_secondary_factors`, `tenant_thirdparty_providers`,
 * `tenant_thirdparty_provider_clients`), and which tenants a recipe user belongs to. The plugin
 * interface's `MultitenancyStorage`.
 */
export interface MultitenancyStorage {
  hasApp(appId: string): Promise<boolean>;
  createApp(appId: string): Promise<void>;
  /** Every app, `public` first, then in creation order. */
  listApps(): Promise<string[]>;
  /** Deletes an app (never `public`) with all its data; false when there was none. */
  deleteApp(appId: string): Promise<boolean>;
  hasTenant(appId: string, tenantId: string): Promise<boolean>;
  createTenant(appId: string, tenantId: string): Promise<void>;
  listTenants(appId: string): Promise<string[]>;
  /** A tenant's set-up, or undefined for a tenant that does not exist. */
  getTenantConfig(appId: string, tenantId: string): Promise<TenantConfigRecord | undefined>;
  /** Every tenant of the app with its set-up, `public` first, then in creation order. */
  listTenantConfigs(appId: string): Promise<TenantConfigRecord[]>;
  /**
   * Creates the tenant with this set-up or replaces an existing one's (its third-party providers
   * stay as they are); true when it was created.
   */
  putTenantConfig(
    appId: string,
    config: Omit<TenantConfigRecord, 'thirdPartyProviders'>,
  ): Promise<boolean>;
  /**
   * Replaces a tenant's third-party providers with what `change` makes of them, atomically (two
   * concurrent changes of different providers both land). `change` throws to refuse. False when
   * there is no such tenant.
   */
  updateThirdPartyProviders(
    appId: string,
    tenantId: string,
    change: (providers: ThirdPartyProviderRecord[]) => ThirdPartyProviderRecord[],
  ): Promise<boolean>;
  /**
   * Deletes a tenant (never `public`) and everything scoped to it: its sessions, role
   * assignments, email-verification tokens, passwordless devices and its users' membership.
   * Users stay in the app. False when there was no such tenant.
   */
  deleteTenant(appId: string, tenantId: string): Promise<boolean>;
  /**
   * Makes a recipe user a member of the tenant too, unless its email or phone number is taken
   * there by a login of the same recipe. Atomic with sign-ups in that tenant.
   */
  associateUserWithTenant(
    appId: string,
    tenantId: string,
    recipeUserId: string,
  ): Promise<TenantAssociation>;
  /**
   * Ends a recipe user's membership of a tenant (if it has one), with the sessions, roles,
   * email-verification tokens and tried TOTP codes kept there under `dataUserId` (the user's
   * external id when mapped, as the real core keeps them). Whether anything was removed.
   */
  disassociateUserFromTenant(
    appId: string,
    tenantId: string,
    recipeUserId: string,
    dataUserId: string,
  ): Promise<boolean>;
}
