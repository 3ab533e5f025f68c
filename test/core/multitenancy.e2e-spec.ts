import EmailPassword from 'supertokens-node/recipe/emailpassword';
import Multitenancy from 'supertokens-node/recipe/multitenancy';
import Passwordless from 'supertokens-node/recipe/passwordless';
import Session from 'supertokens-node/recipe/session';
import UserRoles from 'supertokens-node/recipe/userroles';
import supertokens, { RecipeUserId } from 'supertokens-node';
import { startEmbeddedCore, type EmbeddedCore } from '../../src/core/index.js';
import { coreClient } from '../support/core-client.js';
import { initSdk } from '../support/sdk.js';

/** Embedded core, tenants: through supertokens-node's Multitenancy functions and raw CDI. */
describe('tenants on the embedded core', () => {
  let core: EmbeddedCore;
  const raw = (method: string, path: string, body?: unknown) =>
    coreClient(core)(method, path, body);

  beforeAll(async () => {
    core = await startEmbeddedCore();
    initSdk(core, [
      EmailPassword.init(),
      Passwordless.init({ contactMethod: 'EMAIL_OR_PHONE', flowType: 'USER_INPUT_CODE' }),
      Session.init(),
      UserRoles.init(),
    ]);
  });
  afterAll(() => core.stop());

  it('creates a tenant, reports createdNew once, and shows its set-up', async () => {
    expect(
      await Multitenancy.createOrUpdateTenant('acme', { firstFactors: ['emailpassword'] }),
    ).toEqual({
      status: 'OK',
      createdNew: true,
    });
    expect(
      await Multitenancy.createOrUpdateTenant('acme', {
        coreConfig: { email_verification_token_lifetime: 7200000 },
      }),
    ).toEqual({ status: 'OK', createdNew: false });
    expect(await Multitenancy.getTenant('acme')).toEqual({
      status: 'OK',
      tenantId: 'acme',
      thirdParty: { providers: [] },
      firstFactors: ['emailpassword'],
      coreConfig: { email_verification_token_lifetime: 7200000 },
    });
    // A null value removes a key; requiredSecondaryFactors [] is "not set".
    await Multitenancy.createOrUpdateTenant('acme', {
      coreConfig: { email_verification_token_lifetime: null },
      requiredSecondaryFactors: [],
    });
    expect(await Multitenancy.getTenant('acme')).toMatchObject({ coreConfig: {} });
    expect(await Multitenancy.getTenant('acme')).not.toHaveProperty('requiredSecondaryFactors');
    // The public tenant keeps every factor: no firstFactors in its set-up.
    expect(await Multitenancy.getTenant('public')).toEqual({
      status: 'OK',
      tenantId: 'public',
      thirdParty: { providers: [] },
      coreConfig: {},
    });
  });

  it('starts a tenant created without factors with none, as the real core does', async () => {
    await Multitenancy.createOrUpdateTenant('bare', {});
    expect(await Multitenancy.getTenant('bare')).toMatchObject({ firstFactors: [] });
    await Multitenancy.createOrUpdateTenant('bare', { firstFactors: null });
    expect(await Multitenancy.getTenant('bare')).not.toHaveProperty('firstFactors');
  });

  it('lists tenants with their set-ups, public first', async () => {
    await Multitenancy.createOrUpdateTenant('listed', { firstFactors: ['otp-phone'] });
    const { tenants } = await Multitenancy.listAllTenants();
    expect(tenants[0]).toMatchObject({ tenantId: 'public' });
    expect(tenants).toContainEqual({
      tenantId: 'listed',
      thirdParty: { providers: [] },
      firstFactors: ['otp-phone'],
      coreConfig: {},
    });
  });

  it('refuses bad tenant ids and set-ups with the real core texts', async () => {
    const put = (body: unknown) => raw('PUT', '/recipe/multitenancy/tenant/v2', body);
    expect(await put({ tenantId: '  ' })).toMatchObject({
      status: 400,
      text: 'tenantId should not be an empty String',
    });
    expect(await put({ tenantId: 'recipe' })).toMatchObject({
      status: 400,
      text: "Cannot use 'recipe' as a tenantId",
    });
    expect(await put({ tenantId: 'appid-x' })).toMatchObject({
      status: 400,
      text: "tenantId must not start with 'appid-'",
    });
    expect(await put({ tenantId: 'a_b' })).toMatchObject({
      status: 400,
      text: 'tenantId can only contain letters, numbers and hyphens',
    });
    expect(await put({ tenantId: 'ok1', emailPasswordEnabled: true })).toMatchObject({
      status: 400,
      text: 'emailPasswordEnabled is not a valid input for this API',
    });
    expect(await put({ tenantId: 'ok1', firstFactors: ['a', 'a'] })).toMatchObject({
      status: 400,
      text: 'firstFactors input should not contain duplicate values',
    });
    expect(await put({ tenantId: 'ok1', firstFactors: ['a b'] })).toMatchObject({
      status: 400,
      text: 'firstFactors should contain only 0-9,a-z,A-Z,_,.,- characters',
    });
    expect(await put({ tenantId: 'ok1', firstFactors: 'emailpassword' })).toMatchObject({
      status: 400,
      text: "Field name 'firstFactors' is invalid in JSON input",
    });
    expect(await put({ tenantId: 'ok1', coreConfig: null })).toMatchObject({ status: 400 });
    // Nothing was created by the refused calls.
    expect(await Multitenancy.getTenant('ok1')).toBeUndefined();
    // Upper case and spaces are normalised.
    expect((await put({ tenantId: ' MiXed ' })).json).toEqual({ status: 'OK', createdNew: true });
    expect(await Multitenancy.getTenant('mixed')).toMatchObject({ tenantId: 'mixed' });
  });

  it('lets only the public or the same tenant change a tenant, and only public delete one', async () => {
    await Multitenancy.createOrUpdateTenant('t-one', { firstFactors: ['emailpassword'] });
    await Multitenancy.createOrUpdateTenant('t-two', { firstFactors: ['emailpassword'] });
    expect(
      await raw('PUT', '/t-one/recipe/multitenancy/tenant/v2', { tenantId: 't-two' }),
    ).toMatchObject({
      status: 403,
      text: 'You must use the public or same tenant to add/update a tenant',
    });
    expect(
      (await raw('PUT', '/t-one/recipe/multitenancy/tenant/v2', { tenantId: 't-one' })).json,
    ).toEqual({ status: 'OK', createdNew: false });
    expect(
      await raw('POST', '/t-one/recipe/multitenancy/tenant/remove', { tenantId: 't-two' }),
    ).toMatchObject({
      status: 403,
      text: 'Only the public tenantId is allowed to delete a tenant',
    });
    expect(
      await raw('POST', '/recipe/multitenancy/tenant/remove', { tenantId: 'public' }),
    ).toMatchObject({
      status: 403,
      text: 'Cannot delete public tenant, use remove app API instead',
    });
    expect(await raw('PUT', '/nope/recipe/multitenancy/tenant/v2', {})).toMatchObject({
      status: 400,
    });
  });

  it('keeps the same email in two tenants as two users, and scopes sessions to a tenant', async () => {
    for (const t of ['red', 'blue']) {
      await Multitenancy.createOrUpdateTenant(t, { firstFactors: ['emailpassword'] });
    }
    const red = await EmailPassword.signUp('red', 'same@example.com', 'password-red-1');
    const blue = await EmailPassword.signUp('blue', 'same@example.com', 'password-blue-1');
    if (red.status !== 'OK' || blue.status !== 'OK') throw new Error('sign-up failed');
    expect(red.user.id).not.toBe(blue.user.id);
    expect(red.user.tenantIds).toEqual(['red']);
    expect((await EmailPassword.signIn('red', 'same@example.com', 'password-blue-1')).status).toBe(
      'WRONG_CREDENTIALS_ERROR',
    );
    expect((await EmailPassword.signIn('blue', 'same@example.com', 'password-blue-1')).status).toBe(
      'OK',
    );
    expect((await EmailPassword.signUp('red', 'same@example.com', 'other-pass-1')).status).toBe(
      'EMAIL_ALREADY_EXISTS_ERROR',
    );
    const session = await Session.createNewSessionWithoutRequestResponse('red', red.recipeUserId);
    expect(session.getTenantId()).toBe('red');
    expect(session.getAccessTokenPayload()).toMatchObject({ tId: 'red' });
    const users = await supertokens.getUsersNewestFirst({ tenantId: 'blue' });
    expect(users.users.map((u) => u.id)).toEqual([blue.user.id]);
  });

  it('associates a user with another tenant unless its email is taken there, and disassociates it', async () => {
    for (const t of ['home', 'away']) {
      await Multitenancy.createOrUpdateTenant(t, { firstFactors: ['emailpassword'] });
    }
    const user = await EmailPassword.signUp('home', 'mover@example.com', 'password-move-1');
    const rival = await EmailPassword.signUp('away', 'taken@example.com', 'password-rival-1');
    const taker = await EmailPassword.signUp('home', 'taken@example.com', 'password-take-1');
    if (user.status !== 'OK' || rival.status !== 'OK' || taker.status !== 'OK') throw new Error();
    expect(await Multitenancy.associateUserToTenant('away', user.recipeUserId)).toEqual({
      status: 'OK',
      wasAlreadyAssociated: false,
    });
    expect(await Multitenancy.associateUserToTenant('away', user.recipeUserId)).toEqual({
      status: 'OK',
      wasAlreadyAssociated: true,
    });
    expect(
      (await EmailPassword.signIn('away', 'mover@example.com', 'password-move-1')).status,
    ).toBe('OK');
    expect(await Multitenancy.associateUserToTenant('away', taker.recipeUserId)).toEqual({
      status: 'EMAIL_ALREADY_EXISTS_ERROR',
    });
    expect(
      await Multitenancy.associateUserToTenant('away', new RecipeUserId('nobody-at-all')),
    ).toEqual({ status: 'UNKNOWN_USER_ID_ERROR' });

    // Leaving a tenant ends the user's sessions and roles there, not elsewhere.
    await UserRoles.createNewRoleOrAddPermissions('member', []);
    await UserRoles.addRoleToUser('away', user.user.id, 'member');
    const awaySession = await Session.createNewSessionWithoutRequestResponse(
      'away',
      user.recipeUserId,
    );
    const homeSession = await Session.createNewSessionWithoutRequestResponse(
      'home',
      user.recipeUserId,
    );
    expect(await Multitenancy.disassociateUserFromTenant('away', user.recipeUserId)).toEqual({
      status: 'OK',
      wasAssociated: true,
    });
    expect(await Multitenancy.disassociateUserFromTenant('away', user.recipeUserId)).toEqual({
      status: 'OK',
      wasAssociated: false,
    });
    expect(await Session.getSessionInformation(awaySession.getHandle())).toBeUndefined();
    expect(await Session.getSessionInformation(homeSession.getHandle())).toBeDefined();
    expect((await UserRoles.getRolesForUser('away', user.user.id)).roles).toEqual([]);
    expect(
      (await EmailPassword.signIn('away', 'mover@example.com', 'password-move-1')).status,
    ).toBe('WRONG_CREDENTIALS_ERROR');
    expect((await supertokens.getUser(user.user.id))?.tenantIds).toEqual(['home']);
  });

  it('checks passwordless phone numbers and emails when associating', async () => {
    for (const t of ['p-one', 'p-two']) {
      await Multitenancy.createOrUpdateTenant(t, { firstFactors: ['otp-phone', 'otp-email'] });
    }
    const signUp = async (tenantId: string, phoneNumber: string) => {
      const result = await Passwordless.signInUp({ tenantId, phoneNumber });
      return result.recipeUserId;
    };
    await signUp('p-two', '+14155550101');
    const mover = await signUp('p-one', '+14155550101');
    expect(await Multitenancy.associateUserToTenant('p-two', mover)).toEqual({
      status: 'PHONE_NUMBER_ALREADY_EXISTS_ERROR',
    });
    const free = await signUp('p-one', '+14155550102');
    expect(await Multitenancy.associateUserToTenant('p-two', free)).toMatchObject({ status: 'OK' });
  });

  it('deletes a tenant with its sessions and memberships; its users stay', async () => {
    await Multitenancy.createOrUpdateTenant('doomed', { firstFactors: ['emailpassword'] });
    const user = await EmailPassword.signUp('doomed', 'doomed@example.com', 'password-doom-1');
    if (user.status !== 'OK') throw new Error();
    const session = await Session.createNewSessionWithoutRequestResponse(
      'doomed',
      user.recipeUserId,
    );
    expect(await Multitenancy.deleteTenant('doomed')).toEqual({ status: 'OK', didExist: true });
    expect(await Multitenancy.deleteTenant('doomed')).toEqual({ status: 'OK', didExist: false });
    expect(await Multitenancy.getTenant('doomed')).toBeUndefined();
    expect(await Session.getSessionInformation(session.getHandle())).toBeUndefined();
    expect((await supertokens.getUser(user.user.id))?.tenantIds).toEqual([]);
    // The tenant's APIs now answer the unknown-tenant 400.
    expect(
      await raw('POST', '/doomed/recipe/signin', { email: 'x@y.co', password: 'p' }),
    ).toMatchObject({
      status: 400,
    });
  });
});

