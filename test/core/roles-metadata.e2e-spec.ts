import supertokens from 'supertokens-node';
import EmailPassword from 'supertokens-node/recipe/emailpassword';
import Session from 'supertokens-node/recipe/session';
import UserMetadata from 'supertokens-node/recipe/usermetadata';
import UserRoles from 'supertokens-node/recipe/userroles';
import { startEmbeddedCore, type EmbeddedCore } from '../../src/core/index.js';
import { initSdk } from '../support/sdk.js';

/** Embedded core, roles and metadata: through supertokens-node's recipe functions and raw CDI. */
describe('roles, permissions and user metadata on the embedded core', () => {
  let core: EmbeddedCore;
  const raw = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${core.connectionURI}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        'cdi-version': '5.4',
        'api-key': core.apiKey!,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  };

  beforeAll(async () => {
    core = await startEmbeddedCore();
    initSdk(core, [EmailPassword.init(), Session.init(), UserRoles.init(), UserMetadata.init()]);
  });
  afterAll(() => core.stop());

  it('creates roles, unions permissions on re-create, and finds roles by permission (check 44)', async () => {
    expect(await UserRoles.createNewRoleOrAddPermissions('editor', ['read', 'write'])).toEqual({
      status: 'OK',
      createdNewRole: true,
    });
    expect(await UserRoles.createNewRoleOrAddPermissions('editor', ['publish'])).toEqual({
      status: 'OK',
      createdNewRole: false,
    });
    const permissions = await UserRoles.getPermissionsForRole('editor');
    expect(permissions.status === 'OK' && [...permissions.permissions].sort()).toEqual([
      'publish',
      'read',
      'write',
    ]);
    expect((await UserRoles.getRolesThatHavePermission('publish')).roles).toEqual(['editor']);
    expect(await UserRoles.getAllRoles()).toMatchObject({
      roles: expect.arrayContaining(['editor']),
    });

    await UserRoles.removePermissionsFromRole('editor', ['write']);
    const after = await UserRoles.getPermissionsForRole('editor');
    expect(after.status === 'OK' && [...after.permissions].sort()).toEqual(['publish', 'read']);
    expect((await UserRoles.getPermissionsForRole('nope')).status).toBe('UNKNOWN_ROLE_ERROR');
  });

  it('assigns roles per tenant and reports whether the user already had them', async () => {
    await UserRoles.createNewRoleOrAddPermissions('admin', ['everything']);
    expect(await UserRoles.addRoleToUser('public', 'user-a', 'admin')).toEqual({
      status: 'OK',
      didUserAlreadyHaveRole: false,
    });
    expect(await UserRoles.addRoleToUser('public', 'user-a', 'admin')).toEqual({
      status: 'OK',
      didUserAlreadyHaveRole: true,
    });
    expect((await UserRoles.addRoleToUser('public', 'user-a', 'ghost')).status).toBe(
      'UNKNOWN_ROLE_ERROR',
    );
    expect((await UserRoles.getRolesForUser('public', 'user-a')).roles).toEqual(['admin']);
    expect(await UserRoles.getUsersThatHaveRole('public', 'admin')).toEqual({
      status: 'OK',
      users: ['user-a'],
    });
    expect(await UserRoles.removeUserRole('public', 'user-a', 'admin')).toEqual({
      status: 'OK',
      didUserHaveRole: true,
    });
    expect((await UserRoles.getRolesForUser('public', 'user-a')).roles).toEqual([]);
  });

  it('deleting a role takes it from its users', async () => {
    await UserRoles.createNewRoleOrAddPermissions('temp', []);
    await UserRoles.addRoleToUser('public', 'user-b', 'temp');
    expect(await UserRoles.deleteRole('temp')).toEqual({ status: 'OK', didRoleExist: true });
    expect(await UserRoles.deleteRole('temp')).toEqual({ status: 'OK', didRoleExist: false });
    expect((await UserRoles.getRolesForUser('public', 'user-b')).roles).toEqual([]);
    expect((await UserRoles.getUsersThatHaveRole('public', 'temp')).status).toBe(
      'UNKNOWN_ROLE_ERROR',
    );
  });

  it('puts roles and permissions into new sessions as st-role / st-perm claims', async () => {
    const signUp = await EmailPassword.signUp('public', 'roles@example.com', 'pw-123456789');
    if (signUp.status !== 'OK') throw new Error(signUp.status);
    await UserRoles.createNewRoleOrAddPermissions('viewer', ['read']);
    await UserRoles.addRoleToUser('public', signUp.user.id, 'viewer');
    const session = await Session.createNewSessionWithoutRequestResponse(
      'public',
      signUp.recipeUserId,
    );
    expect(session.getAccessTokenPayload()).toMatchObject({
      'st-role': { v: ['viewer'] },
      'st-perm': { v: ['read'] },
    });
  });

  it('refuses empty and mistyped role input with the real core messages', async () => {
    expect(await raw('PUT', '/recipe/role', { role: '  ' })).toEqual({
      status: 400,
      text: "Field name 'role' cannot be an empty String",
    });
    expect(await raw('PUT', '/recipe/role', { role: 'r', permissions: 'read' })).toEqual({
      status: 400,
      text: "Field name 'permissions' is invalid in JSON input",
    });
    expect(await raw('PUT', '/recipe/role', { role: 'r', permissions: ['ok', ' '] })).toEqual({
      status: 400,
      text: "Field name 'permissions' cannot contain an empty string",
    });
  });

  it('merges metadata shallowly, null deleting a key (check 45), and clears it', async () => {
    expect(
      await UserMetadata.updateUserMetadata('meta-user', { a: 1, b: { c: 2 }, d: null }),
    ).toEqual({
      status: 'OK',
      metadata: { a: 1, b: { c: 2 } },
    });
    expect(await UserMetadata.updateUserMetadata('meta-user', { a: null, b: { x: null } })).toEqual(
      {
        status: 'OK',
        metadata: { b: { x: null } },
      },
    );
    expect((await UserMetadata.getUserMetadata('meta-user')).metadata).toEqual({ b: { x: null } });
    await UserMetadata.clearUserMetadata('meta-user');
    expect((await UserMetadata.getUserMetadata('meta-user')).metadata).toEqual({});
    expect(await raw('PUT', '/recipe/user/metadata', { userId: 'u', metadataUpdate: [1] })).toEqual(
      {
        status: 400,
        text: "Field name 'metadataUpdate' is invalid in JSON input",
      },
    );
  });

  it('deleting a user removes their metadata and roles (check 41)', async () => {
    const signUp = await EmailPassword.signUp('public', 'gone@example.com', 'pw-123456789');
    if (signUp.status !== 'OK') throw new Error(signUp.status);
    const id = signUp.user.id;
    await UserMetadata.updateUserMetadata(id, { plan: 'pro' });
    await UserRoles.createNewRoleOrAddPermissions('member', []);
    await UserRoles.addRoleToUser('public', id, 'member');
    await supertokens.deleteUser(id);
    expect((await UserMetadata.getUserMetadata(id)).metadata).toEqual({});
    expect((await UserRoles.getRolesForUser('public', id)).roles).toEqual([]);
  });
});
