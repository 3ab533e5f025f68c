import type { CoreContext } from '../core.context.js';
import type { CoreRoute } from '../http/route.js';

/** `GET /<t>/recipe/multitenancy/tenant/v2` (spec §3.2): every tenant has the default config. */
export function tenantRoutes({ store }: CoreContext): CoreRoute[] {
  return [
    {
      method: 'GET',
      path: '/recipe/multitenancy/tenant/v2',
      // Not `tenant`: an unknown tenant is a 200 TENANT_NOT_FOUND_ERROR here, not a 400.
      scope: 'app',
      handler: async ({ appId, tenantId }) => {
        if (!(await store.hasTenant(appId, tenantId))) return { status: 'TENANT_NOT_FOUND_ERROR' };
        return { status: 'OK', tenantId, thirdParty: { providers: [] }, coreConfig: {} };
      },
    },
  ];
}
