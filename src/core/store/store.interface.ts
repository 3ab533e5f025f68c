import type { AccountLinkingStorage } from './storage/account-linking.storage.js';
import type { AuthRecipeStorage } from './storage/auth-recipe.storage.js';
import type { BulkImportStorage } from './storage/bulk-import.storage.js';
import type { CounterStorage } from './storage/counter.storage.js';
import type { DashboardStorage } from './storage/dashboard.storage.js';
import type { EmailPasswordStorage } from './storage/emailpassword.storage.js';
import type { EmailVerificationStorage } from './storage/emailverification.storage.js';
import type { KeyValueStorage } from './storage/key-value.storage.js';
import type { MultitenancyStorage } from './storage/multitenancy.storage.js';
import type { PasswordlessStorage } from './storage/passwordless.storage.js';
import type { SessionStorage } from './storage/session.storage.js';
import type { SigningKeyStorage } from './storage/signing-key.storage.js';
import type { ThirdPartyStorage } from './storage/thirdparty.storage.js';
import type { TotpStorage } from './storage/totp.storage.js';
import type { UserMetadataStorage } from './storage/usermetadata.storage.js';
import type { UserIdMappingStorage } from './storage/userid-mapping.storage.js';
import type { UserRolesStorage } from './storage/userroles.storage.js';
import type { WebAuthnStorage } from './storage/webauthn.storage.js';

export type {
  AccountLinkingStorage,
  LinkDecision,
  LinkingView,
} from './storage/account-linking.storage.js';
export type {
  AccountInfoQuery,
  AuthRecipeStorage,
  UserListQuery,
} from './storage/auth-recipe.storage.js';
export type {
  BulkImportListQuery,
  BulkImportStatus,
  BulkImportStorage,
  BulkImportUserRow,
} from './storage/bulk-import.storage.js';
export type { CounterState, CounterStorage } from './storage/counter.storage.js';
export type { DashboardStorage, DashboardUserKey } from './storage/dashboard.storage.js';
export type { EmailPasswordStorage } from './storage/emailpassword.storage.js';
export type { EmailVerificationStorage } from './storage/emailverification.storage.js';
export type { KeyValueStorage } from './storage/key-value.storage.js';
export type { MultitenancyStorage } from './storage/multitenancy.storage.js';
export type {
  PasswordlessLoginUpdate,
  PasswordlessStorage,
} from './storage/passwordless.storage.js';
export type { SessionPatch, SessionStorage } from './storage/session.storage.js';
export type { SigningKeyStorage } from './storage/signing-key.storage.js';
export type { ThirdPartyStorage } from './storage/thirdparty.storage.js';
export type { TotpAttemptDecision, TotpAttemptState, TotpStorage } from './storage/totp.storage.js';
export type { UserMetadataStorage } from './storage/usermetadata.storage.js';
export type {
  CreateUserIdMappingResult,
  NonAuthRecipe,
  UserIdMappingRecord,
  UserIdMappingStorage,
  UserIdType,
} from './storage/userid-mapping.storage.js';
export type { UserRolesStorage } from './storage/userroles.storage.js';
export type {
  WebAuthnCredentialSave,
  WebAuthnEmailUpdate,
  WebAuthnSignUp,
  WebAuthnStorage,
} from './storage/webauthn.storage.js';

/** What the scheduled clean-up keeps besides what expired before `now` (epoch ms). */
export interface ExpiryCutoffs {
  codesCreatedBefore: number;
  totpCodesExpiredBefore: number;
}

/** What the store as a whole does besides its recipes' storage. */
export interface StoreMaintenance {
  /**
   * The real core's cleanup crons: drops sessions, dashboard sessions and tokens that expired
   * before `now`, counters whose window ended, passwordless devices whose every code was created
   * before `cutoffs.codesCreatedBefore`, TOTP codes tried that expired before
   * `cutoffs.totpCodesExpiredBefore` (the real core keeps them a cool-down longer, for the limit),
   * and expired WebAuthn options and account-recovery tokens.
   */
  deleteExpired(now: number, cutoffs: ExpiryCutoffs): Promise<void>;
  /** Releases connections and files; the store is unusable afterwards. */
  close(): Promise<void>;
}

/**
 * Everything the embedded core stores, one app at a time: the sum of one storage interface per
 * recipe (`storage/`, split as the official plugin interface splits it). Core services depend on
 * the narrowest of those they need, never on this sum or on an implementation. Every method that
 * checks and writes (uniqueness, compare-and-set, consume) must do so atomically: two concurrent
 * sign-ups for one email must end with exactly one user.
 */
export interface Store
  extends
    MultitenancyStorage,
    KeyValueStorage,
    SigningKeyStorage,
    AuthRecipeStorage,
    AccountLinkingStorage,
    EmailPasswordStorage,
    PasswordlessStorage,
    ThirdPartyStorage,
    TotpStorage,
    WebAuthnStorage,
    SessionStorage,
    EmailVerificationStorage,
    UserRolesStorage,
    UserMetadataStorage,
    UserIdMappingStorage,
    BulkImportStorage,
    DashboardStorage,
    CounterStorage,
    StoreMaintenance {}
