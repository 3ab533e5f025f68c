import { accountInfoOf, clashesWithPrimary as clashIn } from '../linking-view.js';
import type { LoginMethodRecord, RecipeId, UserRecord } from '../records.js';
import type { SqlExecutor, SqlRow } from './sql-client.js';
import { charColumn, LOCK_SPACE, num, optionalText, text } from './sql-rows.js';

const USER_COLUMNS = `a.user_id, a.recipe_id, a.primary_or_recipe_user_id AS primary_id,
  a.is_linked_or_is_a_primary_user AS is_primary,
  COALESCE(ep.email, pl.email, tp.email, wa.email) AS email, pl.phone_number, ep.password_hash,
  tp.third_party_id, tp.third_party_user_id,
  COALESCE(ep.time_joined, pl.time_joined, tp.time_joined, wa.time_joined) AS time_joined,
  ARRAY(SELECT c.id FROM webauthn_credentials c WHERE c.app_id = a.app_id AND c.user_id = a.user_id
        ORDER BY c.created_at, c.id) AS credential_ids,
  ARRAY(SELECT r.tenant_id FROM all_auth_recipe_users r
        WHERE r.app_id = a.app_id AND r.user_id = a.user_id ORDER BY r.tenant_id) AS tenant_ids
  FROM app_id_to_user_id a
  LEFT JOIN emailpassword_users ep ON ep.app_id = a.app_id AND ep.user_id = a.user_id
  LEFT JOIN passwordless_users pl ON pl.app_id = a.app_id AND pl.user_id = a.user_id
  LEFT JOIN thirdparty_users tp ON tp.app_id = a.app_id AND tp.user_id = a.user_id
  LEFT JOIN webauthn_users wa ON wa.app_id = a.app_id AND wa.user_id = a.user_id`;

/** Users (by primary user id) from rows of `SELECT ${USER_COLUMNS}`, one row per login method. */
function usersFrom(rows: SqlRow[]): Map<string, UserRecord> {
  const users = new Map<string, UserRecord>();
  for (const row of rows) {
    const id = charColumn(row, 'primary_id');
    let user = users.get(id);
    if (!user) users.set(id, (user = { id, isPrimaryUser: false, loginMethods: [] }));
    const recipeUserId = charColumn(row, 'user_id');
    if (recipeUserId === id) user.isPrimaryUser = Boolean(row.is_primary);
    // A primary user's own row outlives its deleted login method while others are linked to it.
    if (row.time_joined === null || row.time_joined === undefined) continue;
    const email = optionalText(row, 'email');
    const phoneNumber = optionalText(row, 'phone_number');
    const passwordHash = optionalText(row, 'password_hash');
    const thirdPartyId = optionalText(row, 'third_party_id');
    const recipeId = text(row, 'recipe_id') as RecipeId;
    user.loginMethods.push({
      recipeUserId,
      recipeId,
      tenantIds: row.tenant_ids as string[],
      timeJoined: num(row, 'time_joined'),
      ...(email !== undefined && { email }),
      ...(phoneNumber !== undefined && { phoneNumber }),
      ...(passwordHash !== undefined && { passwordHash }),
      ...(thirdPartyId !== undefined && {
        thirdParty: { id: thirdPartyId, userId: text(row, 'third_party_user_id') },
      }),
      ...(recipeId === 'webauthn' && {
        webauthn: { credentialIds: (row.credential_ids as string[]).map(String) },
      }),
    });
  }
  for (const [id, user] of users) {
    if (user.loginMethods.length === 0) users.delete(id);
    user.loginMethods.sort((a, b) => a.timeJoined - b.timeJoined);
  }
  return users;
}

/** Users by primary user id, in the order given. */
export async function loadUsers(
  db: SqlExecutor,
  appId: string,
  primaryIds: string[],
): Promise<UserRecord[]> {
  if (primaryIds.length === 0) return [];
  const { rows } = await db.query(
    `SELECT ${USER_COLUMNS} WHERE a.app_id = $1 AND a.primary_or_recipe_user_id = ANY($2::bpchar[])`,
    [appId, primaryIds],
  );
  const users = usersFrom(rows);
  return primaryIds.flatMap((id) => users.get(id) ?? []);
}

