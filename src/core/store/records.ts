/** The rows the embedded core keeps. Times are epoch milliseconds. */

export type RecipeId = 'emailpassword' | 'passwordless' | 'thirdparty' | 'webauthn';

/** One way to log in (a "recipe user"). Without account linking a user has exactly one. */
export interface LoginMethodRecord {
  recipeUserId: string;
  recipeId: RecipeId;
  tenantIds: string[];
  timeJoined: number;
  email?: string;
  phoneNumber?: string;
  /** bcrypt (`$2a$…`, as the real core writes) or a legacy `scrypt$…`; only for emailpassword. */
  passwordHash?: string;
  /** The provider and the user's id there; only for thirdparty. */
  thirdParty?: ThirdPartyInfo;
  /** The passkeys registered for this login; only for webauthn (may be empty). */
  webauthn?: { credentialIds: string[] };
}

/** A third-party login: the provider's id (`google`, `github`, …) and the user's id there. */
export interface ThirdPartyInfo {
  id: string;
  userId: string;
}

export interface UserRecord {
  id: string;
  isPrimaryUser: boolean;
  loginMethods: LoginMethodRecord[];
}

/**
 * One change account linking makes, applied by `Store.changeLinks` (docs/embedded-core.md,
 * Account linking):
 * - `make-primary`: the user becomes a primary user;
 * - `link`: the recipe user's login method moves to the primary user;
 * - `unlink`: the login method leaves its primary user and is a user of its own again (for the
 *   primary user's own, only login method: the user stops being primary);
 * - `delete-login-method`: the login method is deleted with its recipe data; the user keeps its
 *   id and other login methods (the real core's delete without `removeAllLinkedAccounts`).
 */
export type LinkChange =
  | { kind: 'make-primary'; userId: string }
  | { kind: 'link'; recipeUserId: string; primaryUserId: string }
  | { kind: 'unlink'; recipeUserId: string }
  | { kind: 'delete-login-method'; recipeUserId: string };

/** A user's time joined: its first login method's. */
export const userTimeJoined = (user: UserRecord): number =>
  Math.min(...user.loginMethods.map((m) => m.timeJoined));

/** Every tenant any of a user's login methods belongs to. */
export const userTenantIds = (user: UserRecord): string[] => [
  ...new Set(user.loginMethods.flatMap((m) => m.tenantIds)),
];

export interface SessionRecord {
  handle: string;
  /** The recipe user id (login method) the session was created for. */
  recipeUserId: string;
  /** The user it belongs to: the primary user id when accounts are linked, else the same id. */
  userId: string;
  tenantId: string;
  /** sha256hex(sha256hex(current refresh token)). */
  refreshTokenHash2: string;
  expiry: number;
  timeCreated: number;
  userDataInJWT: Record<string, unknown>;
  userDataInDatabase: Record<string, unknown>;
  useStaticKey: boolean;
}

export interface SigningKeyRecord {
  kid: string;
  type: 'dynamic' | 'static';
  createdAt: number;
  /** PKCS#8 PEM. */
  privateKey: string;
}

export interface TokenRecord {
  userId: string;
  tokenHash: string;
  email: string;
  expiry: number;
}

/**
 * One code of a passwordless device. Neither the link code nor the user input code is kept: a
 * typed code is checked by deriving its link code again (as the real core does).
 */
export interface PasswordlessCodeRecord {
  codeId: string;
  /** base64(sha256(linkCodeBytes)) */
  linkCodeHash: string;
  timeCreated: number;
}

/** A passwordless sign-in attempt for one email or phone number; its id is the device id's hash. */
export interface PasswordlessDeviceRecord {
  preAuthSessionId: string;
  tenantId: string;
  email?: string;
  phoneNumber?: string;
  /** base64 of the 32-byte salt the link codes are derived with. */
  linkCodeSalt: string;
  failedAttempts: number;
  codes: PasswordlessCodeRecord[];
}

/** One client (app registration) of a tenant's third-party provider. */
export interface ThirdPartyClientRecord {
  /** `web`, `ios`, …; absent for the only client (stored as `''` in the official table). */
  clientType?: string;
  clientId: string;
  clientSecret?: string;
  scope?: (string | null)[];
  forcePKCE?: boolean;
  additionalConfig?: Record<string, unknown>;
}

/** Claim names a provider's user info is read from (`fromIdTokenPayload` / `fromUserInfoAPI`). */
export interface UserInfoMapRecord {
  userId?: string;
  email?: string;
  emailVerified?: string;
}

/**
 * A third-party provider configured for one tenant (`PUT /<t>/recipe/multitenancy/config/thirdparty`),
 * in the real core's shape: the `…Params` / `…Headers` objects keep their `null` values.
 */
