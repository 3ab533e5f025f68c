import { newId } from '../crypto.util.js';
import {
  HASHING_ALGORITHMS,
  type HashingAlgorithm,
  hashImportProblem,
  SIGNER_KEY_MISSING,
} from '../emailpassword/password-hash-format.js';
import type { JsonObject } from '../http/json-input.js';
import { normalisePhoneNumber } from '../users/phone-number.js';
import { field } from './bulk-import-fields.js';
import {
  BULK_IMPORT_RECIPES,
  type BulkImportLoginMethod,
  type BulkImportRecipe,
  type BulkImportTotpDevice,
  type BulkImportUser,
  type BulkImportUserRole,
  primaryLoginMethod,
} from './bulk-import-user.js';

/** What validation reads of the app, once per request (or per queued row in the job). */
export interface BulkImportAppFacts {
  roles: Set<string>;
  tenants: Set<string>;
  hasFirebaseSignerKey: boolean;
  now: number;
}

/**
 * `GENERATE` (the APIs): each login method gets a new user id. `READ_STORED` (the job): the
 * ids queued with the user are read back.
 */
export type IdMode = 'GENERATE' | 'READ_STORED';

/** A user the real core would refuse: its texts, in its order. */
export class InvalidBulkImportUser extends Error {
  constructor(readonly errors: string[]) {
    super('Data has missing or invalid fields. Please check the errors field for more details.');
  }
}

/** `firebase_password_hashing_signer_key` is unset, for a Firebase scrypt hash (a 500). */
export class SignerKeyMissing extends Error {}

/**
 * The real core's `BulkImportUserUtils`: one instance per request, so an external user id is
 * unique among the users it validated. Every feature (multitenancy, account linking, MFA) is
 * on in the embedded core, and every tenant shares its one database.
 */
export class BulkImportValidator {
  private readonly externalUserIds = new Set<string>();

  constructor(private readonly app: BulkImportAppFacts) {}

  /** The user, normalised, or throws `InvalidBulkImportUser` with every error found. */
  validate(input: JsonObject, mode: IdMode): BulkImportUser {
    const errors: string[] = [];
    let externalUserId = field(input, 'externalUserId', 'string', false, errors, '.');
    const userMetadata = field(input, 'userMetadata', 'object', false, errors, '.');
    const userRoles = this.userRoles(input, errors);
    const totpDevices = this.totpDevices(input, errors);
    const loginMethods = this.loginMethods(input, errors, mode);
    if (externalUserId !== undefined) {
      if (externalUserId.length > 128) {
        errors.push(`externalUserId ${externalUserId} is too long. Max length is 128.`);
      }
      if (this.externalUserIds.has(externalUserId)) {
        errors.push(
          `externalUserId ${externalUserId} is not unique. It is already used by another user.`,
        );
      }
      this.externalUserIds.add(externalUserId);
      externalUserId = externalUserId.trim();
    }
    crossCheckTenants(userRoles, loginMethods, errors);
    if (errors.length > 0) throw new InvalidBulkImportUser(errors);
    return {
      id: primaryLoginMethod({ loginMethods }).superTokensUserId,
      ...(externalUserId !== undefined && { externalUserId }),
      ...(userMetadata !== undefined && { userMetadata }),
      ...(userRoles !== undefined && { userRoles }),
      ...(totpDevices !== undefined && { totpDevices }),
      loginMethods,
    };
  }

  private userRoles(input: JsonObject, errors: string[]): BulkImportUserRole[] | undefined {
    const entries = field(input, 'userRoles', 'array of object', false, errors, '.');
    if (entries === undefined) return undefined;
    const roles: BulkImportUserRole[] = [];
    for (const entry of entries) {
      const suffix = ' for a user role.';
      let role = field(entry, 'role', 'string', true, errors, suffix);
      const tenantIds = field(entry, 'tenantIds', 'array of string', true, errors, suffix);
      // The real core reads the length of a missing role (a 500): here the role's checks are
      // skipped and its field error stands.
      if (role !== undefined) {
        if (role.length > 255) errors.push(`role ${role} is too long. Max length is 255.`);
        role = role.trim();
        if (!this.app.roles.has(role)) errors.push(`Role ${role} does not exist.`);
      }
      const normalised = this.tenantIds(tenantIds, errors, suffix);
      if (role !== undefined && tenantIds !== undefined)
        roles.push({ role, tenantIds: normalised });
    }
    return roles;
  }

