import type { CoreContext } from '../core.context.js';
import { type RecipeId, type UserRecord, userTimeJoined } from '../store/records.js';
import type { AuthRecipeStorage, UserListQuery } from '../store/storage/auth-recipe.storage.js';

/** What `GET /<t>/users/by-accountinfo` looks for; values come normalised. */
export interface AccountInfoQuery {
  email?: string;
  phoneNumber?: string;
  thirdParty?: { id: string; userId: string };
  /** A passkey was asked for: nobody logs in with those here yet. */
  unmatchable: boolean;
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
  constructor(private readonly ctx: CoreContext<AuthRecipeStorage>) {}

  get(appId: string, userId: string): Promise<UserRecord | undefined> {
    return this.ctx.store.getUser(appId, userId);
  }

  async byAccountInfo(appId: string, tenantId: string, q: AccountInfoQuery): Promise<UserRecord[]> {
    const { email, phoneNumber, thirdParty } = q;
    if (email === undefined && phoneNumber === undefined && thirdParty === undefined) return [];
    const users = await this.ctx.store.findUsers(appId, tenantId, {
      email,
      phoneNumber,
      thirdParty,
    });
    if (q.union) return users;
    if (q.unmatchable) return [];
    return users.filter((user) => {
      const inTenant = user.loginMethods.filter((m) => m.tenantIds.includes(tenantId));
      return (
        (email === undefined || inTenant.some((m) => m.email === email)) &&
        (phoneNumber === undefined || inTenant.some((m) => m.phoneNumber === phoneNumber)) &&
        (thirdParty === undefined ||
          inTenant.some(
            (m) => m.thirdParty?.id === thirdParty.id && m.thirdParty.userId === thirdParty.userId,
          ))
      );
    });
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
