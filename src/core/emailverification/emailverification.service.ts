import type { EmailVerificationStorage } from '../store/storage/emailverification.storage.js';
import type { CoreContext } from '../core.context.js';
import { newEmailToken, sha256Hex } from '../crypto.util.js';

/**
 * Email verification (docs/embedded-core.md, Email verification): verified (recipe user, email)
 * pairs are app-wide, tokens are per tenant and stored only as hashes.
 */
export class EmailVerificationService {
  constructor(private readonly ctx: CoreContext<EmailVerificationStorage>) {}

  async createToken(
    appId: string,
    tenantId: string,
    userId: string,
    email: string,
  ): Promise<{ status: 'OK'; token: string } | { status: 'EMAIL_ALREADY_VERIFIED_ERROR' }> {
    const { store, now } = this.ctx;
    if (await store.isEmailVerified(appId, userId, email)) {
      return { status: 'EMAIL_ALREADY_VERIFIED_ERROR' };
    }
    const { emailVerificationTokenLifetime } = await this.ctx.settings(appId, tenantId);
    const { token, record } = newEmailToken(userId, email, now() + emailVerificationTokenLifetime);
    await store.addEmailVerificationToken(appId, tenantId, record);
    return { status: 'OK', token };
  }

  /** Uses a token up (once) and marks its email verified. */
  async verify(
    appId: string,
    tenantId: string,
    token: string,
  ): Promise<
    | { status: 'OK'; userId: string; email: string }
    | { status: 'EMAIL_VERIFICATION_INVALID_TOKEN_ERROR' }
  > {
    const { store, now } = this.ctx;
    const row = await store.consumeEmailVerificationToken(appId, tenantId, sha256Hex(token));
    if (!row || row.expiry < now()) return { status: 'EMAIL_VERIFICATION_INVALID_TOKEN_ERROR' };
    await store.setEmailVerified(appId, row.userId, row.email, true);
    return { status: 'OK', userId: row.userId, email: row.email };
  }

  isVerified(appId: string, userId: string, email: string): Promise<boolean> {
    return this.ctx.store.isEmailVerified(appId, userId, email);
  }

  unverify(appId: string, userId: string, email: string): Promise<void> {
    return this.ctx.store.setEmailVerified(appId, userId, email, false);
  }

  removeTokens(appId: string, tenantId: string, userId: string, email: string): Promise<void> {
    return this.ctx.store.removeEmailVerificationTokens(appId, tenantId, userId, email);
  }
}
