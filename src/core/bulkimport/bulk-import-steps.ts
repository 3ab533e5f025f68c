import { AccountLinkingService } from '../accountlinking/account-linking.service.js';
import type { CoreContext } from '../core.context.js';
import { hashPassword } from '../emailpassword/password-hash.js';
import type { LoginMethodRecord } from '../store/records.js';
import type { AccountLinkingStorage } from '../store/storage/account-linking.storage.js';
import type { AuthRecipeStorage } from '../store/storage/auth-recipe.storage.js';
import type { BulkImportStorage } from '../store/storage/bulk-import.storage.js';
import type { EmailPasswordStorage } from '../store/storage/emailpassword.storage.js';
import type { EmailVerificationStorage } from '../store/storage/emailverification.storage.js';
import type { MultitenancyStorage } from '../store/storage/multitenancy.storage.js';
import type { PasswordlessStorage } from '../store/storage/passwordless.storage.js';
import type { SessionStorage } from '../store/storage/session.storage.js';
import type { ThirdPartyStorage } from '../store/storage/thirdparty.storage.js';
import type { TotpStorage } from '../store/storage/totp.storage.js';
import type { UserIdMappingStorage } from '../store/storage/userid-mapping.storage.js';
import type { UserMetadataStorage } from '../store/storage/usermetadata.storage.js';
import type { UserRolesStorage } from '../store/storage/userroles.storage.js';
import { TotpService } from '../totp/totp.service.js';
import {
  type BulkImportLoginMethod,
  type BulkImportUser,
  primaryLoginMethod,
} from './bulk-import-user.js';

/** Everything an import writes: the recipes' storage, in one transaction. */
export type ImportStorage = BulkImportStorage &
  MultitenancyStorage &
  AuthRecipeStorage &
  AccountLinkingStorage &
  EmailPasswordStorage &
  ThirdPartyStorage &
  PasswordlessStorage &
  SessionStorage &
  EmailVerificationStorage &
  UserIdMappingStorage &
  TotpStorage &
  UserMetadataStorage &
  UserRolesStorage;

/** A step refused the user, with the real core's `E0xx:` text: the user is not imported. */
export class BulkImportRefused extends Error {}

const refuse = (message: string): never => {
  throw new BulkImportRefused(message);
};

/** The order the real core creates login methods in. */
const RECIPE_ORDER = ['emailpassword', 'thirdparty', 'passwordless'];

/**
 * Imports one validated user in one transaction (docs/embedded-core.md, Bulk import): its login
 * methods in their first tenant, then their other tenants, primary user and links, external
 * id, verified emails, TOTP devices, metadata and roles, as the real core's
 * `processUsersImportSteps`. `rowId`: the queued row, deleted in the same transaction (so an
 * import commits exactly once). The primary login method's id, or undefined when the row was
 * removed or imported meanwhile.
 * Plain-text passwords are hashed first, outside the transaction, in the fair queue.
 */
