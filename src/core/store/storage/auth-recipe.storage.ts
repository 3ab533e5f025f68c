import type { RecipeId, ThirdPartyInfo, UserRecord } from '../records.js';

/** Looks up users by the account info they log in with, inside one tenant. */
export interface AccountInfoQuery {
  email?: string;
  phoneNumber?: string;
  thirdParty?: ThirdPartyInfo;
}

/** A page of users for `GET /<t>/users` (docs/embedded-core.md, Users). */
export interface UserListQuery {
  tenantId: string;
  /** By timeJoined, then by user id descending. */
  order: 'ASC' | 'DESC';
  limit: number;
  /** Start at this user (inclusive): the decoded pagination token. */
  from?: { userId: string; timeJoined: number };
  /** Only users with a login method of these recipes in the tenant. */
  recipeIds?: RecipeId[];
  /**
   * Search tags, lower-cased. A login method matches when, for every kind given, one of its tags
   * matches: an email starting with the tag or with `@<tag>` in it, a phone number starting with
   * it, a third-party id starting with it.
   */
  search?: { emails: string[]; phones: string[]; providers: string[] };
}

/**
 * Users and their login methods across recipes (official tables `app_id_to_user_id`,
 * `all_auth_recipe_users`): the plugin interface's `AuthRecipeStorage`.
 */
export interface AuthRecipeStorage {
  /** By primary or recipe user id. */
  getUser(appId: string, userId: string): Promise<UserRecord | undefined>;
  /** Users with a login method in `tenantId` matching any given field (sorted by timeJoined). */
  findUsers(appId: string, tenantId: string, query: AccountInfoQuery): Promise<UserRecord[]>;
  /** Users of a tenant in order (see `UserListQuery`), at most `limit`. */
  listUsers(appId: string, query: UserListQuery): Promise<UserRecord[]>;
  /** Distinct users with a login method in the tenant (any tenant when undefined). */
  countUsers(appId: string, tenantId: string | undefined, recipeIds?: RecipeId[]): Promise<number>;
  /**
   * Removes the user (with every linked login method) and all its sessions, tokens, roles,
   * metadata and verification state, kept under any of its ids; false if unknown.
   */
  deleteUser(appId: string, userId: string): Promise<boolean>;
}
