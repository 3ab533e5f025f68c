import type { UserRolesStorage } from '../store.interface.js';
import { key, type MemoryTables } from './memory-tables.js';

export function memoryUserRoles(memory: MemoryTables): UserRolesStorage {
  return {
    getUserRoles(appId, tenantId, userId) {
      return Promise.resolve([...(memory.app(appId).userRoles.get(key(tenantId, userId)) ?? [])]);
    },

    getRolePermissions(appId, role) {
      const permissions = memory.app(appId).rolePermissions.get(role);
      return Promise.resolve(permissions && [...permissions]);
    },

    upsertRole(appId, role, permissions) {
      const roles = memory.app(appId).rolePermissions;
      const existing = roles.get(role);
      if (existing) {
        for (const permission of permissions) existing.add(permission);
        return Promise.resolve(false);
      }
      roles.set(role, new Set(permissions));
      return Promise.resolve(true);
    },

    deleteRole(appId, role) {
      const tables = memory.app(appId);
      const existed = tables.rolePermissions.delete(role);
      for (const [roleKey, roles] of tables.userRoles) {
        roles.delete(role);
        if (roles.size === 0) tables.userRoles.delete(roleKey);
      }
      return Promise.resolve(existed);
    },

    listRoles(appId) {
      return Promise.resolve([...memory.app(appId).rolePermissions.keys()]);
    },

    removeRolePermissions(appId, role, permissions) {
      const existing = memory.app(appId).rolePermissions.get(role);
      if (!existing) return Promise.resolve(false);
      if (permissions === undefined) existing.clear();
      else for (const permission of permissions) existing.delete(permission);
      return Promise.resolve(true);
    },

    rolesWithPermission(appId, permission) {
      const roles = [...memory.app(appId).rolePermissions].filter(([, p]) => p.has(permission));
      return Promise.resolve(roles.map(([role]) => role));
    },

    addUserRole(appId, tenantId, userId, role) {
      const tables = memory.app(appId);
      if (!tables.rolePermissions.has(role)) return Promise.resolve(undefined);
      let roles = tables.userRoles.get(key(tenantId, userId));
      if (!roles) tables.userRoles.set(key(tenantId, userId), (roles = new Set()));
      const had = roles.has(role);
      roles.add(role);
      return Promise.resolve(had);
    },

    removeUserRole(appId, tenantId, userId, role) {
      const tables = memory.app(appId);
      if (!tables.rolePermissions.has(role)) return Promise.resolve(undefined);
      const roles = tables.userRoles.get(key(tenantId, userId));
      const had = roles?.delete(role) ?? false;
      if (roles?.size === 0) tables.userRoles.delete(key(tenantId, userId));
      return Promise.resolve(had);
    },

    usersWithRole(appId, tenantId, role) {
      const tables = memory.app(appId);
      if (!tables.rolePermissions.has(role)) return Promise.resolve(undefined);
      const users: string[] = [];
      for (const [roleKey, roles] of tables.userRoles) {
        if (roleKey.startsWith(`${tenantId}\n`) && roles.has(role))
          users.push(roleKey.slice(tenantId.length + 1));
      }
      return Promise.resolve(users);
    },
  };
}