  private totpDevices(input: JsonObject, errors: string[]): BulkImportTotpDevice[] | undefined {
    const entries = field(input, 'totpDevices', 'array of object', false, errors, '.');
    if (entries === undefined) return undefined;
    const devices: BulkImportTotpDevice[] = [];
    const suffix = ' for a totp device.';
    for (const entry of entries) {
      const secretKey = field(entry, 'secretKey', 'string', true, errors, suffix);
      let period = field(entry, 'period', 'integer', false, errors, suffix);
      let skew = field(entry, 'skew', 'integer', false, errors, suffix);
      let deviceName = field(entry, 'deviceName', 'string', false, errors, suffix);
      if (secretKey !== undefined && secretKey.length > 256) {
        errors.push(`TOTP secretKey ${secretKey} is too long. Max length is 256.`);
      }
      if (!('period' in entry)) period = 30;
      else if (period !== undefined && period < 1) {
        errors.push('period should be > 0 for a totp device.');
        period = undefined;
      }
      if (!('skew' in entry)) skew = 1;
      else if (skew !== undefined && skew < 0) {
        errors.push('skew should be >= 0 for a totp device.');
        skew = undefined;
      }
      if (deviceName !== undefined) {
        if (deviceName.length > 256) {
          errors.push(`TOTP deviceName ${deviceName} is too long. Max length is 256.`);
        }
        deviceName = deviceName.trim();
      }
      if (secretKey !== undefined && period !== undefined && skew !== undefined) {
        devices.push({ secretKey, period, skew, ...(deviceName !== undefined && { deviceName }) });
      }
    }
    return devices;
  }

  private loginMethods(input: JsonObject, errors: string[], mode: IdMode): BulkImportLoginMethod[] {
    const entries = field(input, 'loginMethods', 'array of object', true, errors, '.');
    if (entries === undefined) return [];
    if (entries.length === 0) {
      errors.push('At least one loginMethod is required.');
      return [];
    }
    let primaries = 0;
    for (const entry of entries) {
      if (entry.isPrimary === true && ++primaries > 1) {
        errors.push('No two loginMethods can have isPrimary as true.');
      }
    }
    const methods: BulkImportLoginMethod[] = [];
    for (const entry of entries) {
      const method = this.loginMethod(entry, errors, mode);
      if (method) methods.push(method);
    }
    return methods;
  }

  private loginMethod(
    entry: JsonObject,
    errors: string[],
    mode: IdMode,
  ): BulkImportLoginMethod | undefined {
    const suffix = ' for a loginMethod.';
    const recipeId = field(entry, 'recipeId', 'string', true, errors, suffix);
    const tenantIds = field(entry, 'tenantIds', 'array of string', false, errors, suffix);
    const isVerified = field(entry, 'isVerified', 'boolean', false, errors, suffix);
    const isPrimary = field(entry, 'isPrimary', 'boolean', false, errors, suffix);
    let timeJoined = field(
      entry,
      'timeJoinedInMSSinceEpoch',
      'integer',
      false,
      errors,
      ' for a loginMethod',
    );
    const known = BULK_IMPORT_RECIPES.includes(recipeId as BulkImportRecipe);
    if (recipeId !== undefined && !known) {
      errors.push(
        'Invalid recipeId for loginMethod. Pass one of emailpassword, thirdparty or, passwordless!',
      );
    }
    const normalisedTenants = this.tenantIds(
      tenantIds,
      errors,
      ` for ${recipeId ?? 'null'} recipe.`,
    );
    if (timeJoined === undefined) timeJoined = this.app.now;
    else if (timeJoined > this.app.now) {
      errors.push('timeJoined cannot be in future for a loginMethod.');
    } else if (timeJoined < 0) errors.push('timeJoined cannot be < 0 for a loginMethod.');
    const superTokensUserId =
      mode === 'READ_STORED'
        ? field(entry, 'superTokensUserId', 'string', true, errors, ' for a loginMethod')
        : newId();
    if (!known) return undefined;
    const method: BulkImportLoginMethod = {
      tenantIds: normalisedTenants,
      isVerified: isVerified ?? false,
      isPrimary: isPrimary ?? false,
      timeJoinedInMSSinceEpoch: timeJoined,
      recipeId: recipeId as BulkImportRecipe,
      superTokensUserId: superTokensUserId ?? '',
    };
    if (recipeId === 'emailpassword') this.emailPassword(entry, method, errors);
    else if (recipeId === 'thirdparty') thirdParty(entry, method, errors);
    else passwordless(entry, method, errors);
    // Field order of the stored JSON: the ids last, as the real core's class declares them.
    const { superTokensUserId: id, ...rest } = method;
    return { ...rest, superTokensUserId: id };
  }