export async function primaryIdOf(
  tx: SqlExecutor,
  appId: string,
  userId: string,
): Promise<string | undefined> {
  const { rows } = await tx.query(
    'SELECT primary_or_recipe_user_id FROM app_id_to_user_id WHERE app_id = $1 AND user_id = $2',
    [appId, userId],
  );
  return rows[0] && charColumn(rows[0], 'primary_or_recipe_user_id');
}

/** The user a primary or recipe user id belongs to, found and read by one statement. */
export async function userOf(
  db: SqlExecutor,
  appId: string,
  userId: string,
): Promise<UserRecord | undefined> {
  const { rows } = await db.query(
    `SELECT ${USER_COLUMNS} WHERE a.app_id = $1 AND a.primary_or_recipe_user_id = (
       SELECT primary_or_recipe_user_id FROM app_id_to_user_id WHERE app_id = $1 AND user_id = $2)`,
    [appId, userId],
  );
  return usersFrom(rows).values().next().value;
}

/** Users (but `except`) having any of this account info, in any tenant, in `tx`. */
export async function usersWith(
  tx: SqlExecutor,
  appId: string,
  info: Partial<ReturnType<typeof accountInfoOf>>,
  except: Set<string> = new Set(),
): Promise<UserRecord[]> {
  const { rows } = await tx.query(
    `SELECT DISTINCT a.primary_or_recipe_user_id AS id FROM app_id_to_user_id a
     WHERE a.app_id = $1 AND a.user_id IN (
       SELECT user_id FROM emailpassword_users WHERE app_id = $1 AND email = ANY($2::text[])
       UNION
       SELECT user_id FROM passwordless_users WHERE app_id = $1
         AND (email = ANY($2::text[]) OR phone_number = ANY($3::text[]))
       UNION
       SELECT user_id FROM thirdparty_users WHERE app_id = $1 AND (email = ANY($2::text[])
         OR third_party_id || E'\\n' || third_party_user_id = ANY($4::text[]))
       UNION
       SELECT user_id FROM webauthn_users WHERE app_id = $1 AND email = ANY($2::text[]))`,
    [
      appId,
      info.emails ?? [],
      info.phoneNumbers ?? [],
      (info.thirdParties ?? []).map((t) => `${t.id}\n${t.userId}`),
    ],
  );
  const ids = rows.map((r) => charColumn(r, 'id')).filter((id) => !except.has(id));
  return loadUsers(tx, appId, ids);
}

/**
 * Whether `userId`'s user is primary and another primary user has this info in its tenants.
 * In a transaction that took `lockLinks()` before locking any row (no deadlock with linking).
 */
export async function clashesWithPrimary(
  tx: SqlExecutor,
  appId: string,
  userId: string,
  info: Partial<ReturnType<typeof accountInfoOf>>,
): Promise<boolean> {
  const user = await userOf(tx, appId, userId);
  if (!user?.isPrimaryUser) return false;
  return clashIn(user, await usersWith(tx, appId, info));
}

/**
 * Linking changes, and changes of a primary user's account info, run one at a time per app:
 * each one's checks see the last one's result.
 */
export async function lockLinks(tx: SqlExecutor, appId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
    LOCK_SPACE,
    `accountlinking\n${appId}`,
  ]);
}

/** A new user's rows in `app_id_to_user_id` and `all_auth_recipe_users` (one tenant), in `tx`. */
export async function insertAuthRecipeUser(
  tx: SqlExecutor,
  appId: string,
  tenantId: string,
  method: LoginMethodRecord,
): Promise<void> {
  const id = method.recipeUserId;
  await tx.query(
    `INSERT INTO app_id_to_user_id (app_id, user_id, recipe_id, primary_or_recipe_user_id,
       is_linked_or_is_a_primary_user) VALUES ($1, $2, $3, $2, FALSE)`,
    [appId, id, method.recipeId],
  );
  await tx.query(
    `INSERT INTO all_auth_recipe_users (app_id, tenant_id, user_id, primary_or_recipe_user_id,
       is_linked_or_is_a_primary_user, recipe_id, time_joined, primary_or_recipe_user_time_joined)
     VALUES ($1, $2, $3, $3, FALSE, $4, $5, $5)`,
    [appId, tenantId, id, method.recipeId, method.timeJoined],
  );
}

