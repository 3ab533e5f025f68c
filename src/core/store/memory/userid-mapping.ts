import type {
  NonAuthRecipe,
  UserIdMappingRecord,
  UserIdMappingStorage,
  UserIdType,
} from '../storage/userid-mapping.storage.js';
import type { AppTables, MemoryTables } from './memory-tables.js';
import { userOf } from './users.js';

function find(
  tables: AppTables,
  userId: string,
  type: UserIdType,
): UserIdMappingRecord | undefined {
  const superTokensUserId = type === 'SUPERTOKENS' ? userId : tables.externalUserIds.get(userId);
  return superTokensUserId === undefined ? undefined : tables.userIdMappings.get(superTokensUserId);
}

const copy = (mapping: UserIdMappingRecord | undefined): UserIdMappingRecord | undefined =>
  mapping && { ...mapping };

/** Drops the mapping of a deleted user (what the SQL foreign key's cascade does). */
export function removeUserIdMapping(tables: AppTables, superTokensUserId: string): void {
  const mapping = tables.userIdMappings.get(superTokensUserId);
  if (!mapping) return;
  tables.userIdMappings.delete(superTokensUserId);
  tables.externalUserIds.delete(mapping.externalUserId);
}

/**
 * The id a user's non-auth data (sessions, roles, metadata, …) is kept under: its external id;
 * none when that is itself another user's id (whose data it names).
 */
export function nonAuthUserId(tables: AppTables, superTokensUserId: string): string | undefined {
  const external = tables.userIdMappings.get(superTokensUserId)?.externalUserId;
  if (external === undefined) return superTokensUserId;
  return userOf(tables, external) ? undefined : external;
}

export function memoryUserIdMapping(memory: MemoryTables): UserIdMappingStorage {
  return {
    createUserIdMapping(appId, mapping) {
      const tables = memory.app(appId);
      const { superTokensUserId: st, externalUserId: ext } = mapping;
      if (!userOf(tables, st)) {
        return Promise.resolve({ status: 'UNKNOWN_SUPERTOKENS_USER_ID_ERROR' });
      }
      const byUser = tables.userIdMappings.get(st);
      if (byUser || tables.externalUserIds.has(ext)) {
        return Promise.resolve({
          status: 'USER_ID_MAPPING_ALREADY_EXISTS_ERROR',
          doesSuperTokensUserIdExist: byUser !== undefined,
          doesExternalUserIdExist: byUser ? byUser.externalUserId === ext : true,
        });
      }
      tables.userIdMappings.set(st, { ...mapping });
      tables.externalUserIds.set(ext, st);
      return Promise.resolve({ status: 'OK' });
    },

    getUserIdMapping(appId, userId, type) {
      return Promise.resolve(copy(find(memory.app(appId), userId, type)));
    },

    findUserIdMappings(appId, userId) {
      const tables = memory.app(appId);
      const found = [find(tables, userId, 'SUPERTOKENS'), find(tables, userId, 'EXTERNAL')];
      return Promise.resolve(found.flatMap((m) => (m ? [{ ...m }] : [])));
    },

    externalUserIds(appId, superTokensUserIds) {
      const tables = memory.app(appId);
      const found = new Map<string, string>();
      for (const id of superTokensUserIds) {
        const mapping = tables.userIdMappings.get(id);
        if (mapping) found.set(id, mapping.externalUserId);
      }
      return Promise.resolve(found);
    },

    deleteUserIdMapping(appId, userId, type) {
      const tables = memory.app(appId);
      const mapping = find(tables, userId, type);
      if (mapping) removeUserIdMapping(tables, mapping.superTokensUserId);
      return Promise.resolve(mapping !== undefined);
    },

    updateExternalUserIdInfo(appId, userId, type, info) {
      const mapping = find(memory.app(appId), userId, type);
      if (!mapping) return Promise.resolve(false);
      if (info === null) delete mapping.externalUserIdInfo;
      else mapping.externalUserIdInfo = info;
      return Promise.resolve(true);
    },

    isSuperTokensUserId(appId, userId) {
      return Promise.resolve(userOf(memory.app(appId), userId) !== undefined);
    },

    nonAuthRecipesUsingUserId(appId, userId, now) {
      const tables = memory.app(appId);
      const used: NonAuthRecipe[] = [];
      const sessions = [...(tables.sessionsByUser.get(userId) ?? [])];
      if (sessions.some((handle) => (tables.sessions.get(handle)?.expiry ?? -1) >= now)) {
        used.push('Session');
      }
      if (tables.metadata.has(userId)) used.push('UserMetadata');
      if ([...tables.userRoles].some(([k, roles]) => k.endsWith(`\n${userId}`) && roles.size > 0)) {
        used.push('UserRoles');
      }
      if (
        [...tables.verifiedEmails].some((entry) => entry.startsWith(`${userId}\n`)) ||
        [...tables.verificationTokens.values()].some((token) => token.userId === userId)
      ) {
        used.push('EmailVerification');
      }
      if ((tables.totpUsers.get(userId)?.devices.size ?? 0) > 0) used.push('TOTP');
      return Promise.resolve(used);
    },
  };
}