export async function importBulkUser(
  ctx: CoreContext<ImportStorage>,
  appId: string,
  user: BulkImportUser,
  rowId?: string,
): Promise<string | undefined> {
  const hashes = new Map<BulkImportLoginMethod, string>();
  for (const method of user.loginMethods) {
    if (method.recipeId !== 'emailpassword') continue;
    // A hash given wins over a plain-text password, as in the real core.
    hashes.set(
      method,
      method.passwordHash ?? (await hashPassword(method.plainTextPassword!, method.email)),
    );
  }
  return ctx.store.importTransaction(appId, async (store) => {
    if (rowId !== undefined && (await store.deleteBulkImportUsers(appId, [rowId])).length === 0) {
      return undefined;
    }
    const tx = { ...ctx, store };
    const ordered = [...user.loginMethods].sort(
      (a, b) => RECIPE_ORDER.indexOf(a.recipeId) - RECIPE_ORDER.indexOf(b.recipeId),
    );
    for (const method of ordered) await createLogin(tx, appId, method, hashes.get(method));
    for (const method of ordered) await joinTenants(tx, appId, method);
    await linkLogins(tx, appId, user);
    const primary = primaryLoginMethod(user);
    const userId = user.externalUserId ?? primary.superTokensUserId;
    if (user.externalUserId !== undefined)
      await mapExternalId(tx, appId, primary, user.externalUserId);
    for (const method of user.loginMethods) {
      if (!method.isVerified || method.email === undefined) continue;
      const id = method === primary ? userId : method.superTokensUserId;
      await store.setEmailVerified(appId, id, method.email, true);
    }
    const totp = new TotpService(tx);
    for (const device of user.totpDevices ?? []) {
      const created = await totp.import(appId, { userId, ...device });
      if (created.status !== 'OK') {
        refuse(`E036: A TOTP device named ${device.deviceName} already exists for the user`);
      }
    }
    if (user.userMetadata) await store.mergeUserMetadata(appId, userId, user.userMetadata);
    for (const { role, tenantIds } of user.userRoles ?? []) {
      for (const tenantId of tenantIds) {
        if ((await store.addUserRole(appId, tenantId, userId, role)) === undefined) {
          refuse(
            'E034: Role does not exist! You need to pre-create the role before assigning it to the user.',
          );
        }
      }
    }
    return primary.superTokensUserId;
  });
}

type Tx = CoreContext<ImportStorage>;

async function createLogin(
  { store }: Tx,
  appId: string,
  method: BulkImportLoginMethod,
  passwordHash: string | undefined,
): Promise<void> {
  const tenantId = method.tenantIds[0];
  const record: LoginMethodRecord = {
    recipeUserId: method.superTokensUserId,
    recipeId: method.recipeId,
    tenantIds: [tenantId],
    timeJoined: method.timeJoinedInMSSinceEpoch,
    ...(method.email !== undefined && { email: method.email }),
  };
  if (method.recipeId === 'emailpassword') {
    const created = await store.createEmailPasswordUser(appId, tenantId, {
      ...record,
      passwordHash,
    });
    if (created !== 'OK') {
      refuse(
        `E003: A user with email ${method.email} already exists in emailpassword loginMethod.`,
      );
    }
  } else if (method.recipeId === 'thirdparty') {
    const thirdParty = { id: method.thirdPartyId!, userId: method.thirdPartyUserId! };
    const created = await store.signInUpThirdPartyUser(appId, tenantId, {
      ...record,
      thirdParty,
      email: method.email!,
    });
    if (created === 'EMAIL_CHANGE_NOT_ALLOWED' || !created.createdNewUser) {
      refuse(
        `E005: A user with thirdPartyId ${thirdParty.id} and thirdPartyUserId ${thirdParty.userId} already exists in thirdparty loginMethod.`,
      );
    }
  } else {
    // Sign-in-up looks a user up by one of the two: the other must be checked first.
    const taken = async (query: { email?: string; phoneNumber?: string }) =>
      (await store.findUsers(appId, tenantId, query)).some((u) =>
        u.loginMethods.some(
          (m) =>
            m.recipeId === 'passwordless' &&
            m.tenantIds.includes(tenantId) &&
            (query.email === undefined || m.email === query.email) &&
            (query.phoneNumber === undefined || m.phoneNumber === query.phoneNumber),
        ),
      );
    if (method.email !== undefined && (await taken({ email: method.email }))) {
      refuse(`E006: A user with email ${method.email} already exists in passwordless loginMethod.`);
    }
    if (method.phoneNumber !== undefined && (await taken({ phoneNumber: method.phoneNumber }))) {
      refuse(
        `E007: A user with phoneNumber ${method.phoneNumber} already exists in passwordless loginMethod.`,
      );
    }
    await store.signInUpPasswordlessUser(appId, tenantId, {
      ...record,
      ...(method.phoneNumber !== undefined && { phoneNumber: method.phoneNumber }),
    });
  }
}

