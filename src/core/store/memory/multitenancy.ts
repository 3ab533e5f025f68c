import { defaultTenantConfig } from '../records.js';
import type { MultitenancyStorage } from '../store.interface.js';
import { associationClash } from '../linking-view.js';
import { AppTables, type MemoryTables } from './memory-tables.js';
import { removeTenantData } from './removal.js';
import { loginMethod, owner, relatedUsers, thirdPartyKey, userOf } from './users.js';

export function memoryMultitenancy(memory: MemoryTables): MultitenancyStorage {
  return {
    hasApp(appId) {
      return Promise.resolve(memory.apps.has(appId));
    },

    createApp(appId) {
      if (!memory.apps.has(appId)) memory.apps.set(appId, new AppTables());
      return Promise.resolve();
    },

    listApps() {
      return Promise.resolve([...memory.apps.keys()]);
    },

    deleteApp(appId) {
      return Promise.resolve(appId !== 'public' && memory.apps.delete(appId));
    },

    hasTenant(appId, tenantId) {
      return Promise.resolve(memory.apps.get(appId)?.tenants.has(tenantId) ?? false);
    },

    createTenant(appId, tenantId) {
      const tenants = memory.app(appId).tenants;
      if (!tenants.has(tenantId)) tenants.set(tenantId, defaultTenantConfig(tenantId));
      return Promise.resolve();
    },

    listTenants(appId) {
      return Promise.resolve([...memory.app(appId).tenants.keys()]);
    },

    getTenantConfig(appId, tenantId) {
      const config = memory.apps.get(appId)?.tenants.get(tenantId);
      return Promise.resolve(config && structuredClone(config));
    },

    listTenantConfigs(appId) {
      return Promise.resolve(
        [...memory.app(appId).tenants.values()].map((c) => structuredClone(c)),
      );
    },

    putTenantConfig(appId, config) {
      const tenants = memory.app(appId).tenants;
      const existing = tenants.get(config.tenantId);
      tenants.set(config.tenantId, {
        ...structuredClone(config),
        thirdPartyProviders: existing?.thirdPartyProviders ?? [],
      });
      return Promise.resolve(existing === undefined);
    },

    updateThirdPartyProviders(appId, tenantId, change) {
      const tenant = memory.app(appId).tenants.get(tenantId);
      if (!tenant) return Promise.resolve(false);
      // Synchronous, so atomic; what `change` throws rejects the promise.
      return new Promise((resolve) => {
        tenant.thirdPartyProviders = structuredClone(
          change(structuredClone(tenant.thirdPartyProviders)),
        );
        resolve(true);
      });
    },

    deleteTenant(appId, tenantId) {
      const tables = memory.app(appId);
      if (tenantId === 'public' || !tables.tenants.delete(tenantId)) return Promise.resolve(false);
      for (const user of tables.users.values()) {
        for (const method of user.loginMethods) {
          method.tenantIds = method.tenantIds.filter((t) => t !== tenantId);
        }
      }
      removeTenantData(tables, tenantId);
      for (const [id, device] of tables.devices) {
        if (device.tenantId === tenantId) tables.devices.delete(id);
      }
      return Promise.resolve(true);
    },

    associateUserWithTenant(appId, tenantId, recipeUserId) {
      const tables = memory.app(appId);
      const method = loginMethod(tables, recipeUserId);
      if (!method) return Promise.resolve('UNKNOWN_USER_ID');
      const user = userOf(tables, recipeUserId)!;
      const clash =
        user.isPrimaryUser &&
        associationClash(user, recipeUserId, tenantId, relatedUsers(tables, [user]));
      if (clash) return Promise.resolve(clash);
      if (method.tenantIds.includes(tenantId)) return Promise.resolve('ALREADY_ASSOCIATED');
      const taken = (lookup: string) =>
        owner(tables, lookup, method.recipeId, [tenantId], recipeUserId) !== undefined;
      // A third-party login is unique by provider user, not by email.
      if (
        method.recipeId !== 'thirdparty' &&
        method.email !== undefined &&
        taken(`email:${method.email}`)
      ) {
        return Promise.resolve('EMAIL_ALREADY_EXISTS');
      }
      if (method.phoneNumber !== undefined && taken(`phone:${method.phoneNumber}`)) {
        return Promise.resolve('PHONE_NUMBER_ALREADY_EXISTS');
      }
      if (method.thirdParty !== undefined && taken(thirdPartyKey(method.thirdParty))) {
        return Promise.resolve('THIRD_PARTY_USER_ALREADY_EXISTS');
      }
      method.tenantIds.push(tenantId);
      return Promise.resolve('OK');
    },

    disassociateUserFromTenant(appId, tenantId, recipeUserId, dataUserId) {
      const tables = memory.app(appId);
      let removed = removeTenantData(tables, tenantId, { recipeUserId, dataUserId });
      const method = loginMethod(tables, recipeUserId);
      if (method?.tenantIds.includes(tenantId)) {
        method.tenantIds = method.tenantIds.filter((t) => t !== tenantId);
        removed = true;
      }
      return Promise.resolve(removed);
    },
  };
}
