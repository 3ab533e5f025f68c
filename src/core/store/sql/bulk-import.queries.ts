import type {
  BulkImportListQuery,
  BulkImportStatus,
  BulkImportStorage,
  BulkImportUserRow,
} from '../storage/bulk-import.storage.js';
import type { SqlClient, SqlRow } from './sql-client.js';
import {
  charColumn,
  num,
  optionalCharColumn,
  optionalText,
  text,
  unlessTaken,
} from './sql-rows.js';

const rowFrom = (row: SqlRow): BulkImportUserRow => ({
  id: charColumn(row, 'id'),
  rawData: text(row, 'raw_data'),
  status: text(row, 'status') as BulkImportStatus,
  primaryUserId: optionalCharColumn(row, 'primary_user_id'),
  errorMessage: optionalText(row, 'error_msg'),
  createdAt: num(row, 'created_at'),
  updatedAt: num(row, 'updated_at'),
});

/**
 * `bulk_import_users` in the PostgreSQL plugin 9.4's queries (`BulkImportQueries.java`). The
 * one method that is not a single statement, `importTransaction`, lives in `sql.store.ts`: it
 * needs the whole store.
 */
export function bulkImportQueries(db: SqlClient): Omit<BulkImportStorage, 'importTransaction'> {
  return {
    addBulkImportUsers(appId, users, now) {
      return unlessTaken(async () => {
        await db.transaction(async (tx) => {
          // One statement per thousand rows: 10 000 users stay far below the 65 535 parameters.
          for (let start = 0; start < users.length; start += 1000) {
            const chunk = users.slice(start, start + 1000);
            await tx.query(
              `INSERT INTO bulk_import_users (id, app_id, raw_data, created_at, updated_at) VALUES ${chunk
                .map((_, i) => `($${i * 2 + 3}, $1, $${i * 2 + 4}, $2, $2)`)
                .join(', ')}`,
              [appId, now, ...chunk.flatMap((u) => [u.id, u.rawData])],
            );
          }
        });
        return 'OK' as const;
      }, 'DUPLICATE_ID' as const);
    },

    async listBulkImportUsers(appId, query: BulkImportListQuery) {
      const params: unknown[] = [appId];
      let where = 'app_id = $1';
      if (query.status) {
        params.push(query.status);
        where += ` AND status = $${params.length}`;
      }
      if (query.from) {
        params.push(query.from.createdAt, query.from.id);
        const [at, id] = [params.length - 1, params.length];
        where += ` AND (created_at < $${at} OR (created_at = $${at} AND id <= $${id}))`;
      }
      params.push(query.limit);
      const { rows } = await db.query(
        `SELECT * FROM bulk_import_users WHERE ${where}
         ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
        params,
      );
      return rows.map(rowFrom);
    },

    async countBulkImportUsers(appId, status) {
      const { rows } = status
        ? await db.query(
            'SELECT COUNT(*) AS n FROM bulk_import_users WHERE app_id = $1 AND status = $2',
            [appId, status],
          )
        : await db.query('SELECT COUNT(*) AS n FROM bulk_import_users WHERE app_id = $1', [appId]);
      return num(rows[0], 'n');
    },

    async deleteBulkImportUsers(appId, ids) {
      if (ids.length === 0) return [];
      const { rows } = await db.query(
        'DELETE FROM bulk_import_users WHERE app_id = $1 AND id = ANY($2::text[]) RETURNING id',
        [appId, ids],
      );
      return rows.map((row) => charColumn(row, 'id'));
    },

    takeBulkImportUsers(appId, limit, now, staleBefore) {
      return db.transaction(async (tx) => {
        const { rows } = await tx.query(
          `SELECT * FROM bulk_import_users WHERE app_id = $1
             AND (status = 'NEW' OR (status = 'PROCESSING' AND updated_at < $3))
           LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [appId, limit, staleBefore],
        );
        const taken = rows.map(rowFrom);
        if (taken.length === 0) return [];
        await tx.query(
          `UPDATE bulk_import_users SET status = 'PROCESSING', updated_at = $2
           WHERE app_id = $1 AND id = ANY($3::text[])`,
          [appId, now, taken.map((row) => row.id)],
        );
        return taken.map((row) => ({ ...row, status: 'PROCESSING' as const, updatedAt: now }));
      });
    },

    async failBulkImportUsers(appId, errors, now) {
      if (errors.size === 0) return;
      await db.query(
        `UPDATE bulk_import_users AS b SET status = 'FAILED', error_msg = e.msg, updated_at = $2
         FROM unnest($3::text[], $4::text[]) AS e(id, msg) WHERE b.app_id = $1 AND b.id = e.id`,
        [appId, now, [...errors.keys()], [...errors.values()]],
      );
    },
  };
}
