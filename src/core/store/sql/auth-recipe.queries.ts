import { type RecipeId, type UserRecord, userTimeJoined } from '../records.js';
import type {
  AccountInfoQuery,
  AuthRecipeStorage,
  UserListQuery,
} from '../storage/auth-recipe.storage.js';
import type { SqlClient } from './sql-client.js';
import { charColumn, num } from './sql-rows.js';
import { deleteWholeUser, loadUsers, primaryIdOf, userOf } from './users.sql.js';

/** The real core caps a search at this many hits. */
const SEARCH_CAP = 1000;

export function authRecipeQueries(db: SqlClient): AuthRecipeStorage {
  return {
    getUser(appId: string, userId: string): Promise<UserRecord | undefined> {
      return userOf(db, appId, userId);
    },

    async findUsers(
      appId: string,
      tenantId: string,
      query: AccountInfoQuery,
    ): Promise<UserRecord[]> {
      const { rows } = await db.query(
        `SELECT DISTINCT a.primary_or_recipe_user_id AS id FROM app_id_to_user_id a
         WHERE a.app_id = $1 AND a.user_id IN (
           SELECT user_id FROM emailpassword_user_to_tenant WHERE app_id = $1 AND tenant_id = $2 AND email = $3
           UNION
           SELECT user_id FROM passwordless_user_to_tenant
             WHERE app_id = $1 AND tenant_id = $2 AND (email = $3 OR phone_number = $4)
           UNION
           SELECT t.user_id FROM thirdparty_user_to_tenant t
             JOIN thirdparty_users u ON u.app_id = t.app_id AND u.user_id = t.user_id
             WHERE t.app_id = $1 AND t.tenant_id = $2 AND (u.email = $3
               OR (t.third_party_id = $5 AND t.third_party_user_id = $6))
           UNION
           SELECT user_id FROM webauthn_user_to_tenant WHERE app_id = $1 AND tenant_id = $2 AND email = $3)`,
        [
          appId,
          tenantId,
          query.email ?? null,
          query.phoneNumber ?? null,
          query.thirdParty?.id ?? null,
          query.thirdParty?.userId ?? null,
        ],
      );
      const users = await loadUsers(
        db,
        appId,
        rows.map((r) => charColumn(r, 'id')),
      );
      return users.sort((a, b) => userTimeJoined(a) - userTimeJoined(b));
    },

    async listUsers(appId: string, query: UserListQuery): Promise<UserRecord[]> {
      const { tenantId, search, from } = query;
      const params: unknown[] = [appId, tenantId];
      const param = (value: unknown): string => `$${params.push(value)}`;
      const where: string[] = ['r.app_id = $1', 'r.tenant_id = $2'];
      if (!search && query.recipeIds) where.push(`r.recipe_id = ANY(${param(query.recipeIds)})`);
      if (search) {
        const email = 'COALESCE(ep.email, pl.email, tp.email, wa.email)';
        if (search.emails.length > 0) {
          const tags = param(search.emails);
          where.push(
            `EXISTS (SELECT 1 FROM unnest(${tags}::text[]) t WHERE starts_with(${email}, t)` +
              ` OR position('@' || t IN ${email}) > 0)`,
          );
        }
        if (search.phones.length > 0) {
          where.push(
            `EXISTS (SELECT 1 FROM unnest(${param(search.phones)}::text[]) t WHERE starts_with(pl.phone_number, t))`,
          );
        }
        if (search.providers.length > 0) {
          where.push(
            `EXISTS (SELECT 1 FROM unnest(${param(search.providers)}::text[]) t WHERE starts_with(tp.third_party_id, t))`,
          );
        }
      }
      const desc = query.order === 'DESC';
      if (from) {
        const time = param(from.timeJoined);
        const id = param(from.userId);
        where.push(
          `(r.primary_or_recipe_user_time_joined ${desc ? '<' : '>'} ${time} OR ` +
            `(r.primary_or_recipe_user_time_joined = ${time} AND r.primary_or_recipe_user_id::text <= ${id} COLLATE "C"))`,
        );
      }
      const limit = param(search ? SEARCH_CAP : query.limit);
      const { rows } = await db.query(
        `SELECT DISTINCT r.primary_or_recipe_user_id::text COLLATE "C" AS id,
           r.primary_or_recipe_user_time_joined AS joined
         FROM all_auth_recipe_users r
         LEFT JOIN emailpassword_users ep ON ep.app_id = r.app_id AND ep.user_id = r.user_id
         LEFT JOIN passwordless_users pl ON pl.app_id = r.app_id AND pl.user_id = r.user_id
         LEFT JOIN thirdparty_users tp ON tp.app_id = r.app_id AND tp.user_id = r.user_id
         LEFT JOIN webauthn_users wa ON wa.app_id = r.app_id AND wa.user_id = r.user_id
         WHERE ${where.join(' AND ')}
         ORDER BY joined ${desc ? 'DESC' : 'ASC'}, id DESC LIMIT ${limit}`,
        params,
      );
      return loadUsers(
        db,
        appId,
        rows.map((r) => charColumn(r, 'id')),
      );
    },

    async countUsers(
      appId: string,
      tenantId: string | undefined,
      recipeIds?: RecipeId[],
    ): Promise<number> {
      const { rows } = await db.query(
        `SELECT COUNT(DISTINCT primary_or_recipe_user_id) AS n FROM all_auth_recipe_users
         WHERE app_id = $1 AND ($2::text IS NULL OR tenant_id = $2)
           AND ($3::text[] IS NULL OR recipe_id = ANY($3::text[]))`,
        [appId, tenantId ?? null, recipeIds ?? null],
      );
      return num(rows[0], 'n');
    },

    deleteUser(appId: string, userId: string): Promise<boolean> {
      return db.transaction(async (tx) => {
        const primaryId = await primaryIdOf(tx, appId, userId);
        if (primaryId === undefined) return false;
        await deleteWholeUser(tx, appId, primaryId);
        return true;
      });
    },
  };
}
