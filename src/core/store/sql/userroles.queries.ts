import type { UserRolesStorage } from '../storage/userroles.storage.js';
import type { SqlClient, SqlExecutor } from './sql-client.js';
import { text } from './sql-rows.js';

async function roleExists(db: SqlExecutor, appId: string, role: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'SELECT 1 FROM roles WHERE app_id = $1 AND role = $2 FOR SHARE',
    [appId, role],
  );
  return rowCount > 0;
}

/**
 * Runs one write on `user_roles` (params: app, tenant, user, role) if the role exists, under a
 * share lock on it so a concurrent `deleteRole` cannot leave the write behind. Returns the
 * written row count, or undefined when the role does not exist.
 */
function userRoleWrite(
  db: SqlClient,
  sql: string,
  appId: string,
  tenantId: string,
  userId: string,
  role: string,
): Promise<number | undefined> {
  return db.transaction(async (tx) => {
    if (!(await roleExists(tx, appId, role))) return undefined;
    return (await tx.query(sql, [appId, tenantId, userId, role])).rowCount;
  });
}

export function userRolesQueries(db: SqlClient): UserRolesStorage {
  return {
    async getUserRoles(appId: string, tenantId: string, userId: string): Promise<string[]> {
      const { rows } = await db.query(
        'SELECT role FROM user_roles WHERE app_id = $1 AND tenant_id = $2 AND user_id = $3',
        [appId, tenantId, userId],
      );
      return rows.map((r) => text(r, 'role'));
    },

    async getRolePermissions(appId: string, role: string): Promise<string[] | undefined> {
      if (!(await roleExists(db, appId, role))) return undefined;
      const { rows } = await db.query(
        'SELECT permission FROM role_permissions WHERE app_id = $1 AND role = $2',
        [appId, role],
      );
      return rows.map((r) => text(r, 'permission'));
    },

    upsertRole(appId: string, role: string, permissions: string[]): Promise<boolean> {
      return db.transaction(async (tx) => {
        const created = await tx.query(
          'INSERT INTO roles (app_id, role) VALUES ($1, $2) ON CONFLICT DO NOTHING',
          [appId, role],
        );
        await tx.query(
          `INSERT INTO role_permissions (app_id, role, permission)
           SELECT $1, $2, p FROM unnest($3::text[]) p ON CONFLICT DO NOTHING`,
          [appId, role, permissions],
        );
        return created.rowCount > 0;
      });
    },

    deleteRole(appId: string, role: string): Promise<boolean> {
      return db.transaction(async (tx) => {
        const deleted = await tx.query('DELETE FROM roles WHERE app_id = $1 AND role = $2', [
          appId,
          role,
        ]);
        await tx.query('DELETE FROM user_roles WHERE app_id = $1 AND role = $2', [appId, role]);
        return deleted.rowCount > 0;
      });
    },

    async listRoles(appId: string): Promise<string[]> {
      const { rows } = await db.query('SELECT role FROM roles WHERE app_id = $1', [appId]);
      return rows.map((r) => text(r, 'role'));
    },

    removeRolePermissions(appId: string, role: string, permissions?: string[]): Promise<boolean> {
      return db.transaction(async (tx) => {
        if (!(await roleExists(tx, appId, role))) return false;
        await tx.query(
          `DELETE FROM role_permissions WHERE app_id = $1 AND role = $2
             AND ($3::text[] IS NULL OR permission = ANY($3::text[]))`,
          [appId, role, permissions ?? null],
        );
        return true;
      });
    },

    async rolesWithPermission(appId: string, permission: string): Promise<string[]> {
      const { rows } = await db.query(
        'SELECT role FROM role_permissions WHERE app_id = $1 AND permission = $2',
        [appId, permission],
      );
      return rows.map((r) => text(r, 'role'));
    },

    async addUserRole(
      appId: string,
      tenantId: string,
      userId: string,
      role: string,
    ): Promise<boolean | undefined> {
      const added = await userRoleWrite(
        db,
        'INSERT INTO user_roles (app_id, tenant_id, user_id, role) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        appId,
        tenantId,
        userId,
        role,
      );
      return added === undefined ? undefined : added === 0;
    },

    async removeUserRole(
      appId: string,
      tenantId: string,
      userId: string,
      role: string,
    ): Promise<boolean | undefined> {
      const removed = await userRoleWrite(
        db,
        'DELETE FROM user_roles WHERE app_id = $1 AND tenant_id = $2 AND user_id = $3 AND role = $4',
        appId,
        tenantId,
        userId,
        role,
      );
      return removed === undefined ? undefined : removed > 0;
    },

    async usersWithRole(
      appId: string,
      tenantId: string,
      role: string,
    ): Promise<string[] | undefined> {
      if (!(await roleExists(db, appId, role))) return undefined;
      const { rows } = await db.query(
        'SELECT user_id FROM user_roles WHERE app_id = $1 AND tenant_id = $2 AND role = $3',
        [appId, tenantId, role],
      );
      return rows.map((r) => text(r, 'user_id'));
    },
  };
}
