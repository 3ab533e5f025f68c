import { randomBytes, randomUUID } from 'node:crypto';
import type { CoreContext } from '../core.context.js';
import { sha256Hex } from '../crypto.util.js';
import type { JsonObject } from '../http/json-input.js';
import type {
  UserRecord,
  WebAuthnCredentialRecord,
  WebAuthnOptionsRecord,
  WebAuthnRecoveryTokenRecord,
} from '../store/records.js';
import type { AuthRecipeStorage } from '../store/storage/auth-recipe.storage.js';
import type {
  WebAuthnCredentialSave,
  WebAuthnEmailUpdate,
  WebAuthnStorage,
} from '../store/storage/webauthn.storage.js';
import {
  credentialIdOf,
  verifyAssertion,
  verifyRegistration,
  type RegisteredPasskey,
  type WebAuthnRefusal,
} from './webauthn-verify.js';

/** base64url (no padding) of 32 random bytes: challenges and recovery tokens, as the real core. */
const randomToken = (): string => randomBytes(32).toString('base64url');

/** What generating options needs besides the tenant. */
export type NewOptions = Omit<
  WebAuthnOptionsRecord,
  'id' | 'tenantId' | 'challenge' | 'createdAt' | 'expiresAt'
> & {
  timeout: number;
};

export type SignUpOutcome =
  | {
      status: 'OK';
      user: UserRecord;
      credential: WebAuthnCredentialRecord;
      options: WebAuthnOptionsRecord;
    }
  | {
      status:
        | 'OPTIONS_NOT_FOUND_ERROR'
        | 'EMAIL_ALREADY_EXISTS_ERROR'
        | 'CREDENTIAL_ALREADY_EXISTS_ERROR';
    }
  | WebAuthnRefusal;

export type SignInOutcome =
  | { status: 'OK'; user: UserRecord; recipeUserId: string }
  | { status: 'OPTIONS_NOT_FOUND_ERROR' | 'CREDENTIAL_NOT_FOUND_ERROR' | 'UNKNOWN_USER_ID_ERROR' }
  | WebAuthnRefusal;

export type RegisterOutcome =
  | { status: 'OK'; credential: WebAuthnCredentialRecord; options: WebAuthnOptionsRecord }
  | { status: 'OPTIONS_NOT_FOUND_ERROR' | `${Exclude<WebAuthnCredentialSave, 'OK'>}_ERROR` }
  | WebAuthnRefusal;

const isRefusal = (value: unknown): value is WebAuthnRefusal =>
  typeof value === 'object' && value !== null && 'reason' in value;

/**
 * Passkeys (docs/embedded-core.md, WebAuthn), as supertokens-core 11.4's `WebAuthN`: options
 * with a challenge per ceremony, registration and sign-in verified against them, credentials per
 * webauthn user, account-recovery tokens. Stricter where WebAuthn asks for it: a challenge
 * verifies once, origins match the relying party at a dot boundary, users are present.
 */
export class WebAuthnService {
  constructor(private readonly ctx: CoreContext<WebAuthnStorage & AuthRecipeStorage>) {}

  /** New options: register options carry the email the passkey will be for. */
  async generateOptions(
    appId: string,
    tenantId: string,
    input: NewOptions,
  ): Promise<WebAuthnOptionsRecord> {
    const createdAt = this.ctx.now();
    const { timeout, ...rest } = input;
    const options: WebAuthnOptionsRecord = {
      ...rest,
      id: randomUUID(),
      tenantId,
      challenge: randomToken(),
      createdAt,
      expiresAt: createdAt + timeout,
    };
    await this.ctx.store.saveWebAuthnOptions(appId, options);
    return options;
  }

  /**
   * The register options' user handle: the oldest user with that email in the tenant, else the
   * options' own id (as the real core).
   */
  async userHandle(
    appId: string,
    tenantId: string,
    email: string,
    optionsId: string,
  ): Promise<string> {
    const [oldest] = await this.ctx.store.findUsers(appId, tenantId, { email });
    return oldest?.id ?? optionsId;
  }

