import type { SessionRecord } from '../records.js';
import type { SessionPatch, SessionStorage } from '../storage/session.storage.js';
import type { SqlClient, SqlExecutor, SqlRow } from './sql-client.js';
import { json, num, optionalCharColumn, text } from './sql-rows.js';

function sessionFrom(row: SqlRow): SessionRecord {
  return {
    handle: text(row, 'session_handle'),
    recipeUserId: text(row, 'user_id'),
    userId: optionalCharColumn(row, 'primary_id') ?? text(row, 'user_id'),
    tenantId: text(row, 'tenant_id'),
    refreshTokenHash2: text(row, 'refresh_token_hash_2'),
    expiry: num(row, 'expires_at'),
    timeCreated: num(row, 'created_at_time'),
    userDataInJWT: json(row.jwt_user_payload ?? '{}') as Record<string, unknown>,
    userDataInDatabase: json(row.session_data ?? '{}') as Record<string, unknown>,
    useStaticKey: Boolean(row.use_static_key),
  };
}

export function sessionQueries(db: SqlClient): SessionStorage {
  return {
    async createSession(
      appId: string,
      session: Omit<SessionRecord, 'userId'>,
    ): Promise<SessionRecord> {
      // One round trip: the insert, and the user the recipe user id belongs to.
      const { rows } = await db.query(
        `WITH inserted AS (
           INSERT INTO session_info (app_id, tenant_id, session_handle, user_id, refresh_token_hash_2,
             session_data, expires_at, created_at_time, jwt_user_payload, use_static_key)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING user_id)
         SELECT (SELECT primary_or_recipe_user_id FROM app_id_to_user_id
                 WHERE app_id = $1 AND user_id = $4) AS primary_id
         FROM inserted`,
        [
          appId,
          session.tenantId,
          session.handle,
          session.recipeUserId,
          session.refreshTokenHash2,
          JSON.stringify(session.userDataInDatabase),
          session.expiry,
          session.timeCreated,
          JSON.stringify(session.userDataInJWT),
          session.useStaticKey,
        ],
      );
      // A session's user id need not be a user's (VARCHAR): only a primary user id is CHAR(36).
      const userId = optionalCharColumn(rows[0], 'primary_id') ?? session.recipeUserId;
      return { ...session, userId };
    },

    async getSession(appId: string, handle: string): Promise<SessionRecord | undefined> {
      const { rows } = await db.query(
        `SELECT s.*, a.primary_or_recipe_user_id AS primary_id FROM session_info s
         LEFT JOIN app_id_to_user_id a ON a.app_id = s.app_id AND a.user_id = s.user_id
         WHERE s.app_id = $1 AND s.session_handle = $2`,
        [appId, handle],
      );
      return rows[0] && sessionFrom(rows[0]);
    },

    async updateSession(
      appId: string,
      handle: string,
      patch: SessionPatch,
      expectedRefreshTokenHash2?: string,
    ): Promise<boolean> {
      const params: unknown[] = [appId, handle];
      const param = (value: unknown): string => `$${params.push(value)}`;
      const sets: string[] = [];
      if (patch.refreshTokenHash2 !== undefined)
        sets.push(`refresh_token_hash_2 = ${param(patch.refreshTokenHash2)}`);
      if (patch.expiry !== undefined) sets.push(`expires_at = ${param(patch.expiry)}`);
      if (patch.userDataInJWT !== undefined)
        sets.push(`jwt_user_payload = ${param(JSON.stringify(patch.userDataInJWT))}`);
      if (patch.userDataInDatabase !== undefined)
        sets.push(`session_data = ${param(JSON.stringify(patch.userDataInDatabase))}`);
      if (patch.useStaticKey !== undefined)
        sets.push(`use_static_key = ${param(patch.useStaticKey)}`);
      if (sets.length === 0) sets.push('session_handle = session_handle');
      const guard =
        expectedRefreshTokenHash2 === undefined
          ? ''
          : ` AND refresh_token_hash_2 = ${param(expectedRefreshTokenHash2)}`;
      const { rowCount } = await db.query(
        `UPDATE session_info SET ${sets.join(', ')} WHERE app_id = $1 AND session_handle = $2${guard}`,
        params,
      );
      return rowCount > 0;
    },

    async deleteSessions(appId: string, handles: string[]): Promise<string[]> {
      if (handles.length === 0) return [];
      const { rows } = await db.query(
        'DELETE FROM session_info WHERE app_id = $1 AND session_handle = ANY($2::text[]) RETURNING session_handle',
        [appId, handles],
      );
      return rows.map((r) => text(r, 'session_handle'));
    },

    async listSessionHandles(
      appId: string,
      userIds: string[],
      tenantId?: string,
    ): Promise<string[]> {
      const { rows } = await db.query(
        `SELECT session_handle FROM session_info WHERE app_id = $1 AND user_id = ANY($2::text[])
           AND ($3::text IS NULL OR tenant_id = $3)`,
        [appId, userIds, tenantId ?? null],
      );
      return rows.map((r) => text(r, 'session_handle'));
    },
  };
}

export async function deleteExpiredSessions(db: SqlExecutor, now: number): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM session_info WHERE expires_at < $1', [now]);
  return rowCount;
}