async function joinTenants(
  { store }: Tx,
  appId: string,
  method: BulkImportLoginMethod,
): Promise<void> {
  const uid = method.externalUserId ?? method.superTokensUserId;
  for (const tenantId of method.tenantIds.slice(1)) {
    const joined = await store.associateUserWithTenant(appId, tenantId, method.superTokensUserId);
    if (joined === 'OK' || joined === 'ALREADY_ASSOCIATED') continue;
    const prefix = `We tried to add the userId ${uid} to the tenantId ${tenantId}`;
    if (joined === 'UNKNOWN_USER_ID') {
      refuse(
        `E010: ${prefix} but it doesn't exist. This should not happen. Please contact support.`,
      );
    } else if (joined === 'EMAIL_ALREADY_EXISTS') {
      refuse(`E014: ${prefix} but another user with email ${method.email} already exists.`);
    } else if (joined === 'PHONE_NUMBER_ALREADY_EXISTS') {
      refuse(
        `E015: ${prefix} but another user with phoneNumber ${method.phoneNumber} already exists.`,
      );
    } else if (joined === 'THIRD_PARTY_USER_ALREADY_EXISTS') {
      refuse(
        `E016: ${prefix} but another user with thirdPartyId ${method.thirdPartyId} and thirdPartyUserId ${method.thirdPartyUserId} already exists.`,
      );
    } else {
      refuse(`E011: ${prefix} but another primary user with the same account info already exists.`);
    }
  }
}

/** A user marked primary, or with several login methods, becomes a primary user with them linked. */
async function linkLogins(tx: Tx, appId: string, user: BulkImportUser): Promise<void> {
  if (user.loginMethods.length < 2 && !user.loginMethods.some((m) => m.isPrimary)) return;
  const linking = new AccountLinkingService(tx);
  const primary = primaryLoginMethod(user);
  const id = primary.superTokensUserId;
  const made = await linking.primaryUser(appId, id, true);
  if (made.status === 'RECIPE_USER_ID_ALREADY_LINKED_WITH_PRIMARY_USER_ID_ERROR') {
    refuse(
      `E021: We tried to create the primary user for the userId ${id} but it is already linked with another primary user.`,
    );
  } else if (made.status !== 'OK') {
    refuse(
      `E022: We tried to create the primary user for the userId ${id} but the account info is already associated with another primary user.`,
    );
  }
  for (const method of user.loginMethods) {
    if (method === primary) continue;
    const recipeId = method.superTokensUserId;
    const linked = await linking.link(appId, recipeId, id, true);
    if (linked.status === 'OK') continue;
    if (linked.status === 'INPUT_USER_IS_NOT_A_PRIMARY_USER') {
      refuse(
        `E026: We tried to link the userId ${recipeId} to the primary userId ${id} but it is not a primary user.`,
      );
    } else if (
      linked.status === 'RECIPE_USER_ID_ALREADY_LINKED_WITH_ANOTHER_PRIMARY_USER_ID_ERROR'
    ) {
      refuse(
        `E028: We tried to link the userId ${recipeId} to the primary userId ${id} but it is already linked with another primary user.`,
      );
    } else {
      refuse(
        `E027: We tried to link the userId ${recipeId} to the primary userId ${id} but the account info is already associated with another primary user.`,
      );
    }
  }
}

async function mapExternalId(
  { store }: Tx,
  appId: string,
  primary: BulkImportLoginMethod,
  externalUserId: string,
): Promise<void> {
  if (await store.isSuperTokensUserId(appId, externalUserId)) {
    refuse(
      'E030: Cannot create a userId mapping where the externalId is also a SuperTokens userID',
    );
  }
  const mapped = await store.createUserIdMapping(appId, {
    superTokensUserId: primary.superTokensUserId,
    externalUserId,
  });
  if (mapped.status === 'UNKNOWN_SUPERTOKENS_USER_ID_ERROR') {
    refuse(
      `E032: We tried to create the externalUserId mapping for the superTokenUserId ${primary.superTokensUserId} but it doesn't exist. This should not happen. Please contact support.`,
    );
  } else if (mapped.status !== 'OK') {
    refuse(`E031: A user with externalId ${externalUserId} already exists`);
  }
}
