import type { TotpDeviceRecord } from '../records.js';
import type { TotpStorage } from '../storage/totp.storage.js';
import type { AppTables, MemoryTables } from './memory-tables.js';

const copyDevices = (devices: Iterable<TotpDeviceRecord>): TotpDeviceRecord[] =>
  [...devices].map((d) => ({ ...d }));

export function memoryTotp(memory: MemoryTables): TotpStorage {
  return {
    createTotpDevice(appId, device) {
      const users = memory.app(appId).totpUsers;
      let user = users.get(device.userId);
      if (!user) users.set(device.userId, (user = { devices: new Map(), usedCodes: new Map() }));
      if (user.devices.get(device.name)?.verified) return Promise.resolve('DEVICE_ALREADY_EXISTS');
      // A replaced enrolment moves to the end, as a new row would.
      user.devices.delete(device.name);
      user.devices.set(device.name, { ...device });
      return Promise.resolve('OK');
    },

    listTotpDevices(appId, userId) {
      const user = memory.app(appId).totpUsers.get(userId);
      return Promise.resolve(copyDevices(user?.devices.values() ?? []));
    },

    listTotpDevicesOfUsers(appId, userIds) {
      const users = memory.app(appId).totpUsers;
      const found = new Map<string, TotpDeviceRecord[]>();
      for (const userId of userIds) {
        const user = users.get(userId);
        if (user) found.set(userId, copyDevices(user.devices.values()));
      }
      return Promise.resolve(found);
    },

    renameTotpDevice(appId, userId, name, newName) {
      const devices = memory.app(appId).totpUsers.get(userId)?.devices;
      const device = devices?.get(name);
      if (!devices || !device) return Promise.resolve('UNKNOWN_DEVICE');
      if (newName === name) return Promise.resolve('OK');
      if (devices.has(newName)) return Promise.resolve('DEVICE_ALREADY_EXISTS');
      // Renamed in place: the devices keep their order.
      const renamed = [...devices.values()].map((d) =>
        d === device ? { ...d, name: newName } : d,
      );
      devices.clear();
      for (const d of renamed) devices.set(d.name, d);
      return Promise.resolve('OK');
    },

    removeTotpDevice(appId, userId, name) {
      const users = memory.app(appId).totpUsers;
      const user = users.get(userId);
      if (!user?.devices.delete(name)) return Promise.resolve(false);
      if (user.devices.size === 0) users.delete(userId);
      return Promise.resolve(true);
    },

    recordTotpAttempt(appId, tenantId, userId, decide) {
      const user = memory.app(appId).totpUsers.get(userId);
      // Decided and recorded without an await in between: atomic (see MemoryTables).
      const { result, usedCode, verifiedDevice } = decide({
        devices: copyDevices(user?.devices.values() ?? []),
        usedCodes: (user?.usedCodes.get(tenantId) ?? []).map((c) => ({ ...c })),
      });
      if (!user) return Promise.resolve(result);
      if (usedCode)
        user.usedCodes.set(tenantId, [{ ...usedCode }, ...(user.usedCodes.get(tenantId) ?? [])]);
      const device = verifiedDevice === undefined ? undefined : user.devices.get(verifiedDevice);
      if (device) device.verified = true;
      return Promise.resolve(result);
    },
  };
}

/** The real core's `DeleteExpiredTotpTokens` cron. */
export function deleteExpiredTotpCodes(tables: AppTables, before: number): void {
  for (const user of tables.totpUsers.values()) {
    for (const [tenantId, codes] of user.usedCodes) {
      user.usedCodes.set(
        tenantId,
        codes.filter((c) => c.expiryTime >= before),
      );
    }
  }
}
