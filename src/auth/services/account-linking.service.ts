import { Injectable } from '@nestjs/common';
// A CommonJS module: named imports of its values fail in Node's ESM loader; the default works.
import supertokens, { type User } from 'supertokens-node';
import AccountLinking from 'supertokens-node/recipe/accountlinking';

/** Another primary user already has the email, phone number or provider login in a shared tenant. */
export interface AccountInfoConflict {
  status: 'ACCOUNT_INFO_ALREADY_ASSOCIATED_WITH_ANOTHER_PRIMARY_USER_ID_ERROR';
  /** That other user. */
  primaryUserId: string;
  /** Which account info clashes, as the core words it. */
  description: string;
}

export type LinkResult =
  | { status: 'OK'; user: User; accountsAlreadyLinked: boolean }
  | AccountInfoConflict
  /** The login method already belongs to another user: unlink it there first. */
  | {
      status: 'RECIPE_USER_ID_ALREADY_LINKED_WITH_ANOTHER_PRIMARY_USER_ID_ERROR';
      primaryUserId: string;
    }
  | { status: 'UNKNOWN_USER_ID_ERROR' };

export type PrimaryUserResult =
  | { status: 'OK'; user: User; wasAlreadyAPrimaryUser: boolean }
  | AccountInfoConflict
  /** The login method is linked to another user, which is the primary user. */
  | { status: 'RECIPE_USER_ID_ALREADY_LINKED_WITH_PRIMARY_USER_ID_ERROR'; primaryUserId: string }
  | { status: 'UNKNOWN_USER_ID_ERROR' };

export interface UnlinkResult {
  status: 'OK';
  /** Whether it was linked to a user (false: nothing changed). */
  wasLinked: boolean;
  /**
   * The primary user's own login method cannot become a user of its own (the user keeps its id):
   * it was deleted instead.
   */
  wasRecipeUserDeleted: boolean;
}

const rid = (id: string) => supertokens.convertToRecipeUserId(id);

/**
 * One user with several login methods (needs `accountLinking`), over supertokens-node's
 * AccountLinking functions. A user's id is its primary user id; each login method keeps its own
 * recipe user id. Linking ends the linked login method's sessions (they named its old user id).
 */
@Injectable()
export class AccountLinkingService {
  /** The user a user id or any of its login methods' recipe user ids belongs to. */
  getUser(userId: string): Promise<User | undefined> {
    return supertokens.getUser(userId);
  }

  /**
   * Makes the user a primary user, which other login methods can be linked to. Refused when
   * another primary user has its email, phone number or provider login in one of its tenants.
   */
  async makePrimary(recipeUserId: string): Promise<PrimaryUserResult> {
    if (!(await supertokens.getUser(recipeUserId))) return { status: 'UNKNOWN_USER_ID_ERROR' };
    const result = await AccountLinking.createPrimaryUser(rid(recipeUserId));
    if (result.status === 'RECIPE_USER_ID_ALREADY_LINKED_WITH_PRIMARY_USER_ID_ERROR') {
      return { status: result.status, primaryUserId: result.primaryUserId };
    }
    return result;
  }

  /**
   * Links the login method `recipeUserId` to the user `userId` (making that user a primary user
   * first when it is not one yet). Afterwards signing in with either gives `userId`'s user.
   */
  async link(recipeUserId: string, userId: string): Promise<LinkResult> {
    const [login, target] = await Promise.all([
      supertokens.getUser(recipeUserId),
      supertokens.getUser(userId),
    ]);
    if (!login || !target) return { status: 'UNKNOWN_USER_ID_ERROR' };
    if (!target.isPrimaryUser) {
      // Not primary: one login method, whose id is the user's (already looked up above).
      const primary = await AccountLinking.createPrimaryUser(rid(target.id));
      if (primary.status === 'ACCOUNT_INFO_ALREADY_ASSOCIATED_WITH_ANOTHER_PRIMARY_USER_ID_ERROR') {
        return primary;
      }
      if (primary.status !== 'OK') {
        // Linked to another user between the two calls: no longer a user of its own to link to.
        return { status: 'UNKNOWN_USER_ID_ERROR' };
      }
    }
    const result = await AccountLinking.linkAccounts(rid(recipeUserId), target.id);
    if (result.status === 'INPUT_USER_IS_NOT_A_PRIMARY_USER') {
      // Unlinked between the two calls: the target is no longer a user to link to.
      return { status: 'UNKNOWN_USER_ID_ERROR' };
    }
    if (result.status === 'RECIPE_USER_ID_ALREADY_LINKED_WITH_ANOTHER_PRIMARY_USER_ID_ERROR') {
      return { status: result.status, primaryUserId: result.primaryUserId };
    }
    return result;
  }

  /**
   * Takes a login method off its user: it becomes a user of its own and its sessions end. The
   * primary user's own login method, while others are linked, is deleted instead.
   */
  async unlink(recipeUserId: string): Promise<UnlinkResult | { status: 'UNKNOWN_USER_ID_ERROR' }> {
    if (!(await supertokens.getUser(recipeUserId))) return { status: 'UNKNOWN_USER_ID_ERROR' };
    const { wasLinked, wasRecipeUserDeleted } = await AccountLinking.unlinkAccount(
      rid(recipeUserId),
    );
    return { status: 'OK', wasLinked, wasRecipeUserDeleted };
  }
}
