import type { CoreRoute } from './route.js';
import { CDI_VERSIONS } from './core.server.js';

/**
 * The paid features the embedded core serves, as a core with a licence key naming them would
 * list them (`EE_FEATURES`): it behaves as licensed for these (docs/embedded-core.md).
 */
export const SERVED_EE_FEATURES = ['account_linking', 'multi_tenancy', 'dashboard_login', 'mfa'];

/**
 * `GET /apiversion` (version negotiation), `GET /telemetry` (always off here) and
 * `GET /ee/featureflag` (the licensed features).
 */
export function metaRoutes(): CoreRoute[] {
  return [
    {
      method: 'GET',
      path: '/apiversion',
      scope: 'public-only',
      handler: () => Promise.resolve({ versions: [...CDI_VERSIONS] }),
    },
    {
      method: 'GET',
      path: '/telemetry',
      scope: 'public-only',
      handler: () => Promise.resolve({ exists: false }),
    },
    {
      method: 'GET',
      path: '/ee/featureflag',
      scope: 'public-only',
      // No usage statistics: nothing here is metered.
      handler: () =>
        Promise.resolve({ features: [...SERVED_EE_FEATURES], usageStats: {}, status: 'OK' }),
    },
  ];
}