  private emailPassword(entry: JsonObject, method: BulkImportLoginMethod, errors: string[]): void {
    const suffix = ' for an emailpassword recipe.';
    const email = field(entry, 'email', 'string', true, errors, suffix);
    let passwordHash = field(entry, 'passwordHash', 'string', false, errors, suffix);
    const algorithm = field(entry, 'hashingAlgorithm', 'string', false, errors, suffix);
    const plainTextPassword = field(entry, 'plainTextPassword', 'string', false, errors, suffix);
    if (
      (passwordHash === undefined || algorithm === undefined) &&
      plainTextPassword === undefined
    ) {
      errors.push(
        'Either (passwordHash, hashingAlgorithm) or plainTextPassword is required for an emailpassword recipe.',
      );
    }
    method.email = normaliseEmail(email, errors);
    let hashingAlgorithm: string | undefined = algorithm;
    if (algorithm !== undefined) {
      const upper = algorithm.trim().toUpperCase();
      if (HASHING_ALGORITHMS.includes(upper as HashingAlgorithm)) {
        hashingAlgorithm = upper;
        if (passwordHash !== undefined) {
          if (passwordHash.length > 256)
            errors.push('passwordHash is too long. Max length is 256.');
          passwordHash = passwordHash.trim();
          const problem = hashImportProblem(
            passwordHash,
            upper as HashingAlgorithm,
            this.app.hasFirebaseSignerKey,
          );
          if (problem === SIGNER_KEY_MISSING) throw new SignerKeyMissing(problem);
          if (problem !== undefined) errors.push(problem);
        }
      } else {
        errors.push(
          'Invalid hashingAlgorithm for emailpassword recipe. Pass one of bcrypt, argon2 or, firebase_scrypt!',
        );
      }
    }
    if (passwordHash !== undefined) method.passwordHash = passwordHash;
    if (hashingAlgorithm !== undefined) method.hashingAlgorithm = hashingAlgorithm;
    if (plainTextPassword !== undefined) method.plainTextPassword = plainTextPassword;
  }

  /** `validateAndNormaliseTenantIds`: `public` by default, others must be the app's. */
  private tenantIds(tenantIds: string[] | undefined, errors: string[], suffix: string): string[] {
    if (tenantIds === undefined) return ['public'];
    const normalised: string[] = [];
    for (const tenantId of tenantIds) {
      if (tenantId === 'public') {
        normalised.push(tenantId);
        continue;
      }
      const id = tenantId.trim().toLowerCase();
      if (this.app.tenants.has(id)) normalised.push(id);
      else errors.push(`Invalid tenantId: ${tenantId}${suffix}`);
    }
    return normalised;
  }
}

function normaliseEmail(email: string | undefined, errors: string[]): string | undefined {
  if (email === undefined) return undefined;
  if (email.length > 255) errors.push(`email ${email} is too long. Max length is 256.`);
  return email.trim().toLowerCase();
}

function thirdParty(entry: JsonObject, method: BulkImportLoginMethod, errors: string[]): void {
  const suffix = ' for a thirdparty recipe.';
  const email = field(entry, 'email', 'string', true, errors, suffix);
  const thirdPartyId = field(entry, 'thirdPartyId', 'string', true, errors, suffix);
  const thirdPartyUserId = field(entry, 'thirdPartyUserId', 'string', true, errors, suffix);
  method.email = normaliseEmail(email, errors);
  if (thirdPartyId !== undefined && thirdPartyId.length > 28) {
    errors.push(`thirdPartyId ${thirdPartyId} is too long. Max length is 28.`);
  }
  if (thirdPartyUserId !== undefined && thirdPartyUserId.length > 256) {
    errors.push(`thirdPartyUserId ${thirdPartyUserId} is too long. Max length is 256.`);
  }
  if (thirdPartyId !== undefined) method.thirdPartyId = thirdPartyId;
  if (thirdPartyUserId !== undefined) method.thirdPartyUserId = thirdPartyUserId;
}

function passwordless(entry: JsonObject, method: BulkImportLoginMethod, errors: string[]): void {
  const suffix = ' for a passwordless recipe.';
  const email = normaliseEmail(field(entry, 'email', 'string', false, errors, suffix), errors);
  const phone = field(entry, 'phoneNumber', 'string', false, errors, suffix);
  if (phone !== undefined && phone.length > 256) {
    errors.push(`phoneNumber ${phone} is too long. Max length is 256.`);
  }
  if (email === undefined && phone === undefined) {
    errors.push('Either email or phoneNumber is required for a passwordless recipe.');
  }
  if (email !== undefined) method.email = email;
  if (phone !== undefined) method.phoneNumber = normalisePhoneNumber(phone);
}

/** `validateTenantIdsForRoleAndLoginMethods` (one database: the shared-database check passes). */
function crossCheckTenants(
  roles: BulkImportUserRole[] | undefined,
  methods: BulkImportLoginMethod[],
  errors: string[],
): void {
  const methodTenants = new Set(methods.flatMap((m) => m.tenantIds));
  for (const { tenantIds } of roles ?? []) {
    for (const tenantId of tenantIds) {
      if (tenantId !== 'public' && !methodTenants.has(tenantId)) {
        errors.push(`TenantId ${tenantId} for a user role does not exist in loginMethods.`);
      }
    }
  }
  for (const method of methods) {
    if (method.tenantIds.length === 0) {
      errors.push(`LoginMethod '${JSON.stringify(method)}' has no tenantId`);
    }
  }
}
