import type { INestApplication } from '@nestjs/common';
import type { App } from 'supertest/types.js';
import { UserMetadataService, UserRolesService } from '../../src/auth/index.js';
import { HeaderClient } from '../support/auth-client.js';
import { createTestApp } from '../support/test-app.js';

/** @Roles / @Permissions over HTTP: 403 invalid claim until the role is granted and the claim refreshed. */
describe('roles, permissions and metadata', () => {
  let app: INestApplication<App>;
  let roles: UserRolesService;

  beforeAll(async () => {
    app = await createTestApp({
      roles: true,
      metadata: true,
      emailVerification: { mode: 'OPTIONAL' },
    });
    roles = app.get(UserRolesService);
    await roles.createRole('admin', ['write']);
    await roles.createRole('staff');
    await roles.createRole('editor');
  });
  afterAll(() => app.close());

  async function signedIn() {
    const client = new HeaderClient(app);
    const signUp = await client.signUp();
    const handle = (await client.send('get', '/me')).body.handle as string;
    return { client, userId: signUp.body.user.id as string, handle };
  }

  /** What the frontend SDK does after a 403 for a claim: the claims are re-read, the token refreshed. */
  async function refreshClaims(client: HeaderClient, handle: string) {
    expect(await roles.refreshSessionClaims(handle)).toBe(true);
    expect((await client.refresh()).status).toBe(200);
  }

  it('answers 403 invalid claim without the role, 200 once it is granted and the claim refreshed', async () => {
    const { client, userId, handle } = await signedIn();
    const refused = await client.send('get', '/claims/admin');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      message: 'invalid claim',
      claimValidationErrors: [{ id: 'st-role' }],
    });

    expect(await roles.addRoleToUser(userId, 'admin')).toBe('OK');
    await refreshClaims(client, handle);
    expect((await client.send('get', '/claims/admin')).status).toBe(200);
    // The permission comes with the role.
    expect((await client.send('get', '/claims/write')).status).toBe(200);
  });

  it('takes a removed role away after the claim is refreshed', async () => {
    const { client, userId, handle } = await signedIn();
    await roles.addRoleToUser(userId, 'admin');
    await refreshClaims(client, handle);
    expect((await client.send('get', '/claims/admin')).status).toBe(200);
    expect(await roles.removeRoleFromUser(userId, 'admin')).toBe('OK');
    await refreshClaims(client, handle);
    expect((await client.send('get', '/claims/admin')).status).toBe(403);
    expect((await client.send('get', '/claims/write')).status).toBe(403);
  });

  it('matches any of a list with match: any, and the class requirement applies unless the handler overrides it', async () => {
    const { client, userId, handle } = await signedIn();
    await roles.addRoleToUser(userId, 'editor');
    await refreshClaims(client, handle);
    expect((await client.send('get', '/claims/editor-or-admin')).status).toBe(200);
    expect((await client.send('get', '/claims/admin')).status).toBe(403);
    // Class-level @Roles('staff') still applies to /claims/staff.
    expect((await client.send('get', '/claims/staff')).status).toBe(403);
    await roles.addRoleToUser(userId, 'staff');
    await refreshClaims(client, handle);
    expect((await client.send('get', '/claims/staff')).status).toBe(200);
  });

  it('keeps metadata with shallow merge semantics', async () => {
    const metadata = app.get(UserMetadataService);
    expect(
      await metadata.update('user-m', { theme: 'dark', notifications: { email: true } }),
    ).toEqual({
      theme: 'dark',
      notifications: { email: true },
    });
    expect(await metadata.update('user-m', { theme: null, notifications: { sms: false } })).toEqual(
      {
        notifications: { sms: false },
      },
    );
    expect(await metadata.get('user-m')).toEqual({ notifications: { sms: false } });
    await metadata.clear('user-m');
    expect(await metadata.get('user-m')).toEqual({});
  });
});
