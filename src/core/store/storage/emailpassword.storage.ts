import type { LoginMethodRecord, TokenRecord } from '../records.js';

/**
 * Password logins and reset tokens (official tables `emailpassword_users`,
 * `emailpassword_user_to_tenant`, `emailpassword_pswd_reset_tokens`): the plugin interface's
 * `EmailPasswordStorage`.
 */
export interface EmailPasswordStorage {
  /** Creates a new user unless an emailpassword login with that email exists in the tenant. */
  createEmailPasswordUser(
    appId: string,
    tenantId: string,
    loginMethod: LoginMethodRecord,
  ): Promise<'OK' | 'EMAIL_ALREADY_EXISTS'>;
  updateEmailPasswordLogin(
    appId: string,
    recipeUserId: string,
    patch: { email?: string; passwordHash?: string },
  ): Promise<'OK' | 'UNKNOWN_USER_ID' | 'EMAIL_ALREADY_EXISTS' | 'EMAIL_CHANGE_NOT_ALLOWED'>;
  addPasswordResetToken(appId: string, token: TokenRecord): Promise<void>;
  /** Deletes every reset token of the token's user and returns the matched one, if any. */
  consumePasswordResetToken(appId: string, tokenHash: string): Promise<TokenRecord | undefined>;
}
