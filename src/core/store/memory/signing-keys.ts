import type { SigningKeyStorage } from '../store.interface.js';
import type { MemoryTables } from './memory-tables.js';

export function memorySigningKeys(memory: MemoryTables): SigningKeyStorage {
  return {
    listSigningKeys(appId) {
      return Promise.resolve([...memory.app(appId).signingKeys.values()].map((k) => ({ ...k })));
    },

    addSigningKeyUnlessFresh(appId, signingKey, since) {
      const keys = memory.app(appId).signingKeys;
      const fresh = [...keys.values()].some(
        (k) => k.type === signingKey.type && (k.type === 'static' || k.createdAt >= since),
      );
      if (!fresh) keys.set(signingKey.kid, { ...signingKey });
      return Promise.resolve(!fresh);
    },

    removeSigningKeys(appId, kids) {
      const tables = memory.app(appId);
      for (const kid of kids) tables.signingKeys.delete(kid);
      return Promise.resolve();
    },
  };
}
