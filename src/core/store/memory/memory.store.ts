import type { Store } from '../store.interface.js';
import { memoryAccountLinking } from './account-linking.js';
import { memoryAuthRecipe } from './auth-recipe.js';
import { memoryBulkImport, memoryTransaction } from './bulk-import.js';
import { deleteExpiredCounters, memoryCounters } from './counter.js';
import { deleteExpiredDashboardSessions, memoryDashboard } from './dashboard.js';
import { deleteExpiredResetTokens, memoryEmailPassword } from './emailpassword.js';
import { deleteExpiredVerificationTokens, memoryEmailVerification } from './emailverification.js';
import { memoryKeyValues } from './key-value.js';
import { MemoryTables } from './memory-tables.js';
import { memoryMultitenancy } from './multitenancy.js';
import { deleteExpiredDevices, memoryPasswordless } from './passwordless.js';
import { deleteExpiredSessions, memorySessions } from './session.js';
import { memorySigningKeys } from './signing-keys.js';
import { memoryThirdParty } from './thirdparty.js';
import { deleteExpiredTotpCodes, memoryTotp } from './totp.js';
import { memoryUserIdMapping } from './userid-mapping.js';
import { memoryUserMetadata } from './usermetadata.js';
import { memoryUserRoles } from './userroles.js';
import { deleteExpiredWebAuthnData, memoryWebAuthn } from './webauthn.js';

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- types the methods the constructor assigns
export interface MemoryStore extends Store {}

/**
 * The default store: everything in this process's memory, gone when it exits. Each recipe's
 * storage is its own part of this folder over the shared `MemoryTables`.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface
export class MemoryStore {
  constructor() {
    const tables = new MemoryTables();
    const parts: Store = {
      ...memoryMultitenancy(tables),
      ...memoryKeyValues(tables),
      ...memorySigningKeys(tables),
      ...memoryAuthRecipe(tables),
      ...memoryAccountLinking(tables),
      ...memoryEmailPassword(tables),
      ...memoryPasswordless(tables),
      ...memoryThirdParty(tables),
      ...memoryTotp(tables),
      ...memoryWebAuthn(tables),
      ...memorySessions(tables),
      ...memoryEmailVerification(tables),
      ...memoryUserRoles(tables),
      ...memoryUserMetadata(tables),
      ...memoryUserIdMapping(tables),
      ...memoryBulkImport(tables),
      importTransaction: (appId, work) => memoryTransaction(tables.app(appId), () => work(this)),
      ...memoryDashboard(tables),
      ...memoryCounters(tables),

      deleteExpired(now, { codesCreatedBefore, totpCodesExpiredBefore }) {
        deleteExpiredCounters(tables, now);
        for (const app of tables.apps.values()) {
          deleteExpiredDevices(app, codesCreatedBefore);
          deleteExpiredDashboardSessions(app, now);
          deleteExpiredSessions(app, now);
          deleteExpiredResetTokens(app, now);
          deleteExpiredVerificationTokens(app, now);
          deleteExpiredTotpCodes(app, totpCodesExpiredBefore);
          deleteExpiredWebAuthnData(app, now);
        }
        return Promise.resolve();
      },

      /** Nothing to release: the data goes with the last reference to the store. */
      close() {
        return Promise.resolve();
      },
    };
    Object.assign(this, parts);
  }
}