  getOptions(
    appId: string,
    tenantId: string,
    id: string,
  ): Promise<WebAuthnOptionsRecord | undefined> {
    return this.ctx.store.getWebAuthnOptions(appId, tenantId, id);
  }

  removeOptions(appId: string, tenantId: string, id: string): Promise<boolean> {
    return this.ctx.store.removeWebAuthnOptions(appId, tenantId, id);
  }

  /** A verified registration, as stored for `userId`. */
  private async register(
    credential: JsonObject,
    options: WebAuthnOptionsRecord,
  ): Promise<{ id: string; passkey: RegisteredPasskey } | WebAuthnRefusal> {
    const id = credentialIdOf(credential);
    if (typeof id !== 'string') return id;
    const passkey = await verifyRegistration(id, credential, options, this.ctx.now());
    return isRefusal(passkey) ? passkey : { id, passkey };
  }

  private record(
    id: string,
    userId: string,
    passkey: RegisteredPasskey,
    options: WebAuthnOptionsRecord,
  ): WebAuthnCredentialRecord {
    const now = this.ctx.now();
    return {
      id,
      relyingPartyId: options.relyingPartyId,
      userId,
      counter: passkey.counter,
      publicKey: passkey.publicKey,
      transports: passkey.transports,
      createdAt: now,
      updatedAt: now,
    };
  }

  /** The options' challenge cannot verify anything again (a second use of them loses). */
  private spend(appId: string, options: WebAuthnOptionsRecord): Promise<boolean> {
    return this.ctx.store.spendWebAuthnChallenge(
      appId,
      options.id,
      options.challenge,
      randomToken(),
    );
  }

  /** A new webauthn user in the tenant, with the passkey made for register options (any tenant's). */
  async signUp(
    appId: string,
    tenantId: string,
    optionsId: string,
    credential: JsonObject,
  ): Promise<SignUpOutcome> {
    return this.withOptions(appId, undefined, optionsId, async (options) => {
      if (options.email === undefined) {
        return {
          status: 'INVALID_OPTIONS_ERROR',
          reason: 'These options were generated for signing in, not for registering a passkey',
        };
      }
      const registered = await this.register(credential, options);
      if (isRefusal(registered)) return registered;
      const recipeUserId = randomUUID();
      const record = this.record(registered.id, recipeUserId, registered.passkey, options);
      const saved = await this.ctx.store.signUpWebAuthnUser(
        appId,
        tenantId,
        {
          recipeUserId,
          recipeId: 'webauthn',
          tenantIds: [tenantId],
          timeJoined: record.createdAt,
          email: options.email,
        },
        record,
      );
      if (saved !== 'OK') return { status: `${saved}_ERROR` };
      await this.spend(appId, options);
      const user = (await this.ctx.store.getUser(appId, recipeUserId))!;
      return { status: 'OK', user, credential: record, options };
    });
  }

  /** Another passkey for a webauthn recipe user, made for the tenant's options. */
  async registerCredential(
    appId: string,
    tenantId: string,
    recipeUserId: string,
    optionsId: string,
    credential: JsonObject,
  ): Promise<RegisterOutcome> {
    return this.withOptions(appId, tenantId, optionsId, async (options) => {
      const registered = await this.register(credential, options);
      if (isRefusal(registered)) return registered;
      const record = this.record(registered.id, recipeUserId, registered.passkey, options);
      const saved = await this.ctx.store.saveWebAuthnCredential(appId, record);
      if (saved !== 'OK') return { status: `${saved}_ERROR` };
      await this.spend(appId, options);
      return { status: 'OK', credential: record, options };
    });
  }

