import type { SessionRecord } from '../records.js';

export type SessionPatch = Partial<
  Pick<
    SessionRecord,
    'refreshTokenHash2' | 'expiry' | 'userDataInJWT' | 'userDataInDatabase' | 'useStaticKey'
  >
>;

/** Sessions (official table `session_info`): the plugin interface's `SessionStorage`. */
export interface SessionStorage {
  /**
   * Stores a new session and returns it with `userId` resolved from `recipeUserId` (its primary
   * user when linked, else itself), found by the same statement that inserts it.
   */
  createSession(appId: string, session: Omit<SessionRecord, 'userId'>): Promise<SessionRecord>;
  getSession(appId: string, handle: string): Promise<SessionRecord | undefined>;
  /**
   * Applies `patch`; with `expectedRefreshTokenHash2` only if the stored hash still equals it
   * (compare-and-set for refresh-token rotation). Returns whether the session was updated.
   */
  updateSession(
    appId: string,
    handle: string,
    patch: SessionPatch,
    expectedRefreshTokenHash2?: string,
  ): Promise<boolean>;
  /** Deletes the sessions that exist and returns their handles. */
  deleteSessions(appId: string, handles: string[]): Promise<string[]>;
  /** Handles of the sessions of these recipe user ids, optionally in one tenant only. */
  listSessionHandles(appId: string, userIds: string[], tenantId?: string): Promise<string[]>;
}
