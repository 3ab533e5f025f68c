import { nextCounter } from '../counter.js';
import type { CounterStorage } from '../store.interface.js';
import type { MemoryTables } from './memory-tables.js';

export function memoryCounters(memory: MemoryTables): CounterStorage {
  const { counters } = memory;
  return {
    hitCounter(key, windowMs, now) {
      const next = nextCounter(counters.get(key), windowMs, now);
      counters.set(key, next);
      return Promise.resolve({ ...next });
    },

    getCounter(key, now) {
      const current = counters.get(key);
      return Promise.resolve(current && current.resetAt > now ? { ...current } : undefined);
    },

    deleteCounter(key) {
      counters.delete(key);
      return Promise.resolve();
    },
  };
}

export function deleteExpiredCounters(memory: MemoryTables, now: number): void {
  for (const [key, counter] of memory.counters) {
    if (counter.resetAt <= now) memory.counters.delete(key);
  }
}
