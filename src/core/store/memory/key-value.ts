import type { KeyValueStorage } from '../store.interface.js';
import type { MemoryTables } from './memory-tables.js';

export function memoryKeyValues(memory: MemoryTables): KeyValueStorage {
  return {
    getOrCreateAppValue(appId, name, create) {
      const values = memory.app(appId).values;
      let value = values.get(name);
      if (value === undefined) values.set(name, (value = create()));
      return Promise.resolve(value);
    },
  };
}
