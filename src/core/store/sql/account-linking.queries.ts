import { accountInfoOf, linkingView } from '../linking-view.js';
import type { LinkChange } from '../records.js';
import type {
  AccountLinkingStorage,
  LinkDecision,
  LinkingView,
} from '../storage/account-linking.storage.js';
import type { SqlClient, SqlExecutor } from './sql-client.js';
import {
  deleteUserData,
  deleteWholeUser,
  loadUsers,
  lockLinks,
  primaryIdOf,
  usersWith,
} from './users.sql.js';

async function applyLinkChange(tx: SqlExecutor, appId: string, change: LinkChange): Promise<void> {
  const setLink = async (userId: string, primaryId: string, linked: boolean) => {
    await tx.query(
      `UPDATE app_id_to_user_id SET primary_or_recipe_user_id = $3,
         is_linked_or_is_a_primary_user = $4 WHERE app_id = $1 AND user_id = $2`,
      [appId, userId, primaryId, linked],
    );
    await tx.query(
      `UPDATE all_auth_recipe_users SET primary_or_recipe_user_id = $3,
         is_linked_or_is_a_primary_user = $4 WHERE app_id = $1 AND user_id = $2`,
      [appId, userId, primaryId, linked],
    );
  };
  // As the real core keeps it: every row of a user carries the user's earliest time joined.
  const refreshTimeJoined = (primaryId: string) =>
    tx.query(
      `UPDATE all_auth_recipe_users SET primary_or_recipe_user_time_joined = (
         SELECT MIN(time_joined) FROM all_auth_recipe_users
         WHERE app_id = $1 AND primary_or_recipe_user_id = $2)
       WHERE app_id = $1 AND primary_or_recipe_user_id = $2`,
      [appId, primaryId],
    );
  if (change.kind === 'make-primary') {
    await setLink(change.userId, change.userId, true);
    return;
  }
  if (change.kind === 'link') {
    await setLink(change.recipeUserId, change.primaryUserId, true);
    await refreshTimeJoined(change.primaryUserId);
    return;
  }
  const recipeUserId = change.recipeUserId;
  const primaryId = (await primaryIdOf(tx, appId, recipeUserId))!;
  if (change.kind === 'unlink') {
    await setLink(recipeUserId, recipeUserId, false);
    if (recipeUserId === primaryId) return;
    await tx.query(
      `UPDATE all_auth_recipe_users SET primary_or_recipe_user_time_joined = time_joined
       WHERE app_id = $1 AND user_id = $2`,
      [appId, recipeUserId],
    );
    await refreshTimeJoined(primaryId);
    await dropEmptyPrimaryUser(tx, appId, primaryId);
    return;
  }
  const [user] = await loadUsers(tx, appId, [primaryId]);
  if (!user || user.loginMethods.length <= 1) {
    await deleteWholeUser(tx, appId, primaryId);
    return;
  }
  if (recipeUserId === primaryId) {
    // The primary user's id lives on in its other login methods: only its own login goes.
    for (const table of [
      'all_auth_recipe_users',
      'emailpassword_users',
      'passwordless_users',
      'thirdparty_users',
      // Its passkeys go with it (by cascade).
      'webauthn_users',
      'emailpassword_pswd_reset_tokens',
    ]) {
      await tx.query(`DELETE FROM ${table} WHERE app_id = $1 AND user_id = $2`, [
        appId,
        recipeUserId,
      ]);
    }
  } else {
    await deleteUserData(tx, appId, [recipeUserId]);
    await tx.query('DELETE FROM app_id_to_user_id WHERE app_id = $1 AND user_id = $2', [
      appId,
      recipeUserId,
    ]);
  }
  await refreshTimeJoined(primaryId);
}

/** A primary user whose every login method has left or been deleted is gone too. */
async function dropEmptyPrimaryUser(
  tx: SqlExecutor,
  appId: string,
  primaryId: string,
): Promise<void> {
  await tx.query(
    `DELETE FROM app_id_to_user_id a WHERE a.app_id = $1 AND a.user_id = $2
       AND NOT EXISTS (SELECT 1 FROM app_id_to_user_id o
         WHERE o.app_id = $1 AND o.primary_or_recipe_user_id = $2 AND o.user_id <> $2)
       AND NOT EXISTS (SELECT 1 FROM emailpassword_users WHERE app_id = $1 AND user_id = $2)
       AND NOT EXISTS (SELECT 1 FROM passwordless_users WHERE app_id = $1 AND user_id = $2)
       AND NOT EXISTS (SELECT 1 FROM thirdparty_users WHERE app_id = $1 AND user_id = $2)
       AND NOT EXISTS (SELECT 1 FROM webauthn_users WHERE app_id = $1 AND user_id = $2)`,
    [appId, primaryId],
  );
}

export function accountLinkingQueries(db: SqlClient): AccountLinkingStorage {
  return {
    changeLinks<T>(
      appId: string,
      userIds: string[],
      decide: (view: LinkingView) => LinkDecision<T>,
    ): Promise<T> {
      return db.transaction(async (tx) => {
        await lockLinks(tx, appId);
        const primaryIds = new Set<string>();
        for (const userId of userIds) {
          const primaryId = await primaryIdOf(tx, appId, userId);
          if (primaryId !== undefined) primaryIds.add(primaryId);
        }
        const named = await loadUsers(tx, appId, [...primaryIds]);
        const related = await usersWith(tx, appId, accountInfoOf(named), primaryIds);
        const { result, change } = decide(linkingView([...named, ...related]));
        if (change) await applyLinkChange(tx, appId, change);
        return result;
      });
    },
  };
}
