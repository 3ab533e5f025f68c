import type { BulkImportStorage, BulkImportUserRow } from '../storage/bulk-import.storage.js';
import type { AppTables, MemoryTables } from './memory-tables.js';

/** `created_at DESC, id DESC`, as the plugin's pagination index. */
const newestFirst = (a: BulkImportUserRow, b: BulkImportUserRow): number =>
  b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

export function memoryBulkImport(
  memory: MemoryTables,
): Omit<BulkImportStorage, 'importTransaction'> {
  const rows = (appId: string) => memory.app(appId).bulkImportUsers;
  return {
    addBulkImportUsers(appId, users, now) {
      const table = rows(appId);
      if (
        users.some((u) => table.has(u.id)) ||
        new Set(users.map((u) => u.id)).size < users.length
      ) {
        return Promise.resolve('DUPLICATE_ID');
      }
      for (const { id, rawData } of users) {
        table.set(id, { id, rawData, status: 'NEW', createdAt: now, updatedAt: now });
      }
      return Promise.resolve('OK');
    },

    listBulkImportUsers(appId, { status, limit, from }) {
      const page = [...rows(appId).values()]
        .filter((row) => !status || row.status === status)
        .filter(
          (row) =>
            !from ||
            row.createdAt < from.createdAt ||
            (row.createdAt === from.createdAt && row.id <= from.id),
        )
        .sort(newestFirst)
        .slice(0, limit);
      return Promise.resolve(page.map((row) => ({ ...row })));
    },

    countBulkImportUsers(appId, status) {
      let count = 0;
      for (const row of rows(appId).values()) if (!status || row.status === status) count++;
      return Promise.resolve(count);
    },

    deleteBulkImportUsers(appId, ids) {
      const table = rows(appId);
      return Promise.resolve([...new Set(ids)].filter((id) => table.delete(id)));
    },

    takeBulkImportUsers(appId, limit, now, staleBefore) {
      const taken: BulkImportUserRow[] = [];
      for (const row of rows(appId).values()) {
        if (taken.length >= limit) break;
        if (row.status === 'NEW' || (row.status === 'PROCESSING' && row.updatedAt < staleBefore)) {
          row.status = 'PROCESSING';
          row.updatedAt = now;
          taken.push({ ...row });
        }
      }
      return Promise.resolve(taken);
    },

    failBulkImportUsers(appId, errors, now) {
      const table = rows(appId);
      for (const [id, message] of errors) {
        const row = table.get(id);
        if (!row) continue;
        row.status = 'FAILED';
        row.errorMessage = message;
        row.updatedAt = now;
      }
      return Promise.resolve();
    },
  };
}

/**
 * The memory store's transaction: a copy of the app's tables taken before `work`, put back if
 * it throws. A copy per call costs time in proportion to the app's data, which the memory store
 * (for development and tests) can afford. `work` must not wait on anything but the store (no
 * timers, no I/O), so no other request's write lands between the copy and a restore.
 */
export async function memoryTransaction<T>(app: AppTables, work: () => Promise<T>): Promise<T> {
  const fields = Object.entries(app) as [string, Map<unknown, unknown> | Set<unknown>][];
  // One clone of them all, so a record two tables share stays shared in the copy.
  const saved = structuredClone(fields.map(([, table]) => table));
  try {
    return await work();
  } catch (error) {
    fields.forEach(([, table], i) => {
      table.clear();
      const copy = saved[i];
      if (table instanceof Map) for (const [k, v] of copy as Map<unknown, unknown>) table.set(k, v);
      else for (const v of copy as Set<unknown>) table.add(v);
    });
    throw error;
  }
}
