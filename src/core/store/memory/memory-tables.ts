import type {
  DashboardSessionRecord,
  DashboardUserRecord,
  PasswordlessDeviceRecord,
  SessionRecord,
  SigningKeyRecord,
  TenantConfigRecord,
  TokenRecord,
  TotpDeviceRecord,
  TotpUsedCodeRecord,
  UserRecord,
  WebAuthnCredentialRecord,
  WebAuthnOptionsRecord,
  WebAuthnRecoveryTokenRecord,
} from '../records.js';
import { defaultTenantConfig } from '../records.js';
import type { CounterState } from '../store.interface.js';
import type { BulkImportUserRow } from '../storage/bulk-import.storage.js';
import type { UserIdMappingRecord } from '../storage/userid-mapping.storage.js';

/** A key of several parts (`<tenant>\n<userId>`, `<recipeUserId>\n<email>`, …). */
export const key = (...parts: string[]): string => parts.join('\n');

/** One app's tables. */
export class AppTables {
  /** tenant id → its set-up, in creation order (`public` first) */
  readonly tenants = new Map<string, TenantConfigRecord>([
    ['public', defaultTenantConfig('public')],
  ]);
  readonly values = new Map<string, string>();
  readonly signingKeys = new Map<string, SigningKeyRecord>();
  /** primary user id → user */
  readonly users = new Map<string, UserRecord>();
  /** recipe user id → primary user id */
  readonly primaryOf = new Map<string, string>();
  /** `email:<e>` / `phone:<p>` / `tp:<provider>\n<user id>` → recipe user ids having it */
  readonly accountIndex = new Map<string, Set<string>>();
  readonly resetTokens = new Map<string, TokenRecord>();
  /** `<recipeUserId>\n<email>` */
  readonly verifiedEmails = new Set<string>();
  /** `<tenant>\n<tokenHash>` → token */
  readonly verificationTokens = new Map<string, TokenRecord>();
  readonly sessions = new Map<string, SessionRecord>();
  readonly sessionsByUser = new Map<string, Set<string>>();
  /** `<tenant>\n<userId>` → roles */
  readonly userRoles = new Map<string, Set<string>>();
  readonly rolePermissions = new Map<string, Set<string>>();
  readonly metadata = new Map<string, Record<string, unknown>>();
  /** preAuthSessionId → passwordless device */
  readonly devices = new Map<string, PasswordlessDeviceRecord>();
  /** dashboard user id → dashboard user */
  readonly dashboardUsers = new Map<string, DashboardUserRecord>();
  readonly dashboardSessions = new Map<string, DashboardSessionRecord>();
  /** TOTP user id → its devices (in creation order) and, per tenant, the codes it tried. */
  readonly totpUsers = new Map<string, TotpUser>();
  /** `<tenant>\n<options id>` → WebAuthn options */
  readonly webauthnOptions = new Map<string, WebAuthnOptionsRecord>();
  /** `<relying party id>\n<credential id>` → passkey */
  readonly webauthnCredentials = new Map<string, WebAuthnCredentialRecord>();
  /** `<tenant>\n<token hash>` → account-recovery token */
  readonly webauthnRecoveryTokens = new Map<string, WebAuthnRecoveryTokenRecord>();
  /** SuperTokens user id → its mapping (gone with the user) */
  readonly userIdMappings = new Map<string, UserIdMappingRecord>();
  /** external user id → SuperTokens user id */
  readonly externalUserIds = new Map<string, string>();
  /** bulk import row id → the queued user */
  readonly bulkImportUsers = new Map<string, BulkImportUserRow>();
}

/** A user's TOTP state: gone with its last device. */
export interface TotpUser {
  devices: Map<string, TotpDeviceRecord>;
  /** tenant id → codes tried there, newest first */
  usedCodes: Map<string, TotpUsedCodeRecord[]>;
}

/**
 * Everything the memory store keeps, shared by its per-recipe parts. Node runs each store
 * method's body without interruption, so check-and-write methods are atomic as long as they do
 * not await in between (none does).
 */
export class MemoryTables {
  readonly apps = new Map<string, AppTables>([['public', new AppTables()]]);
  /** Rate-limit counters (not per app: the module names its keys). */
  readonly counters = new Map<string, CounterState>();

  app(appId: string): AppTables {
    const tables = this.apps.get(appId);
    if (!tables) throw new Error(`Unknown app ${appId}`);
    return tables;
  }
}
