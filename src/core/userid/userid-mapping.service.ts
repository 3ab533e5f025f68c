import type { CoreContext } from '../core.context.js';
import { badRequest } from '../http/core-error.js';
import type { EmailVerificationStorage } from '../store/storage/emailverification.storage.js';
import type {
  CreateUserIdMappingResult,
  UserIdMappingRecord,
  UserIdMappingStorage,
  UserIdType,
} from '../store/storage/userid-mapping.storage.js';

/** Which id a caller names: either, when it does not say. */
export type UserIdLookup = UserIdType | 'ANY';

export interface NewUserIdMapping extends UserIdMappingRecord {
  /** Map even an id that is itself a user's, or whose user has non-auth data already. */
  force: boolean;
}

/** A mapping's id was looked up and no user or mapping has it. */
const UNKNOWN = Symbol('unknown user id');

/**
 * User id mapping (docs/embedded-core.md, User id mapping), read from supertokens-core 11.4's
 * `UserIdMapping` and `StorageLayer.findStorageAndUserIdMappingForUser`: a SuperTokens user id
 * gets an external id, which the auth APIs accept in its place and answer with.
 */
export class UserIdMappingService {
  constructor(private readonly ctx: CoreContext<UserIdMappingStorage & EmailVerificationStorage>) {}

  async create(appId: string, input: NewUserIdMapping): Promise<CreateUserIdMappingResult> {
    const { store } = this.ctx;
    const { superTokensUserId: st, externalUserId: ext } = input;
    // Checked before the user's existence, as the real core does.
    const existing = await store.getUserIdMapping(appId, ext, 'EXTERNAL');
    if (existing) {
      return {
        status: 'USER_ID_MAPPING_ALREADY_EXISTS_ERROR',
        doesSuperTokensUserIdExist: existing.superTokensUserId === st,
        doesExternalUserIdExist: true,
      };
    }
    if (!(await store.isSuperTokensUserId(appId, st))) {
      return { status: 'UNKNOWN_SUPERTOKENS_USER_ID_ERROR' };
    }
    if (!input.force) {
      if (await store.isSuperTokensUserId(appId, ext)) {
        throw badRequest(
          'Cannot create a userId mapping where the externalId is also a SuperTokens userID',
        );
      }
      const used = await store.nonAuthRecipesUsingUserId(appId, st, this.ctx.now());
      // Third-party and passwordless sign-ups verify emails under the SuperTokens id: those
      // alone move to the external id.
      if (used.length === 1 && used[0] === 'EmailVerification') {
        await store.updateIsEmailVerifiedToExternalUserId(appId, st, ext);
      } else if (used.length > 0) {
        throw badRequest(`UserId is already in use in ${used[0]} recipe`);
      }
    }
    return store.createUserIdMapping(appId, {
      superTokensUserId: st,
      externalUserId: ext,
      ...(input.externalUserIdInfo !== undefined && {
        externalUserIdInfo: input.externalUserIdInfo,
      }),
    });
  }

  /** The mapping `userId` names as `type`; undefined when none does. */
  async get(
    appId: string,
    userId: string,
    type: UserIdLookup,
  ): Promise<UserIdMappingRecord | undefined> {
    const found = await this.resolve(appId, userId, type);
    return found === UNKNOWN ? undefined : found;
  }

  /** Deletes the mapping `userId` names; whether there was one. */
  async remove(
    appId: string,
    userId: string,
    type: UserIdLookup,
    force: boolean,
  ): Promise<boolean> {
    const { store } = this.ctx;
    if ((await this.resolve(appId, userId, type)) === UNKNOWN) return false;
    // The real core looks the mapping up by either id, whatever the type said.
    const mapping = await this.mappingOf(appId, userId);
    if (!mapping) return false;
    if (await store.isSuperTokensUserId(appId, mapping.externalUserId)) {
      return store.deleteUserIdMapping(appId, mapping.superTokensUserId, 'SUPERTOKENS');
    }
    if (!force) {
      const [used] = await store.nonAuthRecipesUsingUserId(
        appId,
        mapping.externalUserId,
        this.ctx.now(),
      );
      if (used !== undefined) throw badRequest(`UserId is already in use in ${used} recipe`);
    }
    return store.deleteUserIdMapping(appId, userId, await this.typeOf(appId, userId, type));
  }

