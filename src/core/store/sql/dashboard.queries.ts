import type { DashboardSessionRecord, DashboardUserRecord } from '../records.js';
import type { DashboardStorage, DashboardUserKey } from '../storage/dashboard.storage.js';
import type { SqlClient, SqlExecutor, SqlRow } from './sql-client.js';
import { charColumn, num, text, unlessTaken } from './sql-rows.js';

const dashboardUserFrom = (row: SqlRow): DashboardUserRecord => ({
  userId: charColumn(row, 'user_id'),
  email: text(row, 'email'),
  passwordHash: text(row, 'password_hash'),
  timeJoined: num(row, 'time_joined'),
});

const dashboardSessionFrom = (row: SqlRow): DashboardSessionRecord => ({
  sessionId: charColumn(row, 'session_id'),
  userId: charColumn(row, 'user_id'),
  timeCreated: num(row, 'time_created'),
  expiry: num(row, 'expiry'),
});

export function dashboardQueries(db: SqlClient): DashboardStorage {
  return {
    async createDashboardUser(
      appId: string,
      user: DashboardUserRecord,
    ): Promise<'OK' | 'EMAIL_ALREADY_EXISTS'> {
      return unlessTaken(async () => {
        await db.query(
          `INSERT INTO dashboard_users (app_id, user_id, email, password_hash, time_joined)
           VALUES ($1, $2, $3, $4, $5)`,
          [appId, user.userId, user.email, user.passwordHash, user.timeJoined],
        );
        return 'OK' as const;
      }, 'EMAIL_ALREADY_EXISTS' as const);
    },

    async getDashboardUser(
      appId: string,
      key: DashboardUserKey,
    ): Promise<DashboardUserRecord | undefined> {
      const byId = 'userId' in key;
      const { rows } = await db.query(
        `SELECT * FROM dashboard_users WHERE app_id = $1 AND ${byId ? 'user_id' : 'email'} = $2`,
        [appId, byId ? key.userId : key.email],
      );
      return rows[0] && dashboardUserFrom(rows[0]);
    },

    async updateDashboardUser(
      appId: string,
      userId: string,
      patch: { email?: string; passwordHash?: string },
    ): Promise<'OK' | 'UNKNOWN_USER' | 'EMAIL_ALREADY_EXISTS'> {
      return unlessTaken(async () => {
        const { rowCount } = await db.query(
          `UPDATE dashboard_users SET email = COALESCE($3, email),
             password_hash = COALESCE($4, password_hash) WHERE app_id = $1 AND user_id = $2`,
          [appId, userId, patch.email ?? null, patch.passwordHash ?? null],
        );
        return rowCount > 0 ? ('OK' as const) : ('UNKNOWN_USER' as const);
      }, 'EMAIL_ALREADY_EXISTS' as const);
    },

    async deleteDashboardUser(appId: string, key: DashboardUserKey): Promise<boolean> {
      const byId = 'userId' in key;
      const { rowCount } = await db.query(
        `DELETE FROM dashboard_users WHERE app_id = $1 AND ${byId ? 'user_id' : 'email'} = $2`,
        [appId, byId ? key.userId : key.email],
      );
      return rowCount > 0;
    },

    async listDashboardUsers(appId: string): Promise<DashboardUserRecord[]> {
      const { rows } = await db.query(
        'SELECT * FROM dashboard_users WHERE app_id = $1 ORDER BY time_joined',
        [appId],
      );
      return rows.map(dashboardUserFrom);
    },

    async createDashboardSession(appId: string, session: DashboardSessionRecord): Promise<void> {
      await db.query(
        `INSERT INTO dashboard_user_sessions (app_id, session_id, user_id, time_created, expiry)
         VALUES ($1, $2, $3, $4, $5)`,
        [appId, session.sessionId, session.userId, session.timeCreated, session.expiry],
      );
    },

    async getDashboardSession(
      appId: string,
      sessionId: string,
    ): Promise<DashboardSessionRecord | undefined> {
      const { rows } = await db.query(
        'SELECT * FROM dashboard_user_sessions WHERE app_id = $1 AND session_id = $2',
        [appId, sessionId],
      );
      return rows[0] && dashboardSessionFrom(rows[0]);
    },

    async deleteDashboardSession(appId: string, sessionId: string): Promise<void> {
      await db.query('DELETE FROM dashboard_user_sessions WHERE app_id = $1 AND session_id = $2', [
        appId,
        sessionId,
      ]);
    },

    async listDashboardSessions(appId: string, userId: string): Promise<DashboardSessionRecord[]> {
      const { rows } = await db.query(
        'SELECT * FROM dashboard_user_sessions WHERE app_id = $1 AND user_id = $2 ORDER BY time_created',
        [appId, userId],
      );
      return rows.map(dashboardSessionFrom);
    },
  };
}

export async function deleteExpiredDashboardSessions(
  db: SqlExecutor,
  now: number,
): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM dashboard_user_sessions WHERE expiry < $1', [
    now,
  ]);
  return rowCount;
}
