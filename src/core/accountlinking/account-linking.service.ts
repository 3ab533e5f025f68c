import type { SessionStorage } from '../store/storage/session.storage.js';
import type { AuthRecipeStorage } from '../store/storage/auth-recipe.storage.js';
import type { CoreContext } from '../core.context.js';
import { badRequest } from '../http/core-error.js';
import { type LoginMethodRecord, type UserRecord, userTenantIds } from '../store/records.js';
import type {
  AccountLinkingStorage,
  LinkDecision,
  LinkingView,
} from '../store/storage/account-linking.storage.js';
import type { UserIdMappingStorage } from '../store/storage/userid-mapping.storage.js';
import { SessionService } from '../sessions/session.service.js';

/** Another primary user already has this account info in a tenant the link would share. */
export interface AccountInfoConflict {
  status: 'ACCOUNT_INFO_ALREADY_ASSOCIATED_WITH_ANOTHER_PRIMARY_USER_ID_ERROR';
  primaryUserId: string;
  description: string;
}

export type PrimaryUserOutcome =
  | { status: 'OK'; wasAlreadyAPrimaryUser: boolean; user: UserRecord }
  | {
      status: 'RECIPE_USER_ID_ALREADY_LINKED_WITH_PRIMARY_USER_ID_ERROR';
      primaryUserId: string;
      description: string;
    }
  | AccountInfoConflict;

export type LinkOutcome =
  | { status: 'OK'; accountsAlreadyLinked: boolean; primaryUserId: string }
  | { status: 'INPUT_USER_IS_NOT_A_PRIMARY_USER' }
  | {
      status: 'RECIPE_USER_ID_ALREADY_LINKED_WITH_ANOTHER_PRIMARY_USER_ID_ERROR';
      primaryUserId: string;
      description: string;
      /** The recipe user's own (primary) user. */
      user: UserRecord;
    }
  | AccountInfoConflict;

export interface UnlinkOutcome {
  wasRecipeUserDeleted: boolean;
  wasLinked: boolean;
}

const unknownUser = () => badRequest('Unknown user ID provided');

/** The account info a primary user may not share with another primary user, with its wording. */
const KINDS = [
  ['email', (m: LoginMethodRecord) => m.email && { email: m.email }],
  ['phone number', (m: LoginMethodRecord) => m.phoneNumber && { phoneNumber: m.phoneNumber }],
  ['third party login', (m: LoginMethodRecord) => m.thirdParty && { thirdParty: m.thirdParty }],
] as const;

/**
 * The real core's rule (AuthRecipe): in each of `tenantIds`, no primary user other than
 * `primaryUserId` may have the login method's email, phone number or third-party login. A user
 * counts as "in" a tenant when any of its login methods is.
 */
function conflict(
  view: LinkingView,
  method: LoginMethodRecord,
  tenantIds: string[],
  primaryUserId?: string,
): AccountInfoConflict | undefined {
  for (const tenantId of tenantIds) {
    for (const [what, infoOf] of KINDS) {
      const info = infoOf(method);
      if (!info) continue;
      const other = view
        .usersWith(info)
        .find(
          (u) => u.isPrimaryUser && u.id !== primaryUserId && userTenantIds(u).includes(tenantId),
        );
      if (other) {
        return {
          status: 'ACCOUNT_INFO_ALREADY_ASSOCIATED_WITH_ANOTHER_PRIMARY_USER_ID_ERROR',
          primaryUserId: other.id,
          description: `This user's ${what} is already associated with another user ID`,
        };
      }
    }
  }
  return undefined;
}

function primaryUserDecision(view: LinkingView, userId: string): LinkDecision<PrimaryUserOutcome> {
  const user = view.user(userId);
  if (!user) throw unknownUser();
  if (user.isPrimaryUser) {
    if (user.id === userId) {
      return { result: { status: 'OK', wasAlreadyAPrimaryUser: true, user } };
    }
    return {
      result: {
        status: 'RECIPE_USER_ID_ALREADY_LINKED_WITH_PRIMARY_USER_ID_ERROR',
        primaryUserId: user.id,
        description: 'This user ID is already linked to another user ID',
      },
    };
  }
  // Neither primary nor linked: exactly one login method.
  const found = conflict(view, user.loginMethods[0], userTenantIds(user));
  if (found) return { result: found };
  return {
    result: {
      status: 'OK',
      wasAlreadyAPrimaryUser: false,
      user: { ...user, isPrimaryUser: true },
    },
    change: { kind: 'make-primary', userId: user.id },
  };
}

