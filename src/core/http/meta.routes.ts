import type { CoreRoute } from './route.js';
import { CDI_VERSIONS } from './core.server.js';

/** `GET /apiversion` (version negotiation) and `GET /telemetry` (always off here). */
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
  ];
}
