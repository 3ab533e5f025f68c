import type { CoreContext } from '../core.context.js';
import { type RecipeId, type UserRecord, userTimeJoined } from '../store/records.js';
import type { AuthRecipeStorage, UserListQuery } from '../store/storage/auth-recipe.storage.js';
import type { WebAuthnStorage } from '../store/storage/webauthn.storage.js';

/** What `GET /<t>/users/by-accountinfo` looks for; values come normalised. */
export interface AccountInfoQuery {
  email?: string;
  phoneNumber?: string;
  thirdParty?: { id: string; userId: string };
  /** A passkey's credential id (found in any tenant of the app, as the real core). */
  webauthnCredentialId?: string;
  /** Users matching any of the values (true) or all of them in this tenant (false). */
  union: boolean;
}

/** A page of the user list and where the next one starts. */
export interface UserPage {
  users: UserRecord[];
  next?: { userId: string; timeJoined: number };
}

/** Users across recipes (docs/embedded-core.md, Users): lookups, the user list, deletion. */
export class UsersService {
  constructor(private readonly ctx: CoreContext<AuthRecipeStorage & WebAuthnStorage>) {}

  get(appId: string, userId: string): Promise<UserRecord | undefined> {
    return this.ctx.store.getUser(appId, userId);
  }

  async byAccountInfo(appId: string, tenantId: string, q: AccountInfoQuery): Promise<UserRecord[]> {
    const { email, phoneNumber, thirdParty, webauthnCredentialId } = q;
    const byLogin =
      email === undefined && phoneNumber === undefined && thirdParty === undefined
        ? []
        : await this.ctx.store.findUsers(appId, tenantId, { email, phoneNumber, thirdParty });
    // An unknown credential id finds nobody (the real core answers 500).
    const passkeyOwner =
      webauthnCredentialId === undefined
        ? undefined
        : await this.passkeyOwner(appId, webauthnCredentialId);
    const users = new Map(byLogin.map((u) => [u.id, u]));
    if (passkeyOwner) users.set(passkeyOwner.id, passkeyOwner);
    const found = [...users.values()].sort((a, b) => userTimeJoined(a) - userTimeJoined(b));
    if (q.union) return found;
    return found.filter((user) => {
      const inTenant = user.loginMethods.filter((m) => m.tenantIds.includes(tenantId));
      return (
        (email === undefined || inTenant.some((m) => m.email === email)) &&
        (phoneNumber === undefined || inTenant.some((m) => m.phoneNumber === phoneNumber)) &&
        (thirdParty === undefined ||
          inTenant.some(
            (m) => m.thirdParty?.id === thirdParty.id && m.thirdParty.userId === thirdParty.userId,
          )) &&
        (webauthnCredentialId === undefined ||
          user.loginMethods.some((m) => m.webauthn?.credentialIds.includes(webauthnCredentialId)))
      );
    });
  }

  /** The user whose webauthn login has this passkey. */
  private async passkeyOwner(appId: string, credentialId: string): Promise<UserRecord | undefined> {
    const credential = await this.ctx.store.getWebAuthnCredential(appId, credentialId);
    return credential && this.ctx.store.getUser(appId, credential.userId);
  }

  /** A page in time-joined order; the search form (`query.search`) has no pages. */
  async page(appId: string, query: UserListQuery): Promise<UserPage> {
    if (query.search) return { users: await this.ctx.store.listUsers(appId, query) };
    // One more than asked: its presence means there is a next page, and it starts there.
    const users = await this.ctx.store.listUsers(appId, { ...query, limit: query.limit + 1 });
    const next = users.length > query.limit ? users.pop() : undefined;
    return next
      ? { users, next: { userId: next.id, timeJoined: userTimeJoined(next) } }
      : { users };
  }

  count(appId: string, tenantId: string | undefined, recipeIds?: RecipeId[]): Promise<number> {
    return this.ctx.store.countUsers(appId, tenantId, recipeIds);
  }

  /**
   * The deprecated per-recipe `GET /recipe/user?userId=…`: the recipe user as a user of its own
   * (its id, its primary user's `isPrimaryUser`, only that login method), when it is a login of
   * this recipe.
   */
  async recipeUser(
    appId: string,
    recipeUserId: string,
    recipeId: RecipeId,
  ): Promise<UserRecord | undefined> {
    const user = await this.ctx.store.getUser(appId, recipeUserId);
    const method = user?.loginMethods.find(
      (m) => m.recipeUserId === recipeUserId && m.recipeId === recipeId,
    );
    return (
      method && { id: recipeUserId, isPrimaryUser: user!.isPrimaryUser, loginMethods: [method] }
    );
  }

  /**
   * The deprecated per-recipe `GET /recipe/user?email=…` (or `phoneNumber`, or the third-party
   * login) in a tenant: the whole user whose login of this recipe there has it.
   */
  async byRecipeLogin(
    appId: string,
    tenantId: string,
    recipeId: RecipeId,
    info: Pick<AccountInfoQuery, 'email' | 'phoneNumber' | 'thirdParty'>,
  ): Promise<UserRecord | undefined> {
    const users = await this.ctx.store.findUsers(appId, tenantId, info);
    return users.find((user) =>
      user.loginMethods.some(
        (m) =>
          m.recipeId === recipeId &&
          m.tenantIds.includes(tenantId) &&
          (info.email === undefined || m.email === info.email) &&
          (info.phoneNumber === undefined || m.phoneNumber === info.phoneNumber) &&
          (info.thirdParty === undefined ||
            (m.thirdParty?.id === info.thirdParty.id &&
              m.thirdParty.userId === info.thirdParty.userId)),
      ),
    );
  }

  /** Deletes a user with its sessions, metadata, roles and verification state. */
  delete(appId: string, userId: string): Promise<boolean> {
    return this.ctx.store.deleteUser(appId, userId);
  }
}