function linkDecision(
  view: LinkingView,
  recipeUserId: string,
  primaryUserId: string,
): LinkDecision<LinkOutcome> {
  const primary = view.user(primaryUserId);
  const recipe = view.user(recipeUserId);
  if (!primary || !recipe) throw unknownUser();
  if (!primary.isPrimaryUser) return { result: { status: 'INPUT_USER_IS_NOT_A_PRIMARY_USER' } };
  if (recipe.isPrimaryUser) {
    if (recipe.id === primary.id) {
      return { result: { status: 'OK', accountsAlreadyLinked: true, primaryUserId: primary.id } };
    }
    return {
      result: {
        status: 'RECIPE_USER_ID_ALREADY_LINKED_WITH_ANOTHER_PRIMARY_USER_ID_ERROR',
        primaryUserId: recipe.id,
        description: 'The input recipe user ID is already linked to another user ID',
        user: recipe,
      },
    };
  }
  // Checked in every tenant of either user: an intersection could leave two primary users with
  // one email in a tenant only one of them is in.
  const tenantIds = [...new Set([...userTenantIds(recipe), ...userTenantIds(primary)])];
  for (const method of [recipe.loginMethods[0], ...primary.loginMethods]) {
    const found = conflict(view, method, tenantIds, primary.id);
    if (found) return { result: found };
  }
  return {
    result: { status: 'OK', accountsAlreadyLinked: false, primaryUserId: primary.id },
    change: { kind: 'link', recipeUserId: recipe.id, primaryUserId: primary.id },
  };
}

function unlinkDecision(view: LinkingView, recipeUserId: string): LinkDecision<UnlinkOutcome> {
  const user = view.user(recipeUserId);
  if (!user) throw unknownUser();
  if (!user.isPrimaryUser) return { result: { wasRecipeUserDeleted: false, wasLinked: false } };
  if (user.id === recipeUserId && user.loginMethods.length > 1) {
    // Unlinking would leave two users with one id: the real core deletes the login method.
    return {
      result: { wasRecipeUserDeleted: true, wasLinked: true },
      change: { kind: 'delete-login-method', recipeUserId },
    };
  }
  return {
    result: { wasRecipeUserDeleted: false, wasLinked: true },
    change: { kind: 'unlink', recipeUserId },
  };
}

/**
 * Account linking (docs/embedded-core.md, Account linking), read from supertokens-core's
 * AuthRecipe: primary users, linking and unlinking login methods. Every check runs on one
 * consistent view of the users involved, in the same atomic step as its change.
 */
export class AccountLinkingService {
  private readonly sessions: SessionService;

  constructor(
    private readonly ctx: CoreContext<
      AccountLinkingStorage & SessionStorage & AuthRecipeStorage & UserIdMappingStorage
    >,
  ) {
    this.sessions = new SessionService(ctx);
  }

  /** Whether the user could become a primary user, or (`create`) makes it one. */
  primaryUser(appId: string, userId: string, create: boolean): Promise<PrimaryUserOutcome> {
    return this.ctx.store.changeLinks(appId, [userId], (view) => {
      const decision = primaryUserDecision(view, userId);
      return create ? decision : { result: decision.result };
    });
  }

  /** Whether the recipe user could be linked to the primary user, or (`link`) links it. */
  async link(
    appId: string,
    recipeUserId: string,
    primaryUserId: string,
    link: boolean,
  ): Promise<LinkOutcome> {
    const outcome = await this.ctx.store.changeLinks(
      appId,
      [recipeUserId, primaryUserId],
      (view) => {
        const decision = linkDecision(view, recipeUserId, primaryUserId);
        return link ? decision : { result: decision.result };
      },
    );
    // The linked login method's sessions named the old user id.
    if (link && outcome.status === 'OK' && !outcome.accountsAlreadyLinked) {
      await this.revokeSessions(appId, recipeUserId);
    }
    return outcome;
  }

  async unlink(appId: string, recipeUserId: string): Promise<UnlinkOutcome> {
    const outcome = await this.ctx.store.changeLinks(appId, [recipeUserId], (view) =>
      unlinkDecision(view, recipeUserId),
    );
    if (outcome.wasLinked) await this.revokeSessions(appId, recipeUserId);
    return outcome;
  }

  /** Deletes one login method, keeping the user's other linked ones; false if unknown. */
  deleteLoginMethod(appId: string, recipeUserId: string): Promise<boolean> {
    return this.ctx.store.changeLinks(appId, [recipeUserId], (view) =>
      view.user(recipeUserId)
        ? { result: true, change: { kind: 'delete-login-method', recipeUserId } }
        : { result: false },
    );
  }

  /**
   * The real core's `revokeAllSessionsForUser(recipeUserId, revokeSessionsForLinkedAccounts:
   * false)`: that login method's sessions, in every tenant (kept under its external id when it
   * has one).
   */
  private async revokeSessions(appId: string, recipeUserId: string): Promise<void> {
    const mapping = await this.ctx.store.getUserIdMapping(appId, recipeUserId, 'SUPERTOKENS');
    await this.sessions.revoke(appId, 'public', {
      userId: mapping?.externalUserId ?? recipeUserId,
      allTenants: true,
      linkedAccounts: false,
    });
  }
}
