import { Injectable } from '@nestjs/common';
import supertokens from 'supertokens-node';
import EmailVerification, {
  EmailVerificationClaim,
} from 'supertokens-node/recipe/emailverification';
import Session from 'supertokens-node/recipe/session';

// supertokens-node is CommonJS: Node's ESM loader only sees its named exports through the default.
const { RecipeUserId } = supertokens;

/**
 * Email verification status and tokens (needs `emailVerification`), wrapping supertokens-node's
 * EmailVerification functions. Ids are recipe user ids (the user id, without account linking).
 */
@Injectable()
export class EmailVerificationService {
  /** Whether the user's email (or `email`) is verified. */
  isVerified(recipeUserId: string, email?: string): Promise<boolean> {
    return EmailVerification.isEmailVerified(new RecipeUserId(recipeUserId), email);
  }

  /** Sends the verification email (through `emailDelivery`) unless the email is verified already. */
  async sendVerificationEmail(
    userId: string,
    email?: string,
    tenantId = 'public',
  ): Promise<'OK' | 'EMAIL_ALREADY_VERIFIED_ERROR'> {
    const result = await EmailVerification.sendEmailVerificationEmail(
      tenantId,
      userId,
      new RecipeUserId(userId),
      email,
    );
    return result.status;
  }

  /** Marks the email verified without a link (e.g. for users imported from elsewhere). */
  async markVerified(userId: string, email?: string, tenantId = 'public'): Promise<boolean> {
    const token = await EmailVerification.createEmailVerificationToken(
      tenantId,
      new RecipeUserId(userId),
      email,
    );
    if (token.status !== 'OK') return token.status === 'EMAIL_ALREADY_VERIFIED_ERROR';
    return (await EmailVerification.verifyEmailUsingToken(tenantId, token.token)).status === 'OK';
  }

  async unverify(recipeUserId: string, email?: string): Promise<void> {
    await EmailVerification.unverifyEmail(new RecipeUserId(recipeUserId), email);
  }

  /** Re-reads the verification state into a session's stored `st-ev` claim. */
  refreshSessionClaim(sessionHandle: string): Promise<boolean> {
    return Session.fetchAndSetClaim(sessionHandle, EmailVerificationClaim);
  }
}
