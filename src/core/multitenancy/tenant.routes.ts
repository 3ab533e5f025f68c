import type { CoreContext } from '../core.context.js';
import { badRequest, CoreHttpError, invalidField } from '../http/core-error.js';
import { body, type JsonObject } from '../http/json-input.js';
import type { CoreRoute } from '../http/route.js';
import { UserIdMappingService } from '../userid/userid-mapping.service.js';
import { tenantView } from '../views.js';
import { ProviderConfigError, readProvider } from './thirdparty-config.js';
import {
  normaliseAppId,
  normaliseTenantId,
  TenantInputError,
  TenantPermissionError,
  TenantService,
  type TenantUpdate,
} from './tenant.service.js';

/** The service's refusals as the real core's text answers (400 input, 403 permission). */
async function answering<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof TenantInputError) throw badRequest(error.message);
    if (error instanceof ProviderConfigError) {
      throw badRequest(`Invalid third party config: ${error.message}`);
    }
    if (error instanceof TenantPermissionError) throw new CoreHttpError(403, error.message);
    throw error;
  }
}

/** A factor list: absent, `null` (not set), or an array of strings. */
function factors(input: JsonObject, field: string): string[] | null | undefined {
  const value = input[field];
  if (value === undefined || value === null) return value;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw invalidField(field);
  }
  return value;
}

/** The body of `PUT /recipe/multitenancy/tenant/v2`, checked in the real core's order. */
function tenantUpdate(input: JsonObject): TenantUpdate {
  const rawTenantId = body.optionalString(input, 'tenantId');
  const tenantId = rawTenantId === undefined ? 'public' : normaliseTenantId(rawTenantId);
  const coreConfig = body.optionalObject(input, 'coreConfig');
  // The v1 switches belong to the deprecated API (the texts are the real core's, as written).
  if (input.emailPasswordEnabled !== undefined) {
    throw badRequest('emailPasswordEnabled is not a valid input for this API');
  }
  if (input.thirdPartyEnabled !== undefined) {
    throw badRequest('thirdParty is not a valid input for this API');
  }
  if (input.passwordlessEnabled !== undefined) {
    throw badRequest('passwordless is not a valid input for this API');
  }
  return {
    tenantId,
    coreConfig,
    firstFactors: factors(input, 'firstFactors'),
    requiredSecondaryFactors: factors(input, 'requiredSecondaryFactors'),
  };
}

/** The body of `PUT /recipe/multitenancy/app/v2`: an app id (default `public`) and its set-up. */
function appUpdate(input: JsonObject): { appId: string; update: Omit<TenantUpdate, 'tenantId'> } {
  const rawAppId = body.optionalString(input, 'appId');
  const appId = rawAppId === undefined ? 'public' : normaliseAppId(rawAppId);
  const { tenantId: _ignored, ...update } = tenantUpdate({ ...input, tenantId: undefined });
  return { appId, update };
}

/** `recipeUserId`, trimmed; the real core names the field `userId` when it is empty. */
function recipeUserId(input: JsonObject): string {
  const id = body.string(input, 'recipeUserId').trim();
  if (id === '') throw badRequest("Field name 'userId' cannot be an empty String");
  return id;
}

const ASSOCIATION_ANSWERS = {
  OK: { status: 'OK', wasAlreadyAssociated: false },
  ALREADY_ASSOCIATED: { status: 'OK', wasAlreadyAssociated: true },
  UNKNOWN_USER_ID: { status: 'UNKNOWN_USER_ID_ERROR' },
  EMAIL_ALREADY_EXISTS: { status: 'EMAIL_ALREADY_EXISTS_ERROR' },
  PHONE_NUMBER_ALREADY_EXISTS: { status: 'PHONE_NUMBER_ALREADY_EXISTS_ERROR' },
  THIRD_PARTY_USER_ALREADY_EXISTS: { status: 'THIRD_PARTY_USER_ALREADY_EXISTS_ERROR' },
} as const;

/**
 * Tenants: their set-up (create, change, read, list, delete) and their users (docs/embedded-core.md,
 * Apps and tenants). Thin over `TenantService`.
 */
