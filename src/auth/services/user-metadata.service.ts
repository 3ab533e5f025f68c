import { Injectable } from '@nestjs/common';
import UserMetadata from 'supertokens-node/recipe/usermetadata';

/** A user's metadata: a JSON object. */
export type UserMetadataValues = Record<string, unknown>;

/**
 * User metadata (needs `metadata: true`): a JSON object per user id, wrapping supertokens-node's
 * UserMetadata functions.
 */
@Injectable()
export class UserMetadataService {
  /** `{}` when the user has none. */
  async get(userId: string): Promise<UserMetadataValues> {
    return (await UserMetadata.getUserMetadata(userId)).metadata as UserMetadataValues;
  }

  /**
   * Shallow merge: each top-level key of `update` replaces the stored one; `null` deletes it.
   * Returns the merged metadata.
   * @example update(id, { theme: 'dark', beta: null })
   */
  async update(userId: string, update: UserMetadataValues): Promise<UserMetadataValues> {
    return (await UserMetadata.updateUserMetadata(userId, update as never)).metadata;
  }

  async clear(userId: string): Promise<void> {
    await UserMetadata.clearUserMetadata(userId);
  }
}
