import type { ThirdPartyStorage } from '../store/storage/thirdparty.storage.js';
import type { AuthRecipeStorage } from '../store/storage/auth-recipe.storage.js';
import type { EmailVerificationStorage } from '../store/storage/emailverification.storage.js';
import type { CoreContext } from '../core.context.js';
import { newId } from '../crypto.util.js';
import type { UserRecord } from '../store/records.js';

/** A third-party sign-in-up: the user, the login method used, and whether it is new. */
export interface ThirdPartySignedInUp {
  status: 'OK';
  createdNewUser: boolean;
  user: UserRecord;
  recipeUserId: string;
}

/**
 * ThirdParty sign-in-up (the real core's `ThirdParty.signInUp`): a provider user is one login
 * per tenant; signing in again with another email from the provider updates the login's email;
 * `isVerified` marks that email verified for the login, unless the login belongs to a primary user
 * and another primary user has that email in its tenants.
 */
export class ThirdPartyService {
  constructor(
    private readonly ctx: CoreContext<
      ThirdPartyStorage & AuthRecipeStorage & EmailVerificationStorage
    >,
  ) {}

  async signInUp(
    appId: string,
    tenantId: string,
    thirdParty: { id: string; userId: string },
    email: string,
    isVerified: boolean,
  ): Promise<ThirdPartySignedInUp | { status: 'EMAIL_CHANGE_NOT_ALLOWED_ERROR'; reason: string }> {
    const { store, now } = this.ctx;
    const outcome = await store.signInUpThirdPartyUser(appId, tenantId, {
      recipeUserId: newId(),
      recipeId: 'thirdparty',
      tenantIds: [tenantId],
      timeJoined: now(),
      email,
      thirdParty,
    });
    if (outcome === 'EMAIL_CHANGE_NOT_ALLOWED') {
      // The user is a primary user and another primary user has the new email in its tenants.
      return {
        status: 'EMAIL_CHANGE_NOT_ALLOWED_ERROR',
        reason: 'Email already associated with another primary user.',
      };
    }
    const { createdNewUser, recipeUserId } = outcome;
    if (isVerified) await store.setEmailVerified(appId, recipeUserId, email, true);
    const user = await store.getUser(appId, recipeUserId);
    if (!user) throw new Error('A third-party user vanished while signing in');
    return { status: 'OK', createdNewUser, user, recipeUserId };
  }
}
