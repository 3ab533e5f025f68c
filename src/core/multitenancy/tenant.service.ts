import type { MultitenancyStorage } from '../store/storage/multitenancy.storage.js';
import type {
  TenantAssociation,
  TenantConfigRecord,
  ThirdPartyProviderRecord,
} from '../store/records.js';
import type { CoreConfig } from '../core.config.js';
import {
  CONFIG_YAML_ONLY_KEYS,
  configValue,
  coreConfigProblem,
  NOT_CONFLICTING_IN_APP,
  VALID_CORE_CONFIG_KEYS,
} from './core-config-keys.js';
import { checkProviders } from './thirdparty-config.js';

/** Words the path grammar reserves: never tenant ids. */
const RESERVED_TENANT_IDS = ['recipe', 'config', 'users', 'hello'];
const FACTOR_NAME = /^[0-9a-zA-Z_.-]+$/;

/** Why a tenant id or a tenant set-up is refused: the real core's 400 texts. */
export class TenantInputError extends Error {}

/** Why the calling tenant may not do this: the real core's 403 texts. */
export class TenantPermissionError extends Error {}

/**
 * The real core's tenant id rules (`Utils.normalizeAndValidateTenantId`): trimmed, lower-cased,
 * `[a-z0-9-]+`, not a reserved word, not `appid-…`.
 */
export function normaliseTenantId(raw: string): string {
  const tenantId = raw.trim().toLowerCase();
  if (tenantId.length === 0) throw new TenantInputError('tenantId should not be an empty String');
  if (RESERVED_TENANT_IDS.includes(tenantId)) {
    throw new TenantInputError(`Cannot use '${tenantId}' as a tenantId`);
  }
  if (tenantId.startsWith('appid-')) {
    throw new TenantInputError("tenantId must not start with 'appid-'");
  }
  if (!/^[a-z0-9-]+$/.test(tenantId)) {
    throw new TenantInputError('tenantId can only contain letters, numbers and hyphens');
  }
  return tenantId;
}

/** The real core's app id rules (`Utils.normalizeAndValidateAppId`). */
export function normaliseAppId(raw: string): string {
  const appId = raw.trim().toLowerCase();
  if (appId.length === 0) throw new TenantInputError('appId should not be an empty String');
  if (appId.startsWith('appid-')) throw new TenantInputError("appId must not start with 'appid-'");
  if (!/^[a-z0-9-]+$/.test(appId)) {
    throw new TenantInputError('appId can only contain letters, numbers and hyphens');
  }
  return appId;
}

/** What `PUT /recipe/multitenancy/tenant/v2` asks for, already read from the body. */
export interface TenantUpdate {
  /** The target tenant; `public` when the body names none. */
  tenantId: string;
  /** Keys to set; a `null` value removes the key. */
  coreConfig?: Record<string, unknown>;
  /** Absent: unchanged; `null`: every factor. */
  firstFactors?: string[] | null;
  requiredSecondaryFactors?: string[] | null;
}

function assertNoDuplicates(factors: string[] | null | undefined, field: string): void {
  if (factors && new Set(factors).size !== factors.length) {
    throw new TenantInputError(`${field} input should not contain duplicate values`);
  }
}

function assertFactorNames(factors: string[] | null, field: string): void {
  if (factors?.some((f) => !FACTOR_NAME.test(f))) {
    throw new TenantInputError(`${field} should contain only 0-9,a-z,A-Z,_,.,- characters`);
  }
}

/**
 * Tenants of an app: create and change their set-up, delete them, and move users in and out,
 * with the real core's rules (docs/embedded-core.md, Apps and tenants). The embedded core
 * behaves as a core whose licence includes multitenancy.
 */
export class TenantService {
  constructor(
    private readonly store: MultitenancyStorage,
    /** The core's own settings: what the public tenant of the public app has. */
    private readonly config: CoreConfig,
  ) {}

  getTenant(appId: string, tenantId: string): Promise<TenantConfigRecord | undefined> {
    return this.store.getTenantConfig(appId, tenantId);
  }

  listTenants(appId: string): Promise<TenantConfigRecord[]> {
    return this.store.listTenantConfigs(appId);
  }