export function tenantRoutes(ctx: CoreContext): CoreRoute[] {
  const tenants = new TenantService(ctx.store, ctx.config);
  // The user APIs take either id, as the real core's AssociateUserToTenantAPI and
  // DisassociateUserFromTenant resolve it.
  const ids = new UserIdMappingService(ctx);
  return [
    {
      method: 'GET',
      path: '/recipe/multitenancy/tenant/v2',
      // Not `tenant`: an unknown tenant is a 200 TENANT_NOT_FOUND_ERROR here, not a 400.
      scope: 'app',
      handler: async ({ appId, tenantId }) => {
        const config = await tenants.getTenant(appId, tenantId);
        if (!config) return { status: 'TENANT_NOT_FOUND_ERROR' };
        return { status: 'OK', ...tenantView(config) };
      },
    },
    {
      method: 'PUT',
      path: '/recipe/multitenancy/tenant/v2',
      scope: 'tenant',
      handler: async ({ appId, tenantId, body: read }) => {
        const update = await answering(() => tenantUpdate(read()));
        const createdNew = await answering(() => tenants.putTenant(appId, tenantId, update));
        return { status: 'OK', createdNew };
      },
    },
    {
      method: 'POST',
      path: '/recipe/multitenancy/tenant/remove',
      scope: 'tenant',
      handler: async ({ appId, tenantId, body: read }) => {
        const input = read();
        const target = await answering(() => normaliseTenantId(body.string(input, 'tenantId')));
        const didExist = await answering(() => tenants.removeTenant(appId, tenantId, target));
        return { status: 'OK', didExist };
      },
    },
    {
      method: 'PUT',
      path: '/recipe/multitenancy/app/v2',
      scope: 'tenant',
      handler: async ({ appId: sourceApp, tenantId, body: read }) => {
        const { appId, update } = await answering(() => appUpdate(read()));
        const createdNew = await answering(() =>
          tenants.putApp({ appId: sourceApp, tenantId }, appId, update),
        );
        return { status: 'OK', createdNew };
      },
    },
    {
      method: 'GET',
      path: '/recipe/multitenancy/app/list/v2',
      scope: 'tenant',
      handler: async ({ appId, tenantId }) => {
        const apps = await answering(() => tenants.listApps({ appId, tenantId }));
        return {
          status: 'OK',
          apps: apps.map((app) => ({ appId: app.appId, tenants: app.tenants.map(tenantView) })),
        };
      },
    },
    {
      method: 'POST',
      path: '/recipe/multitenancy/app/remove',
      scope: 'tenant',
      handler: async ({ appId: sourceApp, tenantId, body: read }) => {
        const input = read();
        const target = await answering(() => normaliseAppId(body.string(input, 'appId')));
        const didExist = await answering(() =>
          tenants.removeApp({ appId: sourceApp, tenantId }, target),
        );
        return { status: 'OK', didExist };
      },
    },
    {
      method: 'GET',
      path: '/recipe/multitenancy/tenant/list/v2',
      // `tenant`, not `public-only`: an unknown tenant is the 400 first, then this route's own 403.
      scope: 'tenant',
      handler: async ({ appId, tenantId }) => {
        if (tenantId !== 'public') {
          throw new CoreHttpError(
            403,
            'Only the public tenantId is allowed to list all tenants associated with this app',
          );
        }
        return { status: 'OK', tenants: (await tenants.listTenants(appId)).map(tenantView) };
      },
    },
    {
      method: 'PUT',
      path: '/recipe/multitenancy/config/thirdparty',
      scope: 'tenant',
      handler: async ({ appId, tenantId, body: read }) => {
        const input = read();
        const config = body.object(input, 'config');
        const thirdPartyId = body.string(config, 'thirdPartyId').trim();
        const skipValidation = body.optionalBoolean(input, 'skipValidation') ?? false;
        const createdNew = await answering(() =>
          tenants.putThirdPartyProvider(
            appId,
            tenantId,
            readProvider(config, thirdPartyId),
            skipValidation,
          ),
        );
        return { status: 'OK', createdNew };
      },
    },
    {
      method: 'POST',
      path: '/recipe/multitenancy/config/thirdparty/remove',
      scope: 'tenant',
      handler: async ({ appId, tenantId, body: read }) => {
        const thirdPartyId = body.string(read(), 'thirdPartyId').trim();
        const didConfigExist = await answering(() =>
          tenants.removeThirdPartyProvider(appId, tenantId, thirdPartyId),
        );
        return { status: 'OK', didConfigExist };
      },
    },
    {
      method: 'POST',
      path: '/recipe/multitenancy/tenant/user',
      scope: 'tenant',
      handler: async ({ appId, tenantId, body: read }) => {
        const id = await ids.toSuperTokensId(appId, recipeUserId(read()));
        const outcome = await tenants.associateUser(appId, tenantId, id);
        if (typeof outcome === 'object') {
          return { status: 'ASSOCIATION_NOT_ALLOWED_ERROR', reason: outcome.notAllowed };
        }
        return { ...ASSOCIATION_ANSWERS[outcome] };
      },
    },
    {
      method: 'POST',
      path: '/recipe/multitenancy/tenant/user/remove',
      scope: 'tenant',
      handler: async ({ appId, tenantId, body: read }) => {
        const id = recipeUserId(read());
        const found = await ids.lookup(appId, id);
        if (found === undefined) return { status: 'UNKNOWN_USER_ID_ERROR' };
        // The tenant's sessions, roles and verification tokens are the external id's, if mapped.
        const wasAssociated = await tenants.disassociateUser(
          appId,
          tenantId,
          found?.superTokensUserId ?? id,
          found?.externalUserId ?? id,
        );
        return { status: 'OK', wasAssociated };
      },
    },
  ];
}