export interface ThirdPartyProviderRecord {
  thirdPartyId: string;
  name?: string;
  clients: ThirdPartyClientRecord[];
  authorizationEndpoint?: string;
  authorizationEndpointQueryParams?: Record<string, unknown>;
  tokenEndpoint?: string;
  tokenEndpointBodyParams?: Record<string, unknown>;
  userInfoEndpoint?: string;
  userInfoEndpointQueryParams?: Record<string, unknown>;
  userInfoEndpointHeaders?: Record<string, unknown>;
  jwksURI?: string;
  oidcDiscoveryEndpoint?: string;
  requireEmail?: boolean;
  userInfoMap: { fromIdTokenPayload: UserInfoMapRecord; fromUserInfoAPI: UserInfoMapRecord };
}

/**
 * A tenant's sign-in set-up, as `PUT /recipe/multitenancy/tenant/v2` writes it. `null` factors
 * mean "not set" (every first factor the app offers; no required secondary factor).
 */
export interface TenantConfigRecord {
  tenantId: string;
  firstFactors: string[] | null;
  requiredSecondaryFactors: string[] | null;
  coreConfig: Record<string, unknown>;
  /** Third-party providers of this tenant, in the order they were added. */
  thirdPartyProviders: ThirdPartyProviderRecord[];
}

/** The set-up of a tenant nobody configured: the public tenant's, and any tenant made by the store. */
export const defaultTenantConfig = (tenantId: string): TenantConfigRecord => ({
  tenantId,
  firstFactors: null,
  requiredSecondaryFactors: null,
  coreConfig: {},
  thirdPartyProviders: [],
});

/** What associating a recipe user with a tenant did. */
export type TenantAssociation =
  | 'OK'
  | 'ALREADY_ASSOCIATED'
  | 'UNKNOWN_USER_ID'
  | 'EMAIL_ALREADY_EXISTS'
  | 'PHONE_NUMBER_ALREADY_EXISTS'
  | 'THIRD_PARTY_USER_ALREADY_EXISTS'
  /** A primary user's account info is another primary user's there; `reason` says whose. */
  | { notAllowed: string };

/** A dashboard login: unrelated to the app's users, one table per app. */
export interface DashboardUserRecord {
  userId: string;
  /** Trimmed and lower-cased; unique in the app. */
  email: string;
  passwordHash: string;
  timeJoined: number;
}

/** A dashboard sign-in; its id is the bearer token the dashboard sends. */
export interface DashboardSessionRecord {
  sessionId: string;
  userId: string;
  timeCreated: number;
  expiry: number;
}

/**
 * An authenticator app registered for a user (`totp_user_devices`). The user id is any string
 * the caller names (the real core does not require an auth user), unique with the name per app.
 */
export interface TotpDeviceRecord {
  userId: string;
  name: string;
  /** Base32, as the official core stores it (plain: the code's key must be readable). */
  secretKey: string;
  /** Seconds per code. */
  period: number;
  /** Codes this many periods before or after the current one are accepted too. */
  skew: number;
  verified: boolean;
  createdAt: number;
}

/** One TOTP code tried in a tenant (`totp_used_codes`): replay protection and the attempt limit. */
export interface TotpUsedCodeRecord {
  code: string;
  isValid: boolean;
  /** When a valid code can no longer be replayed (its device's whole skew window has passed). */
  expiryTime: number;
  createdTime: number;
}

/**
 * What `POST /recipe/webauthn/options/register|signin` generated (`webauthn_generated_options`):
 * the challenge a passkey must sign and where, until `expiresAt`.
 */
export interface WebAuthnOptionsRecord {
  /** A UUID: the `webauthnGeneratedOptionsId`. */
  id: string;
  tenantId: string;
  /** base64url (no padding) of 32 random bytes. */
  challenge: string;
  /** Register options: the (normalised) email the passkey is for; sign-in options: none. */
  email?: string;
  relyingPartyId: string;
  relyingPartyName: string;
  origin: string;
  createdAt: number;
  expiresAt: number;
  userPresenceRequired: boolean;
  userVerification: 'required' | 'preferred' | 'discouraged';
}

/** A registered passkey (`webauthn_credentials`): app-wide, unique per relying party. */
export interface WebAuthnCredentialRecord {
  /** base64url credential id, as the client sent it. */
  id: string;
  relyingPartyId: string;
  /** The webauthn recipe user it belongs to. */
  userId: string;
  /** The authenticator's signature counter when last used. */
  counter: number;
  /**
   * The attested credential data, as the official core stores it: AAGUID (16 bytes), the
   * credential id's length (2 bytes, big-endian), the credential id, the COSE public key.
   */
  publicKey: Uint8Array;
  /** JSON text of the transports the client reported (`null` when none), as the official core. */
  transports: string;
  createdAt: number;
  updatedAt: number;
}

/** An account-recovery token (`webauthn_account_recovery_tokens`); only its hash is kept. */
export interface WebAuthnRecoveryTokenRecord {
  tenantId: string;
  userId: string;
  email: string;
  /** Lower-case hex SHA-256 of the token. */
  tokenHash: string;
  expiresAt: number;
}