  /** Creates or changes a tenant from `sourceTenantId`; whether it was created. */
  async putTenant(appId: string, sourceTenantId: string, update: TenantUpdate): Promise<boolean> {
    assertNoDuplicates(update.firstFactors, 'firstFactors');
    assertNoDuplicates(update.requiredSecondaryFactors, 'requiredSecondaryFactors');
    const { tenantId } = update;
    const existing = await this.store.getTenantConfig(appId, tenantId);
    // A new tenant other than `public` starts with no first factor: the app names them.
    const config: TenantConfigRecord = existing ?? {
      tenantId,
      firstFactors: tenantId === 'public' ? null : [],
      requiredSecondaryFactors: null,
      coreConfig: {},
      thirdPartyProviders: [],
    };
    if (update.coreConfig) {
      const merged = { ...config.coreConfig };
      for (const [key, value] of Object.entries(update.coreConfig)) {
        if (value === null) delete merged[key];
        else merged[key] = value;
      }
      config.coreConfig = merged;
    }
    if (update.firstFactors !== undefined) config.firstFactors = update.firstFactors;
    if (update.requiredSecondaryFactors !== undefined) {
      const required = update.requiredSecondaryFactors;
      config.requiredSecondaryFactors = required && required.length > 0 ? required : null;
    }
    assertFactorNames(config.firstFactors, 'firstFactors');
    assertFactorNames(config.requiredSecondaryFactors, 'requiredSecondaryFactors');
    if (tenantId !== 'public' && sourceTenantId !== 'public' && sourceTenantId !== tenantId) {
      throw new TenantPermissionError(
        'You must use the public or same tenant to add/update a tenant',
      );
    }
    // The public tenant of the public app takes its settings from the core's own config.
    if (appId === 'public' && tenantId === 'public' && Object.keys(config.coreConfig).length > 0) {
      throw new TenantInputError('Cannot modify base config');
    }
    const invalid = Object.keys(config.coreConfig).find((key) => !VALID_CORE_CONFIG_KEYS.has(key));
    if (invalid !== undefined) {
      throw new TenantInputError(`Invalid core config: Invalid config key: ${invalid}`);
    }
    await this.assertAppConfigs(appId, config);
    const yamlOnly = Object.keys(config.coreConfig).find((key) => CONFIG_YAML_ONLY_KEYS.has(key));
    if (yamlOnly !== undefined) {
      throw new TenantInputError(
        `Invalid core config: ${yamlOnly} can only be set via the core's base config setting`,
      );
    }
    return this.store.putTenantConfig(appId, config);
  }

  /**
   * The real core's checks of every tenant's settings once this one changes: each is valid
   * (`coreConfigProblem`), and the keys of `NOT_CONFLICTING_IN_APP` (token lifetimes, signing
   * keys, password hashing…) have one value in the app. A tenant that does not set a key has its
   * app's public tenant's value, which has the core's own unless it sets one.
   */
  private async assertAppConfigs(
    appId: string,
    target: Pick<TenantConfigRecord, 'tenantId' | 'coreConfig'>,
  ): Promise<void> {
    const others = (await this.store.listTenantConfigs(appId)).filter(
      (t) => t.tenantId !== target.tenantId,
    );
    const tenants = [...others, target];
    const appPublic = tenants.find((t) => t.tenantId === 'public')?.coreConfig ?? {};
    for (const tenant of tenants) {
      const inherited = tenant.tenantId === 'public' ? {} : appPublic;
      const problem = coreConfigProblem(tenant.coreConfig, inherited, this.config);
      if (problem !== undefined) throw new TenantInputError(`Invalid core config: ${problem}`);
    }
    for (const [key, kind, coreValue] of NOT_CONFLICTING_IN_APP) {
      const inherited = key in appPublic ? appPublic[key] : coreValue(this.config);
      const values = tenants.map((t) =>
        configValue(kind, key in t.coreConfig ? t.coreConfig[key] : inherited),
      );
      if (values.some((v) => !Object.is(v, values[0]))) {
        throw new TenantInputError(
          `Invalid core config: You cannot set different values for ${key} for the same appId`,
        );
      }
    }
  }

