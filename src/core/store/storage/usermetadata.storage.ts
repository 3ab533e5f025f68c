/** Per-user JSON (official table `user_metadata`): the plugin interface's `UserMetadataStorage`. */
export interface UserMetadataStorage {
  getUserMetadata(appId: string, userId: string): Promise<Record<string, unknown>>;
  /** Shallow merge: each top-level key is replaced, `null` removes it. Returns the result. */
  mergeUserMetadata(
    appId: string,
    userId: string,
    update: Record<string, unknown>,
  ): Promise<Record<string, unknown>>;
  deleteUserMetadata(appId: string, userId: string): Promise<void>;
}