/** Inserts a new user with one login method in one tenant, in `tx`. */
export async function insertUser(
  tx: SqlExecutor,
  appId: string,
  tenantId: string,
  method: LoginMethodRecord,
): Promise<void> {
  await insertAuthRecipeUser(tx, appId, tenantId, method);
  const id = method.recipeUserId;
  if (method.recipeId === 'emailpassword') {
    await tx.query(
      `INSERT INTO emailpassword_users (app_id, user_id, email, password_hash, time_joined)
       VALUES ($1, $2, $3, $4, $5)`,
      [appId, id, method.email, method.passwordHash, method.timeJoined],
    );
    await tx.query(
      'INSERT INTO emailpassword_user_to_tenant (app_id, tenant_id, user_id, email) VALUES ($1, $2, $3, $4)',
      [appId, tenantId, id, method.email],
    );
  } else if (method.recipeId === 'thirdparty') {
    await tx.query(
      `INSERT INTO thirdparty_users (app_id, third_party_id, third_party_user_id, user_id, email,
         time_joined) VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        appId,
        method.thirdParty!.id,
        method.thirdParty!.userId,
        id,
        method.email,
        method.timeJoined,
      ],
    );
    await tx.query(
      `INSERT INTO thirdparty_user_to_tenant (app_id, tenant_id, user_id, third_party_id,
         third_party_user_id) VALUES ($1, $2, $3, $4, $5)`,
      [appId, tenantId, id, method.thirdParty!.id, method.thirdParty!.userId],
    );
  } else {
    await tx.query(
      `INSERT INTO passwordless_users (app_id, user_id, email, phone_number, time_joined)
       VALUES ($1, $2, $3, $4, $5)`,
      [appId, id, method.email ?? null, method.phoneNumber ?? null, method.timeJoined],
    );
    await tx.query(
      `INSERT INTO passwordless_user_to_tenant (app_id, tenant_id, user_id, email, phone_number)
       VALUES ($1, $2, $3, $4, $5)`,
      [appId, tenantId, id, method.email ?? null, method.phoneNumber ?? null],
    );
  }
}

/** A user with every linked login method, and everything kept under any of its ids. */
export async function deleteWholeUser(
  tx: SqlExecutor,
  appId: string,
  primaryId: string,
): Promise<void> {
  const { rows } = await tx.query(
    'SELECT user_id FROM app_id_to_user_id WHERE app_id = $1 AND primary_or_recipe_user_id = $2',
    [appId, primaryId],
  );
  const ids = [...new Set([primaryId, ...rows.map((r) => charColumn(r, 'user_id'))])];
  await deleteUserData(tx, appId, ids);
  // Cascades to the recipe tables, tenant links and reset tokens.
  await tx.query(
    'DELETE FROM app_id_to_user_id WHERE app_id = $1 AND user_id = ANY($2::bpchar[])',
    [appId, ids],
  );
}

/**
 * The sessions, email verification, roles, metadata and TOTP devices (with their codes, by
 * cascade) kept under these user ids: under a mapped id's external id, as the real core keeps
 * them (the mapping itself goes by cascade with the user).
 */
export async function deleteUserData(
  tx: SqlExecutor,
  appId: string,
  superTokensIds: string[],
): Promise<void> {
  const { rows } = await tx.query(
    // An external id that is itself another user's id names that user's data: none is deleted.
    `SELECT CASE WHEN m.external_user_id IS NULL THEN u.id
                 WHEN EXISTS (SELECT 1 FROM app_id_to_user_id x
                              WHERE x.app_id = $1 AND x.user_id = m.external_user_id) THEN NULL
                 ELSE m.external_user_id END AS id
     FROM unnest($2::text[]) AS u(id)
     LEFT JOIN userid_mapping m ON m.app_id = $1 AND m.supertokens_user_id = u.id`,
    [appId, superTokensIds],
  );
  const ids = rows.flatMap((r) => (r.id === null ? [] : [text(r, 'id')]));
  for (const table of [
    'session_info',
    'emailverification_verified_emails',
    'emailverification_tokens',
    'user_roles',
    'user_metadata',
    'totp_users',
  ]) {
    await tx.query(`DELETE FROM ${table} WHERE app_id = $1 AND user_id = ANY($2::text[])`, [
      appId,
      ids,
    ]);
  }
}