  /** Signs in with a passkey and the options it signed (any tenant's, as the real core). */
  async signIn(appId: string, optionsId: string, credential: JsonObject): Promise<SignInOutcome> {
    return this.withOptions(appId, undefined, optionsId, async (options) => {
      const id = credentialIdOf(credential);
      if (typeof id !== 'string') return id;
      const stored = await this.ctx.store.getWebAuthnCredential(appId, id);
      if (!stored) return { status: 'CREDENTIAL_NOT_FOUND_ERROR' };
      const verified = await verifyAssertion(credential, options, stored, this.ctx.now());
      if (isRefusal(verified)) return verified;
      // Replays and concurrent uses of one assertion: only the first spends the challenge, only
      // one moves the counter on.
      if (!(await this.spend(appId, options))) {
        return {
          status: 'INVALID_AUTHENTICATOR_ERROR',
          reason: 'The actual challenge does not match the expected challenge',
        };
      }
      const moved = await this.ctx.store.updateWebAuthnCounter(
        appId,
        stored.id,
        stored.counter,
        verified.counter,
        this.ctx.now(),
      );
      if (!moved) {
        return {
          status: 'INVALID_AUTHENTICATOR_ERROR',
          reason: 'Malicious counter value is detected. Cloned authenticators exist in parallel.',
        };
      }
      const user = await this.ctx.store.getUser(appId, stored.userId);
      if (!user) return { status: 'UNKNOWN_USER_ID_ERROR' };
      return { status: 'OK', user, recipeUserId: stored.userId };
    });
  }

  /** Runs `work` with the options the request names, or answers that they are unknown. */
  private async withOptions<T>(
    appId: string,
    tenantId: string | undefined,
    optionsId: string,
    work: (options: WebAuthnOptionsRecord) => Promise<T>,
  ): Promise<T | { status: 'OPTIONS_NOT_FOUND_ERROR' }> {
    const options = await this.ctx.store.getWebAuthnOptions(appId, tenantId, optionsId);
    if (!options) return { status: 'OPTIONS_NOT_FOUND_ERROR' };
    return work(options);
  }

  getCredential(
    appId: string,
    recipeUserId: string,
    credentialId: string,
  ): Promise<WebAuthnCredentialRecord | undefined> {
    return this.ctx.store.getWebAuthnCredential(appId, credentialId, recipeUserId);
  }

  listCredentials(appId: string, recipeUserId: string): Promise<WebAuthnCredentialRecord[]> {
    return this.ctx.store.listWebAuthnCredentials(appId, recipeUserId);
  }

  removeCredential(appId: string, recipeUserId: string, credentialId: string): Promise<boolean> {
    return this.ctx.store.removeWebAuthnCredential(appId, recipeUserId, credentialId);
  }

  updateEmail(
    appId: string,
    tenantId: string,
    recipeUserId: string,
    email: string,
  ): Promise<WebAuthnEmailUpdate> {
    return this.ctx.store.updateWebAuthnEmail(appId, tenantId, recipeUserId, email);
  }

  /** A recovery token for a user of the tenant (only its hash is kept), or undefined. */
  async generateRecoveryToken(
    appId: string,
    tenantId: string,
    userId: string,
    email: string,
  ): Promise<string | undefined> {
    const user = await this.ctx.store.getUser(appId, userId);
    if (!user) return undefined;
    const { webauthnRecoverAccountTokenLifetime } = await this.ctx.settings(appId, tenantId);
    const token = randomToken();
    const saved = await this.ctx.store.saveWebAuthnRecoveryToken(appId, {
      tenantId,
      userId,
      email,
      tokenHash: sha256Hex(token),
      expiresAt: this.ctx.now() + webauthnRecoverAccountTokenLifetime,
    });
    return saved ? token : undefined;
  }

  /** The unexpired token's record and its user, without using it up. */
  async recoveryTokenUser(
    appId: string,
    tenantId: string,
    token: string,
  ): Promise<{ token: WebAuthnRecoveryTokenRecord; user: UserRecord } | undefined> {
    const record = await this.ctx.store.getWebAuthnRecoveryToken(appId, tenantId, sha256Hex(token));
    if (!record || record.expiresAt < this.ctx.now()) return undefined;
    const user = await this.ctx.store.getUser(appId, record.userId);
    return user && { token: record, user };
  }

  consumeRecoveryToken(
    appId: string,
    tenantId: string,
    token: string,
  ): Promise<WebAuthnRecoveryTokenRecord | undefined> {
    return this.ctx.store.consumeWebAuthnRecoveryToken(
      appId,
      tenantId,
      sha256Hex(token),
      this.ctx.now(),
    );
  }
}
