import type { DashboardUserRecord } from '../records.js';
import type { DashboardStorage, DashboardUserKey } from '../store.interface.js';
import type { AppTables, MemoryTables } from './memory-tables.js';

export function memoryDashboard(memory: MemoryTables): DashboardStorage {
  return {
    createDashboardUser(appId, user) {
      const tables = memory.app(appId);
      if (dashboardUser(tables, { email: user.email })) {
        return Promise.resolve('EMAIL_ALREADY_EXISTS');
      }
      tables.dashboardUsers.set(user.userId, { ...user });
      return Promise.resolve('OK');
    },

    getDashboardUser(appId, userKey) {
      const user = dashboardUser(memory.app(appId), userKey);
      return Promise.resolve(user && { ...user });
    },

    updateDashboardUser(appId, userId, patch) {
      const tables = memory.app(appId);
      const user = tables.dashboardUsers.get(userId);
      if (!user) return Promise.resolve('UNKNOWN_USER');
      if (patch.email !== undefined && patch.email !== user.email) {
        if (dashboardUser(tables, { email: patch.email })) {
          return Promise.resolve('EMAIL_ALREADY_EXISTS');
        }
        user.email = patch.email;
      }
      if (patch.passwordHash !== undefined) user.passwordHash = patch.passwordHash;
      return Promise.resolve('OK');
    },

    deleteDashboardUser(appId, userKey) {
      const tables = memory.app(appId);
      const user = dashboardUser(tables, userKey);
      if (!user) return Promise.resolve(false);
      tables.dashboardUsers.delete(user.userId);
      for (const [sessionId, session] of tables.dashboardSessions) {
        if (session.userId === user.userId) tables.dashboardSessions.delete(sessionId);
      }
      return Promise.resolve(true);
    },

    listDashboardUsers(appId) {
      const users = [...memory.app(appId).dashboardUsers.values()].map((u) => ({ ...u }));
      return Promise.resolve(users.sort((a, b) => a.timeJoined - b.timeJoined));
    },

    createDashboardSession(appId, session) {
      memory.app(appId).dashboardSessions.set(session.sessionId, { ...session });
      return Promise.resolve();
    },

    getDashboardSession(appId, sessionId) {
      const session = memory.app(appId).dashboardSessions.get(sessionId);
      return Promise.resolve(session && { ...session });
    },

    deleteDashboardSession(appId, sessionId) {
      memory.app(appId).dashboardSessions.delete(sessionId);
      return Promise.resolve();
    },

    listDashboardSessions(appId, userId) {
      const sessions = [...memory.app(appId).dashboardSessions.values()]
        .filter((s) => s.userId === userId)
        .map((s) => ({ ...s }));
      return Promise.resolve(sessions.sort((a, b) => a.timeCreated - b.timeCreated));
    },
  };
}

export function deleteExpiredDashboardSessions(tables: AppTables, now: number): void {
  for (const [sessionId, session] of tables.dashboardSessions) {
    if (session.expiry < now) tables.dashboardSessions.delete(sessionId);
  }
}

function dashboardUser(
  tables: AppTables,
  userKey: DashboardUserKey,
): DashboardUserRecord | undefined {
  if ('userId' in userKey) return tables.dashboardUsers.get(userKey.userId);
  return [...tables.dashboardUsers.values()].find((u) => u.email === userKey.email);
}
