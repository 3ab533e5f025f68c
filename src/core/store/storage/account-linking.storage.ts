import type { LinkChange, UserRecord } from '../records.js';
import type { AccountInfoQuery } from './auth-recipe.storage.js';

/**
 * What account linking's checks read (`changeLinks`): the users named and every user that
 * shares an email, phone number or third-party login with them, in any tenant of the app.
 */
export interface LinkingView {
  /** By primary or recipe user id. */
  user(userId: string): UserRecord | undefined;
  /** Users with a login method having any of these (any tenant). */
  usersWith(info: AccountInfoQuery): UserRecord[];
}

/** What a linking check decided: its answer, and the change to apply (none for a refusal). */
export interface LinkDecision<T> {
  result: T;
  change?: LinkChange;
}

/**
 * Primary users and links (the `primary_or_recipe_user_id` and `is_linked_or_is_a_primary_user`
 * columns): the plugin interface's `AuthRecipeStorage` linking methods.
 */
export interface AccountLinkingStorage {
  /**
   * Account linking's check-then-write: loads the users `userIds` name (primary or recipe ids)
   * and every user sharing account info with them, runs `decide` on that view and applies the
   * change it returns, atomically with every other linking change. `decide` throws to refuse.
   */
  changeLinks<T>(
    appId: string,
    userIds: string[],
    decide: (view: LinkingView) => LinkDecision<T>,
  ): Promise<T>;
}
