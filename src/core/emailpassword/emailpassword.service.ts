import type { EmailPasswordStorage } from '../store/storage/emailpassword.storage.js';
import type { AuthRecipeStorage } from '../store/storage/auth-recipe.storage.js';
import type { EmailVerificationStorage } from '../store/storage/emailverification.storage.js';
import type { CoreContext } from '../core.context.js';
import { newEmailToken, newId, sha256Hex } from '../crypto.util.js';
import { badRequest, CoreHttpError } from '../http/core-error.js';
import type { UserRecord } from '../store/records.js';
import { decoyHash, hashPassword, verifyPassword } from './password-hash.js';
import {
  type HashingAlgorithm,
  hashImportProblem,
  SIGNER_KEY_MISSING,
} from './password-hash-format.js';

/** Addresses the SDK invents for users without an email; the real core treats them as verified. */
const isFakeEmail = (email: string): boolean =>
  email.endsWith('@stfakeemail.supertokens.com') || email.endsWith('.fakeemail.com');

/** The real core's answer when a Firebase scrypt hash meets an app without a signer key. */
const signerKeyMissing = (): CoreHttpError =>
  new CoreHttpError(500, `java.lang.IllegalStateException: ${SIGNER_KEY_MISSING}`);

/** A user imported with a password hash; `user` as it was before an existing one's hash changed. */
export interface Imported {
  user: UserRecord;
  didUserAlreadyExist: boolean;
}

/** A user signed up or in, and the login method that did it. */
export interface SignedIn {
  status: 'OK';
  user: UserRecord;
  recipeUserId: string;
}

/**
 * EmailPassword users (docs/embedded-core.md, EmailPassword): sign up and in, password reset
 * tokens, and changing a login's email or password. Emails come normalised.
 */
export class EmailPasswordService {
  constructor(
    private readonly ctx: CoreContext<
      EmailPasswordStorage & AuthRecipeStorage & EmailVerificationStorage
    >,
  ) {}

  async signUp(
    appId: string,
    tenantId: string,
    email: string,
    password: string,
  ): Promise<SignedIn | { status: 'EMAIL_ALREADY_EXISTS_ERROR' }> {
    const { store, now } = this.ctx;
    const recipeUserId = newId();
    const status = await store.createEmailPasswordUser(appId, tenantId, {
      recipeUserId,
      recipeId: 'emailpassword',
      tenantIds: [tenantId],
      timeJoined: now(),
      email,
      passwordHash: await hashPassword(password, email),
    });
    if (status === 'EMAIL_ALREADY_EXISTS') return { status: 'EMAIL_ALREADY_EXISTS_ERROR' };
    if (isFakeEmail(email)) await store.setEmailVerified(appId, recipeUserId, email, true);
    const user = await store.getUser(appId, recipeUserId);
    return { status: 'OK', user: user!, recipeUserId };
  }

  /** Compares against a decoy hash when nobody has the email, so both answers take as long. */
  async signIn(
    appId: string,
    tenantId: string,
    email: string,
    password: string,
  ): Promise<SignedIn | { status: 'WRONG_CREDENTIALS_ERROR' }> {
    const { store } = this.ctx;
    const [user] = (await store.findUsers(appId, tenantId, { email })).filter((u) =>
      u.loginMethods.some((m) => m.recipeId === 'emailpassword' && m.email === email),
    );
    const method = user?.loginMethods.find(
      (m) => m.recipeId === 'emailpassword' && m.email === email && m.tenantIds.includes(tenantId),
    );
    const ok = await verifyPassword(
      password,
      method?.passwordHash ?? (await decoyHash()),
      email,
      () => this.firebaseSignerKey(appId, tenantId),
    );
    if (!user || !method || !ok) return { status: 'WRONG_CREDENTIALS_ERROR' };
    return { status: 'OK', user, recipeUserId: method.recipeUserId };
  }

  /**
   * Creates a user with a password hash made elsewhere (bcrypt, argon2, Firebase scrypt), stored
   * as given; an emailpassword login with that email in the tenant gets the hash instead. Refused
   * with the real core's 400 texts when the hash is not in a format it reads.
   */
  async importUser(
    appId: string,
    tenantId: string,
    email: string,
    passwordHash: string,
    algorithm: HashingAlgorithm | undefined,
  ): Promise<Imported> {
    const { store, now } = this.ctx;
    const { firebasePasswordHashingSignerKey } = await this.ctx.settings(appId, tenantId);
    const problem = hashImportProblem(
      passwordHash,
      algorithm,
      firebasePasswordHashingSignerKey !== undefined,
    );
    if (problem === SIGNER_KEY_MISSING) throw signerKeyMissing();
    if (problem !== undefined) throw badRequest(problem);
    // A login deleted between the two steps frees the email: try again (a few times at most).
    for (let attempt = 0; attempt < 3; attempt++) {
      const recipeUserId = newId();
      const created = await store.createEmailPasswordUser(appId, tenantId, {
        recipeUserId,
        recipeId: 'emailpassword',
        tenantIds: [tenantId],
        timeJoined: now(),
        email,
        passwordHash,
      });
      if (created === 'OK') {
        const user = await store.getUser(appId, recipeUserId);
        return { user: user!, didUserAlreadyExist: false };
      }
      const existing = await this.findLogin(appId, tenantId, email);
      if (!existing) continue;
      const updated = await store.updateEmailPasswordLogin(appId, existing.recipeUserId, {
        passwordHash,
      });
      if (updated === 'OK') return { user: existing.user, didUserAlreadyExist: true };
    }
    throw new Error('An emailpassword login kept changing during its password hash import');
  }

