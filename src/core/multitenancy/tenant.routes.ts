import type { CoreContext } from '../core.context.js';
import { CoreHttpError } from '../http/core-error.js';
import type { CoreRoute } from '../http/route.js';
import { tenantView } from '../views.js';

/**
 * `GET /<t>/recipe/multitenancy/tenant/v2` and the tenant list (docs/embedded-core.md, Apps and
 * tenants). Tenants exist and are listed; nothing here changes them, so there is no service yet.
 */
export function tenantRoutes({ store }: CoreContext): CoreRoute[] {
  return [
    {
      method: 'GET',
      path: '/recipe/multitenancy/tenant/v2',
      // Not `tenant`: an unknown tenant is a 200 TENANT_NOT_FOUND_ERROR here, not a 400.
      scope: 'app',
      handler: async ({ appId, tenantId }) => {
        if (!(await store.hasTenant(appId, tenantId))) return { status: 'TENANT_NOT_FOUND_ERROR' };
        return { status: 'OK', ...tenantView(tenantId) };
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
        return { status: 'OK', tenants: (await store.listTenants(appId)).map(tenantView) };
      },
    },
  ];
}