  /**
   * Adds the tenant's provider `provider.thirdPartyId`, or replaces it in place; whether it was
   * added. The whole list is checked (`checkProviders`) before anything is stored.
   */
  async putThirdPartyProvider(
    appId: string,
    tenantId: string,
    provider: ThirdPartyProviderRecord,
    skipValidation: boolean,
  ): Promise<boolean> {
    let createdNew = true;
    await this.store.updateThirdPartyProviders(appId, tenantId, (providers) => {
      createdNew = true;
      const next = providers.map((p) => {
        if (p.thirdPartyId !== provider.thirdPartyId) return p;
        createdNew = false;
        return provider;
      });
      if (createdNew) next.push(provider);
      checkProviders(next, skipValidation);
      return next;
    });
    return createdNew;
  }

  /** Removes the tenant's provider; whether it was there. The rest must still pass the checks. */
  async removeThirdPartyProvider(
    appId: string,
    tenantId: string,
    thirdPartyId: string,
  ): Promise<boolean> {
    let found = false;
    await this.store.updateThirdPartyProviders(appId, tenantId, (providers) => {
      const next = providers.filter((p) => p.thirdPartyId !== thirdPartyId);
      found = next.length < providers.length;
      checkProviders(next, false);
      return next;
    });
    return found;
  }

  /**
   * Creates or changes an app (its `public` tenant's set-up) from the calling app and tenant;
   * whether it was created. Only the public tenant of the public app or of the app itself may.
   */
  async putApp(
    source: { appId: string; tenantId: string },
    appId: string,
    update: Omit<TenantUpdate, 'tenantId'>,
  ): Promise<boolean> {
    if (appId === 'public' && source.appId === 'public' && source.tenantId === 'public') {
      await this.putTenant('public', 'public', { ...update, tenantId: 'public' });
      return false;
    }
    if (source.tenantId !== 'public' || (source.appId !== 'public' && source.appId !== appId)) {
      throw new TenantPermissionError('You must use the public or same app to add/update an app');
    }
    const created = !(await this.store.hasApp(appId));
    if (created) await this.store.createApp(appId);
    await this.putTenant(appId, 'public', { ...update, tenantId: 'public' });
    return created;
  }

  /** Every app with its tenants' set-ups (from the public tenant of the public app only). */
  async listApps(source: { appId: string; tenantId: string }) {
    if (source.tenantId !== 'public' || source.appId !== 'public') {
      throw new TenantPermissionError(
        'Only the public tenantId and public appId is allowed to list all apps associated with this connection uri domain',
      );
    }
    const apps = await this.store.listApps();
    return Promise.all(
      apps.map(async (appId) => ({ appId, tenants: await this.store.listTenantConfigs(appId) })),
    );
  }

  /** Deletes an app that has no tenant but `public`; whether it existed. */
  async removeApp(source: { appId: string; tenantId: string }, appId: string): Promise<boolean> {
    if (appId === 'public') {
      throw new TenantPermissionError(
        'Cannot delete the public app, use remove connection uri domain API instead',
      );
    }
    if (source.tenantId !== 'public' || source.appId !== 'public') {
      throw new TenantPermissionError(
        'Only the public tenantId and public appId is allowed to delete an app',
      );
    }
    if (!(await this.store.hasApp(appId))) return false;
    if ((await this.store.listTenants(appId)).length > 1) {
      throw new TenantPermissionError(
        'Please delete all tenants except the public tenant for this app before calling the delete API',
      );
    }
    return this.store.deleteApp(appId);
  }

  /** Deletes a tenant from `sourceTenantId`; whether it existed. */
  async removeTenant(appId: string, sourceTenantId: string, tenantId: string): Promise<boolean> {
    if (tenantId === 'public') {
      throw new TenantPermissionError('Cannot delete public tenant, use remove app API instead');
    }
    if (sourceTenantId !== 'public') {
      throw new TenantPermissionError('Only the public tenantId is allowed to delete a tenant');
    }
    return this.store.deleteTenant(appId, tenantId);
  }

  associateUser(appId: string, tenantId: string, recipeUserId: string): Promise<TenantAssociation> {
    return this.store.associateUserWithTenant(appId, tenantId, recipeUserId);
  }

  /** Ends a membership; `dataUserId` names the tenant's non-auth data that goes with it. */
  disassociateUser(
    appId: string,
    tenantId: string,
    recipeUserId: string,
    dataUserId: string,
  ): Promise<boolean> {
    return this.store.disassociateUserFromTenant(appId, tenantId, recipeUserId, dataUserId);
  }
}