  /** The user with an emailpassword login for `email` in the tenant, and that login's id. */
  private async findLogin(
    appId: string,
    tenantId: string,
    email: string,
  ): Promise<{ user: UserRecord; recipeUserId: string } | undefined> {
    for (const user of await this.ctx.store.findUsers(appId, tenantId, { email })) {
      const method = user.loginMethods.find(
        (m) =>
          m.recipeId === 'emailpassword' && m.email === email && m.tenantIds.includes(tenantId),
      );
      if (method) return { user, recipeUserId: method.recipeUserId };
    }
    return undefined;
  }

  /** The app's `firebase_password_hashing_signer_key`; the real core's 500 when it has none. */
  private async firebaseSignerKey(appId: string, tenantId: string): Promise<string> {
    const { firebasePasswordHashingSignerKey } = await this.ctx.settings(appId, tenantId);
    if (firebasePasswordHashingSignerKey === undefined) throw signerKeyMissing();
    return firebasePasswordHashingSignerKey;
  }

  /** A reset token for a user; only its hash is stored. */
  async createResetToken(
    appId: string,
    tenantId: string,
    userId: string,
    email: string,
  ): Promise<{ status: 'OK'; token: string } | { status: 'UNKNOWN_USER_ID_ERROR' }> {
    const { store, now } = this.ctx;
    if (!(await store.getUser(appId, userId))) return { status: 'UNKNOWN_USER_ID_ERROR' };
    const { passwordResetTokenLifetime } = await this.ctx.settings(appId, tenantId);
    const { token, record } = newEmailToken(userId, email, now() + passwordResetTokenLifetime);
    await store.addPasswordResetToken(appId, record);
    return { status: 'OK', token };
  }

  /** Uses a reset token up (once, even under concurrent consumes). */
  async consumeResetToken(
    appId: string,
    token: string,
  ): Promise<
    | { status: 'OK'; userId: string; email: string }
    | { status: 'RESET_PASSWORD_INVALID_TOKEN_ERROR' }
  > {
    const row = await this.ctx.store.consumePasswordResetToken(appId, sha256Hex(token));
    if (!row || row.expiry < this.ctx.now())
      return { status: 'RESET_PASSWORD_INVALID_TOKEN_ERROR' };
    return { status: 'OK', userId: row.userId, email: row.email };
  }

  /**
   * The deprecated `POST /recipe/user/password/reset`: uses a reset token up and sets its user's
   * password; the user's SuperTokens id.
   */
  async resetPassword(
    appId: string,
    token: string,
    newPassword: string,
  ): Promise<{ status: 'OK'; userId: string } | { status: 'RESET_PASSWORD_INVALID_TOKEN_ERROR' }> {
    const consumed = await this.consumeResetToken(appId, token);
    if (consumed.status !== 'OK') return consumed;
    const { status } = await this.updateLogin(appId, consumed.userId, { password: newPassword });
    // A user deleted since its token was read: its token went with it, as in the real core.
    if (status !== 'OK') return { status: 'RESET_PASSWORD_INVALID_TOKEN_ERROR' };
    return { status: 'OK', userId: consumed.userId };
  }

  /** Changes a login's email (normalised), password, or both. */
  async updateLogin(
    appId: string,
    recipeUserId: string,
    change: { email?: string; password?: string },
  ): Promise<
    | { status: 'OK' | 'UNKNOWN_USER_ID_ERROR' | 'EMAIL_ALREADY_EXISTS_ERROR' }
    | { status: 'EMAIL_CHANGE_NOT_ALLOWED_ERROR'; reason: string }
  > {
    const result = await this.ctx.store.updateEmailPasswordLogin(appId, recipeUserId, {
      email: change.email,
      passwordHash:
        change.password === undefined
          ? undefined
          : await hashPassword(change.password, recipeUserId),
    });
    if (result === 'UNKNOWN_USER_ID') return { status: 'UNKNOWN_USER_ID_ERROR' };
    if (result === 'EMAIL_ALREADY_EXISTS') return { status: 'EMAIL_ALREADY_EXISTS_ERROR' };
    if (result === 'EMAIL_CHANGE_NOT_ALLOWED') {
      return {
        status: 'EMAIL_CHANGE_NOT_ALLOWED_ERROR',
        reason: 'New email is associated with another primary user ID',
      };
    }
    return { status: 'OK' };
  }
}