  /** Sets or (`null`) clears a mapping's info; false when `userId` names no mapping. */
  async updateInfo(
    appId: string,
    userId: string,
    type: UserIdLookup,
    info: string | null,
  ): Promise<boolean> {
    if ((await this.resolve(appId, userId, type)) === UNKNOWN) return false;
    const exact = await this.typeOf(appId, userId, type);
    return this.ctx.store.updateExternalUserIdInfo(appId, userId, exact, info);
  }

  /**
   * The SuperTokens user id an auth API works on when given `userId` (either id): the SuperTokens
   * id of the mapping naming it (as the real core's `ANY` lookup picks it), else itself.
   */
  async toSuperTokensId(appId: string, userId: string): Promise<string> {
    return (await this.mappingOf(appId, userId))?.superTokensUserId ?? userId;
  }

  /**
   * `findStorageAndUserIdMappingForUser(ANY)` as the auth APIs' handlers use it: the mapping
   * naming `userId`, `null` for a user without one or an id only non-auth recipes keep data
   * under, `undefined` for an id nothing knows (their `UNKNOWN_USER_ID_ERROR`).
   */
  async lookup(appId: string, userId: string): Promise<UserIdMappingRecord | null | undefined> {
    const { store } = this.ctx;
    const mapping = await this.mappingOf(appId, userId);
    if (mapping) return mapping;
    if (await store.isSuperTokensUserId(appId, userId)) return null;
    const used = await store.nonAuthRecipesUsingUserId(appId, userId, this.ctx.now());
    return used.length > 0 ? null : undefined;
  }

  /** The id the auth APIs answer with for a SuperTokens user id: its external id, if mapped. */
  async toExternalId(appId: string, superTokensUserId: string): Promise<string> {
    const mapping = await this.ctx.store.getUserIdMapping(appId, superTokensUserId, 'SUPERTOKENS');
    return mapping?.externalUserId ?? superTokensUserId;
  }

  /** What an `ANY` update or deletion names: a user's id is its SuperTokens id. */
  private async typeOf(appId: string, userId: string, type: UserIdLookup): Promise<UserIdType> {
    if (type !== 'ANY') return type;
    return (await this.ctx.store.isSuperTokensUserId(appId, userId)) ? 'SUPERTOKENS' : 'EXTERNAL';
  }

  /**
   * `UserIdMapping.getUserIdMapping(ANY)`: the one mapping naming `userId` as either id; of two
   * (it is the SuperTokens id of one and the external id of another), the first.
   */
  private async mappingOf(appId: string, userId: string): Promise<UserIdMappingRecord | undefined> {
    const found = await this.ctx.store.findUserIdMappings(appId, userId);
    return found.length === 2 ? found.find((m) => m.superTokensUserId === userId) : found[0];
  }

  /**
   * `findStorageAndUserIdMappingForUser` on the app's one storage: the mapping (or `undefined`
   * for a user without one), or UNKNOWN for an id no user or mapping has.
   */
  private async resolve(
    appId: string,
    userId: string,
    type: UserIdLookup,
  ): Promise<UserIdMappingRecord | undefined | typeof UNKNOWN> {
    const { store } = this.ctx;
    if (type === 'EXTERNAL') {
      return (await store.getUserIdMapping(appId, userId, 'EXTERNAL')) ?? UNKNOWN;
    }
    if (await store.isSuperTokensUserId(appId, userId)) {
      return type === 'SUPERTOKENS'
        ? store.getUserIdMapping(appId, userId, 'SUPERTOKENS')
        : this.mappingOf(appId, userId);
    }
    if (type === 'SUPERTOKENS') return UNKNOWN;
    // An id only non-auth recipes use resolves to no mapping: to these APIs, the same answer.
    return (await this.mappingOf(appId, userId)) ?? UNKNOWN;
  }
}
