import type { CoreContext } from '../core.context.js';
import { badRequest } from '../http/core-error.js';
import { body, type JsonObject, query } from '../http/json-input.js';
import type { CoreRoute } from '../http/route.js';

/** The real core trims role and permission names and refuses empty ones. */
function name(value: string, field: string): string {
  const trimmed = value.trim();
  if (trimmed === '') throw badRequest(`Field name '${field}' cannot be an empty String`);
  return trimmed;
}

/** `{role, permissions?}`: the role trimmed, the permissions (if given) trimmed and non-empty. */
function roleAndPermissions(input: JsonObject): { role: string; permissions?: string[] } {
  const role = name(body.string(input, 'role'), 'role');
  if (input.permissions === undefined) return { role };
  const permissions = body.stringArray(input, 'permissions').map((p) => p.trim());
  if (permissions.includes('')) {
    throw badRequest("Field name 'permissions' cannot contain an empty string");
  }
  return { role, permissions };
}

const UNKNOWN_ROLE = { status: 'UNKNOWN_ROLE_ERROR' };

/** Giving or taking a role: `{userId, role}` in, whether the user had it out. */
function userRoleChange(
  method: 'PUT' | 'POST',
  path: string,
  field: 'didUserAlreadyHaveRole' | 'didUserHaveRole',
  change: (
    appId: string,
    tenantId: string,
    userId: string,
    role: string,
  ) => Promise<boolean | undefined>,
): CoreRoute {
  return {
    method,
    path,
    scope: 'tenant',
    handler: async ({ appId, tenantId, body: read }) => {
      const input = read();
      const userId = body.string(input, 'userId');
      const role = name(body.string(input, 'role'), 'role');
      const had = await change(appId, tenantId, userId, role);
      return had === undefined ? UNKNOWN_ROLE : { status: 'OK', [field]: had };
    },
  };
}

/**
 * User roles and permissions (docs/embedded-core.md, User roles): roles and their permissions are
 * app-wide, role assignments are per tenant, user ids are not checked against users. Roles have
 * no logic beyond storage, so the routes call the store's atomic methods directly.
 */
export function userRolesRoutes({ store }: CoreContext): CoreRoute[] {
  return [
    {
      method: 'PUT',
      path: '/recipe/role',
      scope: 'public-only',
      handler: async ({ appId, body: read }) => {
        const { role, permissions = [] } = roleAndPermissions(read());
        return { status: 'OK', createdNewRole: await store.upsertRole(appId, role, permissions) };
      },
    },
    {
      method: 'POST',
      path: '/recipe/role/remove',
      scope: 'public-only',
      handler: async ({ appId, body: read }) => {
        const role = name(body.string(read(), 'role'), 'role');
        return { status: 'OK', didRoleExist: await store.deleteRole(appId, role) };
      },
    },
    {
      method: 'GET',
      path: '/recipe/roles',
      scope: 'public-only',
      handler: async ({ appId }) => ({ roles: await store.listRoles(appId), status: 'OK' }),
    },
    {
      method: 'GET',
      path: '/recipe/role/permissions',
      scope: 'public-only',
      handler: async ({ appId, query: q }) => {
        const permissions = await store.getRolePermissions(
          appId,
          name(query.string(q, 'role'), 'role'),
        );
        return permissions ? { permissions, status: 'OK' } : UNKNOWN_ROLE;
      },
    },
    {
      method: 'POST',
      path: '/recipe/role/permissions/remove',
      scope: 'public-only',
      handler: async ({ appId, body: read }) => {
        const { role, permissions } = roleAndPermissions(read());
        return (await store.removeRolePermissions(appId, role, permissions))
          ? { status: 'OK' }
          : UNKNOWN_ROLE;
      },
    },
    {
      method: 'GET',
      path: '/recipe/permission/roles',
      scope: 'public-only',
      handler: async ({ appId, query: q }) => ({
        roles: await store.rolesWithPermission(
          appId,
          name(query.string(q, 'permission'), 'permission'),
        ),
        status: 'OK',
      }),
    },
    userRoleChange('PUT', '/recipe/user/role', 'didUserAlreadyHaveRole', (...a) =>
      store.addUserRole(...a),
    ),
    userRoleChange('POST', '/recipe/user/role/remove', 'didUserHaveRole', (...a) =>
      store.removeUserRole(...a),
    ),
    {
      method: 'GET',
      path: '/recipe/user/roles',
      scope: 'tenant',
      handler: async ({ appId, tenantId, query: q }) => ({
        roles: await store.getUserRoles(appId, tenantId, query.string(q, 'userId')),
        status: 'OK',
      }),
    },
    {
      method: 'GET',
      path: '/recipe/role/users',
      scope: 'tenant',
      handler: async ({ appId, tenantId, query: q }) => {
        const users = await store.usersWithRole(
          appId,
          tenantId,
          name(query.string(q, 'role'), 'role'),
        );
        return users ? { users, status: 'OK' } : UNKNOWN_ROLE;
      },
    },
  ];
}
