import type { TokenRecord } from '../records.js';

/**
 * Verified emails and verification tokens (official tables `emailverification_verified_emails`,
 * `emailverification_tokens`): the plugin interface's `EmailVerificationStorage`.
 */
export interface EmailVerificationStorage {
  isEmailVerified(appId: string, recipeUserId: string, email: string): Promise<boolean>;
  setEmailVerified(
    appId: string,
    recipeUserId: string,
    email: string,
    verified: boolean,
  ): Promise<void>;
  addEmailVerificationToken(appId: string, tenantId: string, token: TokenRecord): Promise<void>;
  /** Deletes every token of the matched (user, email) pair in the tenant and returns the match. */
  consumeEmailVerificationToken(
    appId: string,
    tenantId: string,
    tokenHash: string,
  ): Promise<TokenRecord | undefined>;
  removeEmailVerificationTokens(
    appId: string,
    tenantId: string,
    userId: string,
    email: string,
  ): Promise<void>;
  /**
   * Moves every verified email and verification token of `superTokensUserId` to
   * `externalUserId`, in one transaction (the real core does it when mapping a user whose only
   * non-auth data is its email verification).
   */
  updateIsEmailVerifiedToExternalUserId(
    appId: string,
    superTokensUserId: string,
    externalUserId: string,
  ): Promise<void>;
}
