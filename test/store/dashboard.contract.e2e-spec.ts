// Holds DashboardStorage (dashboard logins and their sessions) to the store contract.
import { randomUUID } from 'node:crypto';
import { describeStoreContract } from './store-subjects.js';

describeStoreContract('DashboardStorage', (subject) => {
  it('keeps dashboard logins unique by email, and deletes one with its sessions', async () => {
    const { store } = subject();
    const admin = {
      userId: randomUUID(),
      email: `ops-${randomUUID()}@x.io`,
      passwordHash: 'h',
      timeJoined: 1,
    };
    expect(await store.createDashboardUser('public', admin)).toBe('OK');
    expect(await store.createDashboardUser('public', { ...admin, userId: randomUUID() })).toBe(
      'EMAIL_ALREADY_EXISTS',
    );
    await store.createDashboardSession('public', {
      sessionId: randomUUID(),
      userId: admin.userId,
      timeCreated: 1,
      expiry: Date.now() + 1000,
    });
    expect(await store.listDashboardSessions('public', admin.userId)).toHaveLength(1);
    expect(await store.deleteDashboardUser('public', { email: admin.email })).toBe(true);
    expect(await store.listDashboardSessions('public', admin.userId)).toEqual([]);
  });
});
