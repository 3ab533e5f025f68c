// Holds UserRolesStorage (roles, permissions, per-tenant assignments) to the store contract.
import { randomUUID } from 'node:crypto';
import { describeStoreContract } from './store-subjects.js';

describeStoreContract('UserRolesStorage', (subject) => {
  it('keeps roles and permissions with their rules', async () => {
    const { store } = subject();
    expect(await store.upsertRole('public', 'editor', ['read', 'write'])).toBe(true);
    expect(await store.upsertRole('public', 'editor', ['publish'])).toBe(false);
    expect((await store.getRolePermissions('public', 'editor'))?.sort()).toEqual([
      'publish',
      'read',
      'write',
    ]);
    expect(await store.addUserRole('public', 'public', 'u1', 'editor')).toBe(false);
    expect(await store.addUserRole('public', 'public', 'u1', 'editor')).toBe(true);
    expect(await store.addUserRole('public', 'public', 'u1', 'missing')).toBeUndefined();
    expect(await store.usersWithRole('public', 'public', 'editor')).toEqual(['u1']);
    expect(await store.rolesWithPermission('public', 'publish')).toEqual(['editor']);
    expect(await store.deleteRole('public', 'editor')).toBe(true);
    expect(await store.getUserRoles('public', 'public', 'u1')).toEqual([]);
  });

  it('keeps the user ids roles are given to exactly, trailing spaces included', async () => {
    const { store, other } = subject();
    // Role and permission names reach the store trimmed (the role routes trim them, as the real
    // core does); user ids are passed through as the app sent them, and are any string.
    const role = `reviewer-${randomUUID().slice(0, 8)}`;
    await store.upsertRole('public', role, ['review']);
    const userId = `ext-${randomUUID()}`;
    const padded = `${userId} `;
    expect(await store.addUserRole('public', 'public', padded, role)).toBe(false);
    // Another user: it did not have the role yet.
    expect(await other.addUserRole('public', 'public', userId, role)).toBe(false);
    expect(await store.removeUserRole('public', 'public', userId, role)).toBe(true);
    expect(await other.getUserRoles('public', 'public', padded)).toEqual([role]);
    expect(await other.getUserRoles('public', 'public', userId)).toEqual([]);
    expect(await other.usersWithRole('public', 'public', role)).toEqual([padded]);
  });
});
