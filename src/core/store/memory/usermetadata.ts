import type { UserMetadataStorage } from '../store.interface.js';
import type { MemoryTables } from './memory-tables.js';

export function memoryUserMetadata(memory: MemoryTables): UserMetadataStorage {
  return {
    getUserMetadata(appId, userId) {
      return Promise.resolve(structuredClone(memory.app(appId).metadata.get(userId) ?? {}));
    },

    mergeUserMetadata(appId, userId, update) {
      const metadata = memory.app(appId).metadata;
      const merged: Record<string, unknown> = { ...metadata.get(userId) };
      for (const [field, value] of Object.entries(structuredClone(update))) {
        if (value === null) delete merged[field];
        else merged[field] = value;
      }
      metadata.set(userId, merged);
      return Promise.resolve(structuredClone(merged));
    },

    deleteUserMetadata(appId, userId) {
      memory.app(appId).metadata.delete(userId);
      return Promise.resolve();
    },
  };
}
