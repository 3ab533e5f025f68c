import { Injectable } from '@nestjs/common';
// A CommonJS module: named imports of its values fail in Node's ESM loader; the default works.
import supertokens from 'supertokens-node';
import Multitenancy from 'supertokens-node/recipe/multitenancy';
import type { ProviderConfig } from 'supertokens-node/recipe/thirdparty/types';
import { classifySdkError } from '../sdk/sdk-internals.js';

/** A tenant's sign-in set-up, as the core keeps it. */
export interface TenantSetup {
  tenantId: string;
  /** The tenant's own third-party providers (`setThirdPartyProvider`), as the core keeps them. */
  thirdPartyProviders: ProviderConfig[];
  /** The first factors users may sign in with; absent: every factor the app offers. */
  firstFactors?: string[];
  requiredSecondaryFactors?: string[];
  /** Core settings for this tenant only (e.g. `password_reset_token_lifetime`). */
  coreConfig: Record<string, unknown>;
}

/** What to set on a tenant; absent fields are left as they are. */
export interface TenantChanges {
  /** `null`: every factor the app offers. A new tenant gets `null` unless you name factors. */
  firstFactors?: string[] | null;
  requiredSecondaryFactors?: string[] | null;
  /** Merged key by key; a `null` value removes a key. */
  coreConfig?: Record<string, unknown>;
}

export type TenantAssociationResult =
  | 'OK'
  | 'ALREADY_ASSOCIATED'
  | 'UNKNOWN_USER_ID_ERROR'
  | 'EMAIL_ALREADY_EXISTS_ERROR'
  | 'PHONE_NUMBER_ALREADY_EXISTS_ERROR'
  | 'THIRD_PARTY_USER_ALREADY_EXISTS_ERROR'
  | 'ASSOCIATION_NOT_ALLOWED_ERROR';

/** A tenant's provider was stored, or the core's reason it was not. */
export type ThirdPartyProviderResult =
  | { status: 'OK'; createdNew: boolean }
  /** `message` is the core's, e.g. `Invalid third party config: clientId cannot be null`. */
  | { status: 'INVALID_CONFIG_ERROR'; message: string };

const setupOf = ({
  tenantId,
  thirdParty,
  firstFactors,
  requiredSecondaryFactors,
  coreConfig,
}: Omit<TenantSetup, 'thirdPartyProviders'> & { thirdParty: { providers: ProviderConfig[] } }) => ({
  tenantId,
  thirdPartyProviders: thirdParty.providers,
  ...(firstFactors !== undefined && { firstFactors }),
  ...(requiredSecondaryFactors !== undefined && { requiredSecondaryFactors }),
  coreConfig,
});

/**
 * Tenants (organisations) of the app, wrapping supertokens-node's Multitenancy functions (needs
 * `multitenancy: true`). The same email in two tenants is two users; a session belongs to the
 * tenant it was created in (`@Tenant()`, `@RequireTenant()`). Users sign up and in to a tenant
 * through `<apiBasePath>/<tenantId>/signup`, `/signin`, `/signinup/code`, ...
 */
@Injectable()
export class MultitenancyService {
  /**
   * Creates the tenant or changes its set-up. Unlike the core's API, a new tenant whose
   * `firstFactors` you do not name accepts every factor the app offers (the core would start it
   * with none, so nobody could sign in).
   */
  async createOrUpdateTenant(
    tenantId: string,
    changes: TenantChanges = {},
  ): Promise<{ createdNew: boolean }> {
    const keepFactors = changes.firstFactors !== undefined || (await this.getTenant(tenantId));
    const config = keepFactors ? changes : { ...changes, firstFactors: null };
    const { createdNew } = await Multitenancy.createOrUpdateTenant(tenantId, config);
    return { createdNew };
  }

  /** The tenant's set-up, or undefined when there is no such tenant. */
  async getTenant(tenantId: string): Promise<TenantSetup | undefined> {
    const tenant = await Multitenancy.getTenant(tenantId);
    return tenant && setupOf(tenant as unknown as Parameters<typeof setupOf>[0]);
  }

  /** Every tenant of the app, `public` first. */
  async listTenants(): Promise<TenantSetup[]> {
    const { tenants } = await Multitenancy.listAllTenants();
    return tenants.map((tenant) => setupOf(tenant));
  }

  /**
   * Deletes the tenant with its sessions, role assignments and memberships (the users stay, in
   * their other tenants). `public` cannot be deleted.
   */
  async deleteTenant(tenantId: string): Promise<{ didExist: boolean }> {
    const { didExist } = await Multitenancy.deleteTenant(tenantId);
    return { didExist };
  }

  /**
   * Adds a third-party provider for this tenant only (say, the organisation's own Okta or Azure
   * AD), or replaces the one with its `thirdPartyId`. `config` is supertokens-node's provider
   * config; the tenant's users then sign in with it through `<apiBasePath>/<tenantId>/…`. The
   * core checks it (an Apple client needs keyId, teamId, privateKey…); `skipValidation` skips
   * those provider rules.
   */
  async setThirdPartyProvider(
    tenantId: string,
    config: ProviderConfig,
    options: { skipValidation?: boolean } = {},
  ): Promise<ThirdPartyProviderResult> {
    try {
      const { createdNew } = await Multitenancy.createOrUpdateThirdPartyConfig(
        tenantId,
        config,
        options.skipValidation,
      );
      return { status: 'OK', createdNew };
    } catch (error) {
      const failure = error instanceof Error ? classifySdkError(error) : undefined;
      if (failure?.kind === 'core-status' && failure.status === 400) {
        return { status: 'INVALID_CONFIG_ERROR', message: failure.message };
      }
      throw error;
    }
  }

  /** Removes a tenant's own third-party provider. */
  async removeThirdPartyProvider(
    tenantId: string,
    thirdPartyId: string,
  ): Promise<{ didExist: boolean }> {
    const { didConfigExist } = await Multitenancy.deleteThirdPartyConfig(tenantId, thirdPartyId);
    return { didExist: didConfigExist };
  }

  /**
   * Makes a user (a recipe user id: one login method) a member of another tenant too, so it can
   * sign in there; refused when its email or phone number is taken there.
   */
  async associateUser(tenantId: string, recipeUserId: string): Promise<TenantAssociationResult> {
    const result = await Multitenancy.associateUserToTenant(
      tenantId,
      supertokens.convertToRecipeUserId(recipeUserId),
    );
    if (result.status !== 'OK') return result.status;
    return result.wasAlreadyAssociated ? 'ALREADY_ASSOCIATED' : 'OK';
  }

  /** Ends a user's membership of a tenant, with its sessions and roles there. */
  async disassociateUser(
    tenantId: string,
    recipeUserId: string,
  ): Promise<{ wasAssociated: boolean }> {
    const { wasAssociated } = await Multitenancy.disassociateUserFromTenant(
      tenantId,
      supertokens.convertToRecipeUserId(recipeUserId),
    );
    return { wasAssociated };
  }
}
