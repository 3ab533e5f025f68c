import type { SessionRecord } from '../records.js';
import type { SessionStorage } from '../store.interface.js';
import type { AppTables, MemoryTables } from './memory-tables.js';
import { removeSessions } from './removal.js';
import { userOf } from './users.js';

export function memorySessions(memory: MemoryTables): SessionStorage {
  return {
    createSession(appId, session) {
      const tables = memory.app(appId);
      const { recipeUserId } = session;
      const userId = userOf(tables, recipeUserId)?.id;
      const stored: SessionRecord = { ...session, userId: userId ?? recipeUserId };
      tables.sessions.set(session.handle, stored);
      let handles = tables.sessionsByUser.get(recipeUserId);
      if (!handles) tables.sessionsByUser.set(recipeUserId, (handles = new Set()));
      handles.add(session.handle);
      return Promise.resolve({ ...stored });
    },

    getSession(appId, handle) {
      const session = memory.app(appId).sessions.get(handle);
      return Promise.resolve(session && { ...session });
    },

    updateSession(appId, handle, patch, expectedRefreshTokenHash2) {
      const session = memory.app(appId).sessions.get(handle);
      if (!session) return Promise.resolve(false);
      if (
        expectedRefreshTokenHash2 !== undefined &&
        session.refreshTokenHash2 !== expectedRefreshTokenHash2
      ) {
        return Promise.resolve(false);
      }
      Object.assign(session, patch);
      return Promise.resolve(true);
    },

    deleteSessions(appId, handles) {
      return Promise.resolve(removeSessions(memory.app(appId), handles));
    },

    listSessionHandles(appId, userIds, tenantId) {
      const tables = memory.app(appId);
      const handles: string[] = [];
      for (const userId of userIds) {
        for (const handle of tables.sessionsByUser.get(userId) ?? []) {
          const session = tables.sessions.get(handle);
          if (session && (tenantId === undefined || session.tenantId === tenantId))
            handles.push(handle);
        }
      }
      return Promise.resolve(handles);
    },
  };
}

export function deleteExpiredSessions(tables: AppTables, now: number): void {
  const expired = [...tables.sessions.values()].filter((s) => s.expiry < now).map((s) => s.handle);
  removeSessions(tables, expired);
}
