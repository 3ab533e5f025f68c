import type { PasswordlessStorage } from '../store.interface.js';
import { clashesWithPrimary } from '../linking-view.js';
import type { AppTables, MemoryTables } from './memory-tables.js';
import { copyUser, index, insertUser, loginMethod, owner, userOf, usersWith } from './users.js';

export function memoryPasswordless(memory: MemoryTables): PasswordlessStorage {
  return {
    addPasswordlessCode(appId, preAuthSessionId, code, newDevice) {
      const devices = memory.app(appId).devices;
      if (newDevice) devices.set(preAuthSessionId, structuredClone({ ...newDevice, codes: [] }));
      const device = devices.get(preAuthSessionId);
      if (!device) return Promise.resolve('UNKNOWN_DEVICE');
      if (device.codes.some((c) => c.linkCodeHash === code.linkCodeHash)) {
        return Promise.resolve('CODE_ALREADY_USED');
      }
      device.codes.push({ ...code });
      return Promise.resolve('OK');
    },

    getPasswordlessDevice(appId, preAuthSessionId) {
      const device = memory.app(appId).devices.get(preAuthSessionId);
      return Promise.resolve(device && structuredClone(device));
    },

    findDeviceByLinkCodeHash(appId, linkCodeHash) {
      for (const device of memory.app(appId).devices.values()) {
        if (device.codes.some((c) => c.linkCodeHash === linkCodeHash))
          return Promise.resolve(structuredClone(device));
      }
      return Promise.resolve(undefined);
    },

    findPasswordlessDevices(appId, tenantId, contact) {
      const found = [...memory.app(appId).devices.values()].filter(
        (d) =>
          d.tenantId === tenantId &&
          ((contact.email !== undefined && d.email === contact.email) ||
            (contact.phoneNumber !== undefined && d.phoneNumber === contact.phoneNumber)),
      );
      return Promise.resolve(found.map((d) => structuredClone(d)));
    },

    addFailedAttempt(appId, preAuthSessionId) {
      const device = memory.app(appId).devices.get(preAuthSessionId);
      if (!device) return Promise.resolve(undefined);
      device.failedAttempts += 1;
      return Promise.resolve(device.failedAttempts);
    },

    deletePasswordlessDevices(appId, preAuthSessionIds) {
      const devices = memory.app(appId).devices;
      return Promise.resolve([...new Set(preAuthSessionIds)].filter((id) => devices.delete(id)));
    },

    removePasswordlessCode(appId, codeId) {
      const devices = memory.app(appId).devices;
      for (const [id, device] of devices) {
        const position = device.codes.findIndex((c) => c.codeId === codeId);
        if (position < 0) continue;
        device.codes.splice(position, 1);
        if (device.codes.length === 0) devices.delete(id);
      }
      return Promise.resolve();
    },

    signInUpPasswordlessUser(appId, tenantId, method) {
      const tables = memory.app(appId);
      const lookup =
        method.email !== undefined ? `email:${method.email}` : `phone:${method.phoneNumber}`;
      const existing = owner(tables, lookup, 'passwordless', [tenantId]);
      if (existing !== undefined) {
        const user = userOf(tables, existing)!;
        return Promise.resolve({
          user: copyUser(user),
          recipeUserId: existing,
          createdNewUser: false,
        });
      }
      const user = insertUser(tables, method);
      return Promise.resolve({ user: copyUser(user), recipeUserId: user.id, createdNewUser: true });
    },

    updatePasswordlessLogin(appId, recipeUserId, patch) {
      const tables = memory.app(appId);
      const method = loginMethod(tables, recipeUserId);
      if (!method || method.recipeId !== 'passwordless') {
        return Promise.resolve('UNKNOWN_USER_ID');
      }
      const email = patch.email === undefined ? method.email : (patch.email ?? undefined);
      const phoneNumber =
        patch.phoneNumber === undefined ? method.phoneNumber : (patch.phoneNumber ?? undefined);
      if (email === undefined && phoneNumber === undefined) return Promise.resolve('CLEARS_BOTH');
      const takenBy = (lookup: string): boolean =>
        owner(tables, lookup, 'passwordless', method.tenantIds, recipeUserId) !== undefined;
      const user = userOf(tables, recipeUserId)!;
      const clashes = (lookup: string) => clashesWithPrimary(user, usersWith(tables, [lookup]));
      // In the real core's order: each changed value's primary-user check, then its uniqueness.
      if (email !== method.email && email !== undefined) {
        if (clashes(`email:${email}`)) return Promise.resolve('EMAIL_CHANGE_NOT_ALLOWED');
        if (takenBy(`email:${email}`)) return Promise.resolve('EMAIL_ALREADY_EXISTS');
      }
      if (phoneNumber !== method.phoneNumber && phoneNumber !== undefined) {
        if (clashes(`phone:${phoneNumber}`)) {
          return Promise.resolve('PHONE_NUMBER_CHANGE_NOT_ALLOWED');
        }
        if (takenBy(`phone:${phoneNumber}`)) return Promise.resolve('PHONE_NUMBER_ALREADY_EXISTS');
      }
      index(tables, method, 'delete');
      if (email === undefined) delete method.email;
      else method.email = email;
      if (phoneNumber === undefined) delete method.phoneNumber;
      else method.phoneNumber = phoneNumber;
      index(tables, method, 'add');
      return Promise.resolve('OK');
    },
  };
}

/** Devices whose every code was created before `codesCreatedBefore`. */
export function deleteExpiredDevices(tables: AppTables, codesCreatedBefore: number): void {
  for (const [id, device] of tables.devices) {
    if (device.codes.every((c) => c.timeCreated < codesCreatedBefore)) tables.devices.delete(id);
  }
}
