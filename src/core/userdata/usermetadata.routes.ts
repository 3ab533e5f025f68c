import type { CoreContext } from '../core.context.js';
import { body, query } from '../http/json-input.js';
import type { CoreRoute } from '../http/route.js';

/**
 * User metadata (docs/embedded-core.md, User metadata): app-wide, any user id, shallow merge where
 * `null` deletes a key (in the store, atomically), so the routes call the store directly.
 */
export function userMetadataRoutes({ store }: CoreContext): CoreRoute[] {
  return [
    {
      method: 'GET',
      path: '/recipe/user/metadata',
      scope: 'public-only',
      handler: async ({ appId, query: q }) => ({
        metadata: await store.getUserMetadata(appId, query.string(q, 'userId')),
        status: 'OK',
      }),
    },
    {
      method: 'PUT',
      path: '/recipe/user/metadata',
      scope: 'public-only',
      handler: async ({ appId, body: read }) => {
        const input = read();
        const userId = body.string(input, 'userId');
        const update = body.object(input, 'metadataUpdate');
        return { metadata: await store.mergeUserMetadata(appId, userId, update), status: 'OK' };
      },
    },
    {
      method: 'POST',
      path: '/recipe/user/metadata/remove',
      scope: 'public-only',
      handler: async ({ appId, body: read }) => {
        await store.deleteUserMetadata(appId, body.string(read(), 'userId'));
        return { status: 'OK' };
      },
    },
  ];
}
