import type { DashboardSessionRecord, DashboardUserRecord } from '../records.js';

/** Finds one dashboard user by id or by (normalised) email. */
export type DashboardUserKey = { userId: string } | { email: string };

/**
 * Dashboard logins and their sessions (official tables `dashboard_users`,
 * `dashboard_user_sessions`): the plugin interface's `DashboardSQLStorage`.
 */
export interface DashboardStorage {
  createDashboardUser(
    appId: string,
    user: DashboardUserRecord,
  ): Promise<'OK' | 'EMAIL_ALREADY_EXISTS'>;
  getDashboardUser(appId: string, key: DashboardUserKey): Promise<DashboardUserRecord | undefined>;
  updateDashboardUser(
    appId: string,
    userId: string,
    patch: { email?: string; passwordHash?: string },
  ): Promise<'OK' | 'UNKNOWN_USER' | 'EMAIL_ALREADY_EXISTS'>;
  /** Deletes the dashboard user and its sessions; false if unknown. */
  deleteDashboardUser(appId: string, key: DashboardUserKey): Promise<boolean>;
  /** Sorted by timeJoined. */
  listDashboardUsers(appId: string): Promise<DashboardUserRecord[]>;
  createDashboardSession(appId: string, session: DashboardSessionRecord): Promise<void>;
  getDashboardSession(
    appId: string,
    sessionId: string,
  ): Promise<DashboardSessionRecord | undefined>;
  deleteDashboardSession(appId: string, sessionId: string): Promise<void>;
  listDashboardSessions(appId: string, userId: string): Promise<DashboardSessionRecord[]>;
}
