import type {
  LoginMethodRecord,
  WebAuthnCredentialRecord,
  WebAuthnOptionsRecord,
  WebAuthnRecoveryTokenRecord,
} from '../records.js';

/** How a passkey sign-up ended. */
export type WebAuthnSignUp = 'OK' | 'EMAIL_ALREADY_EXISTS' | 'CREDENTIAL_ALREADY_EXISTS';

/** How adding a passkey to a webauthn user ended. */
export type WebAuthnCredentialSave = 'OK' | 'CREDENTIAL_ALREADY_EXISTS' | 'UNKNOWN_USER_ID';

/** How a webauthn login's email change ended. */
export type WebAuthnEmailUpdate =
  'OK' | 'UNKNOWN_USER_ID' | 'EMAIL_ALREADY_EXISTS' | 'USER_WITH_EMAIL_ALREADY_EXISTS';

/**
 * Passkeys (official tables `webauthn_users`, `webauthn_user_to_tenant`,
 * `webauthn_generated_options`, `webauthn_credentials`, `webauthn_account_recovery_tokens`): the
 * plugin interface's `WebAuthNStorage`. A webauthn user is a login method like any other
 * (`AuthRecipeStorage` reads it, with its credential ids).
 */
export interface WebAuthnStorage {
  saveWebAuthnOptions(appId: string, options: WebAuthnOptionsRecord): Promise<void>;
  /** By id, in `tenantId` only, or in any tenant of the app (sign-up and sign-in, as the real core). */
  getWebAuthnOptions(
    appId: string,
    tenantId: string | undefined,
    id: string,
  ): Promise<WebAuthnOptionsRecord | undefined>;
  /** Whether they existed. */
  removeWebAuthnOptions(appId: string, tenantId: string, id: string): Promise<boolean>;
  /**
   * A verified passkey's options may not verify anything again: their challenge is replaced,
   * only if it is still `challenge` (of two concurrent uses, one wins). Whether this use won.
   */
  spendWebAuthnChallenge(
    appId: string,
    id: string,
    challenge: string,
    replacement: string,
  ): Promise<boolean>;
  /**
   * A new webauthn user (`method`: recipe user id, email, time joined) in `tenantId` with its
   * first passkey, atomically: the email is unique among the tenant's webauthn users, the
   * credential in the app.
   */
  signUpWebAuthnUser(
    appId: string,
    tenantId: string,
    method: LoginMethodRecord & { email: string },
    credential: WebAuthnCredentialRecord,
  ): Promise<WebAuthnSignUp>;
  /** Adds a passkey to an existing webauthn recipe user. */
  saveWebAuthnCredential(
    appId: string,
    credential: WebAuthnCredentialRecord,
  ): Promise<WebAuthnCredentialSave>;
  /** By credential id (any relying party), and of `userId` when given. */
  getWebAuthnCredential(
    appId: string,
    credentialId: string,
    userId?: string,
  ): Promise<WebAuthnCredentialRecord | undefined>;
  /** A user's passkeys, oldest first. */
  listWebAuthnCredentials(appId: string, userId: string): Promise<WebAuthnCredentialRecord[]>;
  /** Whether the user had it. */
  removeWebAuthnCredential(appId: string, userId: string, credentialId: string): Promise<boolean>;
  /**
   * After a verified sign-in: the new signature counter, only if the stored one is still
   * `expected` (a concurrent sign-in with the same authenticator state loses). Whether it won.
   */
  updateWebAuthnCounter(
    appId: string,
    credentialId: string,
    expected: number,
    counter: number,
    now: number,
  ): Promise<boolean>;
  /**
   * A webauthn login's new email: in its row and in `tenantId`'s (as the real core). A primary
   * user may not take an email another primary user has in one of its tenants.
   */
  updateWebAuthnEmail(
    appId: string,
    tenantId: string,
    recipeUserId: string,
    email: string,
  ): Promise<WebAuthnEmailUpdate>;
  /** False when the user has no login in that tenant. */
  saveWebAuthnRecoveryToken(appId: string, token: WebAuthnRecoveryTokenRecord): Promise<boolean>;
  getWebAuthnRecoveryToken(
    appId: string,
    tenantId: string,
    tokenHash: string,
  ): Promise<WebAuthnRecoveryTokenRecord | undefined>;
  /**
   * Takes an unexpired token: it and every other token of its email in the tenant are deleted.
   * Undefined when unknown or expired (an expired one is left for the clean-up).
   */
  consumeWebAuthnRecoveryToken(
    appId: string,
    tenantId: string,
    tokenHash: string,
    now: number,
  ): Promise<WebAuthnRecoveryTokenRecord | undefined>;
}
