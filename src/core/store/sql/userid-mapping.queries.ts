import type {
  CreateUserIdMappingResult,
  NonAuthRecipe,
  UserIdMappingRecord,
  UserIdMappingStorage,
  UserIdType,
} from '../storage/userid-mapping.storage.js';
import type { SqlClient, SqlRow } from './sql-client.js';
import { charColumn, optionalText, text } from './sql-rows.js';

/** PostgreSQL's SQLSTATE for a foreign-key violation (the user went meanwhile). */
const FOREIGN_KEY_VIOLATION = '23503';

const column = (type: UserIdType): string =>
  type === 'SUPERTOKENS' ? 'supertokens_user_id' : 'external_user_id';

function mappingFrom(row: SqlRow): UserIdMappingRecord {
  const info = optionalText(row, 'external_user_id_info');
  return {
    superTokensUserId: charColumn(row, 'supertokens_user_id'),
    externalUserId: text(row, 'external_user_id'),
    ...(info !== undefined && { externalUserIdInfo: info }),
  };
}

/** The plugin's `isUserIdBeingUsedInNonAuthRecipe`, one query per recipe in the core's order. */
const NON_AUTH_CHECKS: [NonAuthRecipe, string][] = [
  ['Session', 'SELECT 1 FROM session_info WHERE app_id = $1 AND user_id = $2 AND expires_at >= $3'],
  ['UserMetadata', 'SELECT 1 FROM user_metadata WHERE app_id = $1 AND user_id = $2'],
  ['UserRoles', 'SELECT 1 FROM user_roles WHERE app_id = $1 AND user_id = $2'],
  [
    'EmailVerification',
    `SELECT 1 FROM emailverification_tokens WHERE app_id = $1 AND user_id = $2
     UNION ALL SELECT 1 FROM emailverification_verified_emails WHERE app_id = $1 AND user_id = $2`,
  ],
  ['TOTP', 'SELECT 1 FROM totp_user_devices WHERE app_id = $1 AND user_id = $2'],
];

export function userIdMappingQueries(db: SqlClient): UserIdMappingStorage {
  const getUserIdMapping = async (
    appId: string,
    userId: string,
    type: UserIdType,
  ): Promise<UserIdMappingRecord | undefined> => {
    const { rows } = await db.query(
      `SELECT * FROM userid_mapping WHERE app_id = $1 AND ${column(type)} = $2`,
      [appId, userId],
    );
    return rows[0] && mappingFrom(rows[0]);
  };

  return {
    async createUserIdMapping(appId, mapping): Promise<CreateUserIdMappingResult> {
      const { superTokensUserId: st, externalUserId: ext } = mapping;
      let inserted: number;
      try {
        // The user's existence and both uniqueness rules, in the one statement.
        ({ rowCount: inserted } = await db.query(
          `INSERT INTO userid_mapping (app_id, supertokens_user_id, external_user_id, external_user_id_info)
           SELECT app_id, user_id, $3, $4 FROM app_id_to_user_id WHERE app_id = $1 AND user_id = $2
           ON CONFLICT DO NOTHING`,
          [appId, st, ext, mapping.externalUserIdInfo ?? null],
        ));
      } catch (error) {
        if ((error as { code?: unknown } | null)?.code !== FOREIGN_KEY_VIOLATION) throw error;
        return { status: 'UNKNOWN_SUPERTOKENS_USER_ID_ERROR' };
      }
      if (inserted > 0) return { status: 'OK' };
      const [byUser, byExternal] = await Promise.all([
        getUserIdMapping(appId, st, 'SUPERTOKENS'),
        getUserIdMapping(appId, ext, 'EXTERNAL'),
      ]);
      if (byUser || byExternal) {
        // As the plugin reads the constraint it hit: the user's key first, then the external id's.
        return {
          status: 'USER_ID_MAPPING_ALREADY_EXISTS_ERROR',
          doesSuperTokensUserIdExist: byUser !== undefined,
          doesExternalUserIdExist: byUser ? byUser.externalUserId === ext : true,
        };
      }
      return { status: 'UNKNOWN_SUPERTOKENS_USER_ID_ERROR' };
    },

    getUserIdMapping,

    async findUserIdMappings(appId, userId): Promise<UserIdMappingRecord[]> {
      const { rows } = await db.query(
        `SELECT *, 0 AS rank FROM userid_mapping WHERE app_id = $1 AND supertokens_user_id = $2
         UNION ALL
         SELECT *, 1 AS rank FROM userid_mapping WHERE app_id = $1 AND external_user_id = $2
         ORDER BY rank`,
        [appId, userId],
      );
      return rows.map(mappingFrom);
    },

    async externalUserIds(appId, superTokensUserIds): Promise<Map<string, string>> {
      if (superTokensUserIds.length === 0) return new Map();
      const { rows } = await db.query(
        `SELECT supertokens_user_id, external_user_id FROM userid_mapping
         WHERE app_id = $1 AND supertokens_user_id = ANY($2::bpchar[])`,
        [appId, superTokensUserIds],
      );
      return new Map(
        rows.map((r) => [charColumn(r, 'supertokens_user_id'), text(r, 'external_user_id')]),
      );
    },

    async deleteUserIdMapping(appId, userId, type): Promise<boolean> {
      const { rowCount } = await db.query(
        `DELETE FROM userid_mapping WHERE app_id = $1 AND ${column(type)} = $2`,
        [appId, userId],
      );
      return rowCount > 0;
    },

    async updateExternalUserIdInfo(appId, userId, type, info): Promise<boolean> {
      const { rowCount } = await db.query(
        `UPDATE userid_mapping SET external_user_id_info = $3 WHERE app_id = $1 AND ${column(type)} = $2`,
        [appId, userId, info],
      );
      return rowCount > 0;
    },

    async isSuperTokensUserId(appId, userId): Promise<boolean> {
      const { rowCount } = await db.query(
        'SELECT 1 FROM app_id_to_user_id WHERE app_id = $1 AND user_id = $2',
        [appId, userId],
      );
      return rowCount > 0;
    },

    async nonAuthRecipesUsingUserId(appId, userId, now): Promise<NonAuthRecipe[]> {
      const used: NonAuthRecipe[] = [];
      for (const [recipe, sql] of NON_AUTH_CHECKS) {
        const params = recipe === 'Session' ? [appId, userId, now] : [appId, userId];
        if ((await db.query(`${sql} LIMIT 1`, params)).rowCount > 0) used.push(recipe);
      }
      return used;
    },
  };
}
