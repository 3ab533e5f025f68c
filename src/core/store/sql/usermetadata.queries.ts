import type { UserMetadataStorage } from '../storage/usermetadata.storage.js';
import type { SqlClient } from './sql-client.js';
import { json } from './sql-rows.js';

export function userMetadataQueries(db: SqlClient): UserMetadataStorage {
  return {
    async getUserMetadata(appId: string, userId: string): Promise<Record<string, unknown>> {
      const { rows } = await db.query(
        'SELECT user_metadata FROM user_metadata WHERE app_id = $1 AND user_id = $2',
        [appId, userId],
      );
      return rows[0] ? (json(rows[0].user_metadata) as Record<string, unknown>) : {};
    },

    mergeUserMetadata(
      appId: string,
      userId: string,
      update: Record<string, unknown>,
    ): Promise<Record<string, unknown>> {
      return db.transaction(async (tx) => {
        // Insert-then-lock: two first merges for one user must not overwrite each other.
        await tx.query(
          "INSERT INTO user_metadata (app_id, user_id, user_metadata) VALUES ($1, $2, '{}') ON CONFLICT DO NOTHING",
          [appId, userId],
        );
        const { rows } = await tx.query(
          'SELECT user_metadata FROM user_metadata WHERE app_id = $1 AND user_id = $2 FOR UPDATE',
          [appId, userId],
        );
        const merged = json(rows[0].user_metadata) as Record<string, unknown>;
        for (const [field, value] of Object.entries(update)) {
          if (value === null) delete merged[field];
          else merged[field] = value;
        }
        await tx.query(
          'UPDATE user_metadata SET user_metadata = $3 WHERE app_id = $1 AND user_id = $2',
          [appId, userId, JSON.stringify(merged)],
        );
        return merged;
      });
    },

    async deleteUserMetadata(appId: string, userId: string): Promise<void> {
      await db.query('DELETE FROM user_metadata WHERE app_id = $1 AND user_id = $2', [
        appId,
        userId,
      ]);
    },
  };
}
