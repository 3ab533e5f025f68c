import type { SigningKeyRecord } from '../records.js';

/**
 * Access-token signing keys: dynamic ones (official table `session_access_token_signing_keys`,
 * the plugin interface's `SessionStorage`) and the static one (`jwt_signing_keys`,
 * `JWTRecipeStorage`).
 */
export interface SigningKeyStorage {
  listSigningKeys(appId: string): Promise<SigningKeyRecord[]>;
  /**
   * Adds `key` unless a key of its type created at or after `since` exists (for a static key:
   * any static key). Atomic across processes, so two instances rotating at once add one key.
   * Returns whether it was added.
   */
  addSigningKeyUnlessFresh(appId: string, key: SigningKeyRecord, since: number): Promise<boolean>;
  removeSigningKeys(appId: string, kids: string[]): Promise<void>;
}