describe('apps on the embedded core', () => {
  let core: EmbeddedCore;
  const raw = (method: string, path: string, body?: unknown) =>
    coreClient(core)(method, path, body);
  beforeAll(async () => {
    core = await startEmbeddedCore();
  });
  afterAll(() => core.stop());

  it('creates an app, keeps its users apart, lists it with its tenants and deletes it', async () => {
    expect((await raw('PUT', '/recipe/multitenancy/app/v2', { appId: ' Shop ' })).json).toEqual({
      status: 'OK',
      createdNew: true,
    });
    expect(
      (
        await raw('PUT', '/recipe/multitenancy/app/v2', {
          appId: 'shop',
          firstFactors: ['emailpassword'],
        })
      ).json,
    ).toEqual({ status: 'OK', createdNew: false });
    const signUp = { email: 'app-user@example.com', password: 'password-app-1' };
    expect((await raw('POST', '/appid-shop/public/recipe/signup', signUp)).json).toMatchObject({
      status: 'OK',
    });
    // The same email in the public app is another user.
    expect((await raw('POST', '/public/recipe/signup', signUp)).json).toMatchObject({
      status: 'OK',
    });
    expect(
      (await raw('PUT', '/appid-shop/recipe/multitenancy/tenant/v2', { tenantId: 'branch' })).json,
    ).toMatchObject({ status: 'OK', createdNew: true });
    const listed = (await raw('GET', '/recipe/multitenancy/app/list/v2')).json;
    expect(listed.apps).toContainEqual({
      appId: 'shop',
      tenants: [
        {
          tenantId: 'public',
          thirdParty: { providers: [] },
          firstFactors: ['emailpassword'],
          coreConfig: {},
        },
        { tenantId: 'branch', thirdParty: { providers: [] }, firstFactors: [], coreConfig: {} },
      ],
    });
    expect(await raw('GET', '/appid-shop/recipe/multitenancy/app/list/v2')).toMatchObject({
      status: 403,
      text: 'Only the public tenantId and public appId is allowed to list all apps associated with this connection uri domain',
    });
    expect(await raw('POST', '/recipe/multitenancy/app/remove', { appId: 'shop' })).toMatchObject({
      status: 403,
      text: 'Please delete all tenants except the public tenant for this app before calling the delete API',
    });
    await raw('POST', '/appid-shop/recipe/multitenancy/tenant/remove', { tenantId: 'branch' });
    expect((await raw('POST', '/recipe/multitenancy/app/remove', { appId: 'shop' })).json).toEqual({
      status: 'OK',
      didExist: true,
    });
    expect((await raw('POST', '/recipe/multitenancy/app/remove', { appId: 'shop' })).json).toEqual({
      status: 'OK',
      didExist: false,
    });
    expect((await raw('POST', '/appid-shop/public/recipe/signin', signUp)).status).toBe(400);
    expect(await raw('POST', '/recipe/multitenancy/app/remove', { appId: 'public' })).toMatchObject(
      {
        status: 403,
        text: 'Cannot delete the public app, use remove connection uri domain API instead',
      },
    );
    expect(await raw('PUT', '/recipe/multitenancy/app/v2', { appId: 'appid-x' })).toMatchObject({
      status: 400,
      text: "appId must not start with 'appid-'",
    });
  });
});
