import type { CoreContext } from '../core.context.js';
import { newId } from '../crypto.util.js';
import { decoyHash, hashPassword, verifyPassword } from '../emailpassword/password-hash.js';
import type { DashboardSessionRecord, DashboardUserRecord } from '../store/records.js';
import type { DashboardStorage, DashboardUserKey } from '../store/storage/dashboard.storage.js';
import { isValidDashboardEmail } from './dashboard-email.js';

/** Dashboard sessions last 30 days (the real core's value). */
const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The real core's password rule for dashboard users, with its messages, in its order. */
export function dashboardPasswordError(password: string): string | undefined {
  if (password.length < 8) return 'Password must contain at least 8 characters, including a number';
  if (password.length >= 100) return "Password's length must be lesser than 100 characters";
  if (!/[a-zA-Z]/.test(password)) return 'Password must contain at least one alphabet';
  if (!/[0-9]/.test(password)) return 'Password must contain at least one number';
  return undefined;
}

type Refusal =
  | { status: 'INVALID_EMAIL_ERROR' | 'EMAIL_ALREADY_EXISTS_ERROR' | 'UNKNOWN_USER_ERROR' }
  | { status: 'PASSWORD_WEAK_ERROR'; message: string };

/** Create and update: the login as it now is, or why not. */
export type DashboardUserOutcome = { status: 'OK'; user: DashboardUserRecord } | Refusal;

/** The email and password checks of create and update, in the real core's order. */
function refusal(email: string | undefined, password: string | undefined): Refusal | undefined {
  if (email !== undefined && !isValidDashboardEmail(email))
    return { status: 'INVALID_EMAIL_ERROR' };
  const weak = password === undefined ? undefined : dashboardPasswordError(password);
  return weak ? { status: 'PASSWORD_WEAK_ERROR', message: weak } : undefined;
}

/**
 * Dashboard logins and their sessions (docs/embedded-core.md, Dashboard): unrelated to the app's
 * users, app-wide. Emails come trimmed and lower-cased.
 */
export class DashboardService {
  constructor(private readonly ctx: CoreContext<DashboardStorage>) {}

  async createUser(appId: string, email: string, password: string): Promise<DashboardUserOutcome> {
    const refused = refusal(email, password);
    if (refused) return refused;
    const user: DashboardUserRecord = {
      userId: newId(),
      email,
      passwordHash: await hashPassword(password, `dashboard:${email}`),
      timeJoined: this.ctx.now(),
    };
    const status = await this.ctx.store.createDashboardUser(appId, user);
    if (status === 'EMAIL_ALREADY_EXISTS') return { status: 'EMAIL_ALREADY_EXISTS_ERROR' };
    return { status: 'OK', user };
  }

  async updateUser(
    appId: string,
    key: DashboardUserKey,
    change: { email?: string; password?: string },
  ): Promise<DashboardUserOutcome> {
    const { store } = this.ctx;
    const refused = refusal(change.email, change.password);
    if (refused) return refused;
    const user = await store.getDashboardUser(appId, key);
    if (!user) return { status: 'UNKNOWN_USER_ERROR' };
    const status = await store.updateDashboardUser(appId, user.userId, {
      email: change.email,
      passwordHash:
        change.password === undefined
          ? undefined
          : await hashPassword(change.password, `dashboard:${user.userId}`),
    });
    if (status === 'EMAIL_ALREADY_EXISTS') return { status: 'EMAIL_ALREADY_EXISTS_ERROR' };
    if (status === 'UNKNOWN_USER') return { status: 'UNKNOWN_USER_ERROR' };
    const updated = await store.getDashboardUser(appId, { userId: user.userId });
    return updated ? { status: 'OK', user: updated } : { status: 'UNKNOWN_USER_ERROR' };
  }

  deleteUser(appId: string, key: DashboardUserKey): Promise<boolean> {
    return this.ctx.store.deleteDashboardUser(appId, key);
  }

  listUsers(appId: string): Promise<DashboardUserRecord[]> {
    return this.ctx.store.listDashboardUsers(appId);
  }

  /** Compares against a decoy when the email is unknown, so both answers take as long. */
  async signIn(
    appId: string,
    email: string,
    password: string,
  ): Promise<{ status: 'OK'; sessionId: string } | { status: 'INVALID_CREDENTIALS_ERROR' }> {
    const { store, now } = this.ctx;
    const user = await store.getDashboardUser(appId, { email });
    const ok = await verifyPassword(
      password,
      user?.passwordHash ?? (await decoyHash()),
      `dashboard:${email}`,
    );
    if (!user || !ok) return { status: 'INVALID_CREDENTIALS_ERROR' };
    const sessionId = newId();
    const timeCreated = now();
    await store.createDashboardSession(appId, {
      sessionId,
      userId: user.userId,
      timeCreated,
      expiry: timeCreated + SESSION_LIFETIME_MS,
    });
    return { status: 'OK', sessionId };
  }

  /** Expired sessions are removed by the clean-up job; until then they verify (real core). */
  async verifySession(
    appId: string,
    sessionId: string,
  ): Promise<{ status: 'OK'; email: string } | { status: 'INVALID_SESSION_ERROR' }> {
    const { store } = this.ctx;
    const session = UUID.test(sessionId)
      ? await store.getDashboardSession(appId, sessionId)
      : undefined;
    const user = session && (await store.getDashboardUser(appId, { userId: session.userId }));
    return user ? { status: 'OK', email: user.email } : { status: 'INVALID_SESSION_ERROR' };
  }

  signOut(appId: string, sessionId: string): Promise<void> {
    return this.ctx.store.deleteDashboardSession(appId, sessionId);
  }

  sessionsOf(appId: string, userId: string): Promise<DashboardSessionRecord[]> {
    return this.ctx.store.listDashboardSessions(appId, userId);
  }
}
