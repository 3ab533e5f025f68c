import type { CoreContext } from '../core.context.js';
import { badRequest, invalidField } from '../http/core-error.js';
import { body, type JsonObject, query } from '../http/json-input.js';
import type { CoreRoute } from '../http/route.js';
import { type UserIdLookup, UserIdMappingService } from './userid-mapping.service.js';

/** A required string, trimmed, that may not end up empty. */
function nonEmpty(value: string, field: string): string {
  const trimmed = value.trim();
  if (trimmed === '') throw badRequest(`Field name '${field}' cannot be an empty String`);
  return trimmed;
}

/** `userIdType`: absent is ANY; otherwise exactly one of the three names (trimmed). */
function userIdType(value: string | undefined): UserIdLookup {
  const type = value?.trim() ?? 'ANY';
  if (type !== 'SUPERTOKENS' && type !== 'EXTERNAL' && type !== 'ANY') {
    throw badRequest("Field name 'userIdType' should be one of 'SUPERTOKENS', 'EXTERNAL' or 'ANY'");
  }
  return type;
}

/** `externalUserIdInfo`: JSON `null` is none, a string is trimmed and may not end up empty. */
function info(input: JsonObject, required: boolean): string | null {
  const value = input.externalUserIdInfo;
  if (value === null || (value === undefined && !required)) return null;
  if (typeof value !== 'string') throw invalidField('externalUserIdInfo');
  return nonEmpty(value, 'externalUserIdInfo');
}

/** The real core's optional boolean: a JSON number reads as `false` (Java's `parseBoolean`). */
function force(input: JsonObject): boolean {
  const value = input.force;
  if (value === undefined || typeof value === 'number') return false;
  if (typeof value !== 'boolean') throw invalidField('force');
  return value;
}

/**
 * `POST /recipe/userid/map`, `GET /recipe/userid/map`, `POST /recipe/userid/map/remove` and
 * `PUT /recipe/userid/external-user-id-info` (docs/embedded-core.md, User id mapping): app-level
 * APIs, with the real core's validation order and texts.
 */
export function userIdMappingRoutes(ctx: CoreContext): CoreRoute[] {
  const mappings = new UserIdMappingService(ctx);
  return [
    {
      method: 'POST',
      path: '/recipe/userid/map',
      scope: 'public-only',
      handler: async ({ appId, body: read }) => {
        const input = read();
        const superTokensUserId = nonEmpty(
          body.string(input, 'superTokensUserId'),
          'superTokensUserId',
        );
        const externalUserId = nonEmpty(body.string(input, 'externalUserId'), 'externalUserId');
        const externalUserIdInfo = info(input, false) ?? undefined;
        const result = await mappings.create(appId, {
          superTokensUserId,
          externalUserId,
          externalUserIdInfo,
          force: force(input),
        });
        return { ...result };
      },
    },
    {
      method: 'GET',
      path: '/recipe/userid/map',
      scope: 'public-only',
      handler: async ({ appId, query: q }) => {
        const userId = nonEmpty(query.string(q, 'userId'), 'userId');
        const type = userIdType(query.optionalString(q, 'userIdType'));
        const mapping = await mappings.get(appId, userId, type);
        if (!mapping) return { status: 'UNKNOWN_MAPPING_ERROR' };
        return {
          status: 'OK',
          superTokensUserId: mapping.superTokensUserId,
          externalUserId: mapping.externalUserId,
          ...(mapping.externalUserIdInfo !== undefined && {
            externalUserIdInfo: mapping.externalUserIdInfo,
          }),
        };
      },
    },
    {
      method: 'POST',
      path: '/recipe/userid/map/remove',
      scope: 'public-only',
      handler: async ({ appId, body: read }) => {
        const input = read();
        const userId = nonEmpty(body.string(input, 'userId'), 'userId');
        const type = userIdType(body.optionalString(input, 'userIdType'));
        const didMappingExist = await mappings.remove(appId, userId, type, force(input));
        return { status: 'OK', didMappingExist };
      },
    },
    {
      method: 'PUT',
      path: '/recipe/userid/external-user-id-info',
      scope: 'public-only',
      handler: async ({ appId, body: read }) => {
        const input = read();
        const userId = nonEmpty(body.string(input, 'userId'), 'userId');
        const type = userIdType(body.optionalString(input, 'userIdType'));
        const updated = await mappings.updateInfo(appId, userId, type, info(input, true));
        return { status: updated ? 'OK' : 'UNKNOWN_MAPPING_ERROR' };
      },
    },
  ];
}
