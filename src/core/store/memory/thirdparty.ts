import type { ThirdPartyStorage } from '../store.interface.js';
import { clashesWithPrimary } from '../linking-view.js';
import type { MemoryTables } from './memory-tables.js';
import {
  index,
  insertUser,
  loginMethod,
  owner,
  thirdPartyKey,
  userOf,
  usersWith,
} from './users.js';

export function memoryThirdParty(memory: MemoryTables): ThirdPartyStorage {
  return {
    signInUpThirdPartyUser(appId, tenantId, login) {
      const tables = memory.app(appId);
      const existing = owner(tables, thirdPartyKey(login.thirdParty), 'thirdparty', [tenantId]);
      if (existing === undefined) {
        insertUser(tables, login);
        return Promise.resolve({ createdNewUser: true, recipeUserId: login.recipeUserId });
      }
      const method = loginMethod(tables, existing)!;
      if (method.email !== login.email) {
        const user = userOf(tables, existing)!;
        if (clashesWithPrimary(user, usersWith(tables, [`email:${login.email}`]))) {
          return Promise.resolve('EMAIL_CHANGE_NOT_ALLOWED');
        }
        index(tables, method, 'delete');
        method.email = login.email;
        index(tables, method, 'add');
      }
      return Promise.resolve({ createdNewUser: false, recipeUserId: existing });
    },
  };
}
