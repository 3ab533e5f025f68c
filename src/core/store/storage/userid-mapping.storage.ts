/** A SuperTokens user id's external id (official table `userid_mapping`, app-wide). */
export interface UserIdMappingRecord {
  superTokensUserId: string;
  externalUserId: string;
  externalUserIdInfo?: string;
}

/** Which of a mapping's two ids a lookup, update or deletion names. */
export type UserIdType = 'SUPERTOKENS' | 'EXTERNAL';

/** What an insert met: the user is unknown, or one of its ids is mapped already. */
export type CreateUserIdMappingResult =
  | { status: 'OK' }
  | { status: 'UNKNOWN_SUPERTOKENS_USER_ID_ERROR' }
  | {
      status: 'USER_ID_MAPPING_ALREADY_EXISTS_ERROR';
      doesSuperTokensUserIdExist: boolean;
      doesExternalUserIdExist: boolean;
    };

/**
 * The non-auth recipes whose data can be kept under a user id, named and ordered as the real
 * core's `UserIdMapping.findNonAuthStoragesWhereUserIdIsUsedOrAssertIfUsed` checks them.
 */
export type NonAuthRecipe = 'Session' | 'UserMetadata' | 'UserRoles' | 'EmailVerification' | 'TOTP';

/** User id mappings: the plugin interface's `UserIdMappingStorage`. */
export interface UserIdMappingStorage {
  /**
   * Inserts a mapping of an existing user (one statement: the user's existence, both ids'
   * uniqueness). Refusals say which id was taken, as the plugin reads its constraints.
   */
  createUserIdMapping(
    appId: string,
    mapping: UserIdMappingRecord,
  ): Promise<CreateUserIdMappingResult>;
  /** The mapping whose SuperTokens or external id is `userId`. */
  getUserIdMapping(
    appId: string,
    userId: string,
    type: UserIdType,
  ): Promise<UserIdMappingRecord | undefined>;
  /**
   * Every mapping naming `userId` as either id (0, 1, or 2 when it is the SuperTokens id of one
   * and the external id of another), the SuperTokens-id match first.
   */
  findUserIdMappings(appId: string, userId: string): Promise<UserIdMappingRecord[]>;
  /** External ids of these SuperTokens ids, for those mapped (one query). */
  externalUserIds(appId: string, superTokensUserIds: string[]): Promise<Map<string, string>>;
  /** Deletes the mapping whose id of this type is `userId`; whether there was one. */
  deleteUserIdMapping(appId: string, userId: string, type: UserIdType): Promise<boolean>;
  /** Sets (or with `null` clears) the info of the mapping found so; whether there was one. */
  updateExternalUserIdInfo(
    appId: string,
    userId: string,
    type: UserIdType,
    info: string | null,
  ): Promise<boolean>;
  /** Whether `userId` is a SuperTokens user id (a recipe or primary user) of the app. */
  isSuperTokensUserId(appId: string, userId: string): Promise<boolean>;
  /**
   * The non-auth recipes keeping data under `userId` anywhere in the app, in their check order:
   * a session not expired at `now`, metadata, a role, a verified email or verification token, a
   * TOTP device.
   */
  nonAuthRecipesUsingUserId(appId: string, userId: string, now: number): Promise<NonAuthRecipe[]>;
}
