import type { CoreContext } from '../core.context.js';
import { query } from '../http/json-input.js';
import type { CoreRoute } from '../http/route.js';

/** The role reads the SDK makes for the `st-role`/`st-perm` claims at session creation (spec §6.2). */
export function userRolesRoutes({ store }: CoreContext): CoreRoute[] {
  return [
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
      path: '/recipe/role/permissions',
      scope: 'public-only',
      handler: async ({ appId, query: q }) => {
        const permissions = await store.getRolePermissions(appId, query.string(q, 'role').trim());
        return permissions ? { permissions, status: 'OK' } : { status: 'UNKNOWN_ROLE_ERROR' };
      },
    },
  ];
}
