import type { BulkImportUserRow } from '../store/storage/bulk-import.storage.js';
import type { JsonObject } from '../http/json-input.js';

/** The recipes a queued user may log in with. */
export const BULK_IMPORT_RECIPES = ['emailpassword', 'thirdparty', 'passwordless'] as const;
export type BulkImportRecipe = (typeof BULK_IMPORT_RECIPES)[number];

/**
 * One login method of a queued user, its fields named and ordered as the real core's
 * `BulkImportUser.LoginMethod` (they are the stored `raw_data` and the list's answer).
 */
export interface BulkImportLoginMethod {
  tenantIds: string[];
  isVerified: boolean;
  isPrimary: boolean;
  timeJoinedInMSSinceEpoch: number;
  recipeId: BulkImportRecipe;
  email?: string;
  passwordHash?: string;
  /** `ARGON2`, `BCRYPT` or `FIREBASE_SCRYPT` once valid. */
  hashingAlgorithm?: string;
  plainTextPassword?: string;
  thirdPartyId?: string;
  thirdPartyUserId?: string;
  phoneNumber?: string;
  superTokensUserId: string;
  externalUserId?: string;
}

export interface BulkImportUserRole {
  role: string;
  tenantIds: string[];
}

export interface BulkImportTotpDevice {
  secretKey: string;
  period: number;
  skew: number;
  deviceName?: string;
}

/** A user as validated (`BulkImportUser`): its id is its primary login method's user id. */
export interface BulkImportUser {
  id: string;
  externalUserId?: string;
  userMetadata?: JsonObject;
  userRoles?: BulkImportUserRole[];
  totpDevices?: BulkImportTotpDevice[];
  loginMethods: BulkImportLoginMethod[];
}

/**
 * The login method the user's id is: the one marked primary, else the one that joined first
 * (the earliest in the list on a tie), as the real core's `getPrimaryLoginMethod`.
 */
export function primaryLoginMethod(
  user: Pick<BulkImportUser, 'loginMethods'>,
): BulkImportLoginMethod {
  const marked = user.loginMethods.find((m) => m.isPrimary);
  if (marked) return marked;
  return user.loginMethods.reduce((first, m) =>
    m.timeJoinedInMSSinceEpoch < first.timeJoinedInMSSinceEpoch ? m : first,
  );
}

/** `raw_data`: the user as JSON (absent fields omitted), as the plugin stores it. */
export const rawData = (user: BulkImportUser): string => JSON.stringify(user);

/** A queued row as `GET /bulk-import/users` lists it (`BulkImportUser.toJsonObject()`). */
export function listedUserJson(row: BulkImportUserRow): JsonObject {
  const user = JSON.parse(row.rawData) as JsonObject;
  return {
    ...user,
    id: row.id,
    status: row.status,
    ...(row.primaryUserId !== undefined && { primaryUserId: row.primaryUserId }),
    ...(row.errorMessage !== undefined && { errorMessage: row.errorMessage }),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** A queued user as `POST /bulk-import/users` answers it (`BulkImportUser.toResponseJson()`). */
export function addedUserJson(user: BulkImportUser): JsonObject {
  return {
    userId: user.externalUserId ?? user.id,
    loginMethods: user.loginMethods.map((m) => ({
      recipeId: m.recipeId,
      userId: m.externalUserId ?? m.superTokensUserId,
      tenants: m.tenantIds,
      ...(m.recipeId === 'emailpassword' && { email: m.email }),
      ...(m.recipeId === 'thirdparty' && {
        email: m.email,
        thirdpartyId: m.thirdPartyId,
        thirdpartyUserId: m.thirdPartyUserId,
      }),
      ...(m.recipeId === 'passwordless' && {
        email: m.email ?? null,
        phoneNumber: m.phoneNumber ?? null,
      }),
    })),
  };
}
