import supertokens from 'supertokens-node';
import AccountLinking from 'supertokens-node/recipe/accountlinking';
import EmailPassword from 'supertokens-node/recipe/emailpassword';
import Multitenancy from 'supertokens-node/recipe/multitenancy';
import Passwordless from 'supertokens-node/recipe/passwordless';
import Session from 'supertokens-node/recipe/session';
import ThirdParty from 'supertokens-node/recipe/thirdparty';
import UserMetadata from 'supertokens-node/recipe/usermetadata';
import { coreClient } from '../support/core-client.js';
import { coreWithSdk, type CoreStorage } from '../support/sdk.js';

const rid = (id: string) => supertokens.convertToRecipeUserId(id);

/**
 * Embedded core, account linking (AuthRecipe of supertokens-core 11.4): primary users, linking,
 * unlinking and deletion with linked accounts, through supertokens-node and raw CDI, on memory
 * and PostgreSQL.
 */
describe.each<CoreStorage>(['memory', 'postgres'])(
  'account linking on the embedded core (%s)',
  (storage) => {
    const { core } = coreWithSdk(storage, () => [
      EmailPassword.init(),
      ThirdParty.init(),
      Passwordless.init({ contactMethod: 'EMAIL_OR_PHONE', flowType: 'USER_INPUT_CODE' }),
      AccountLinking.init(),
      UserMetadata.init(),
      Session.init(),
    ]);
    const cdi: ReturnType<typeof coreClient> = (...args) => coreClient(core())(...args);

    let n = 0;
    const emailPasswordUser = async (email: string, tenant = 'public') => {
      const r = await EmailPassword.signUp(tenant, email, 'password-123');
      if (r.status !== 'OK') throw new Error(r.status);
      return r.user.id;
    };
    const thirdPartyUser = async (email: string, tenant = 'public') => {
      const r = await ThirdParty.manuallyCreateOrUpdateUser(
        tenant,
        'github',
        `gh-${++n}`,
        email,
        false,
      );
      if (r.status !== 'OK') throw new Error(r.status);
      return r.user.id;
    };
    const passwordlessUser = async (contact: { email: string } | { phoneNumber: string }) => {
      const r = await Passwordless.signInUp({ tenantId: 'public', ...contact });
      return r.user.id;
    };
    const unique = (name: string) => `${name}-${++n}@example.com`;

    it('makes a primary user, links a second login method to it, and shows one user with both', async () => {
      const email = unique('link');
      const a = await emailPasswordUser(email);
      const b = await thirdPartyUser(email);
      expect(await AccountLinking.canCreatePrimaryUser(rid(a))).toEqual({
        status: 'OK',
        wasAlreadyAPrimaryUser: false,
      });
      const primary = await AccountLinking.createPrimaryUser(rid(a));
      expect(primary).toMatchObject({
        status: 'OK',
        wasAlreadyAPrimaryUser: false,
        user: { id: a, isPrimaryUser: true },
      });
      expect(await AccountLinking.createPrimaryUser(rid(a))).toMatchObject({
        status: 'OK',
        wasAlreadyAPrimaryUser: true,
      });
      expect(await AccountLinking.canLinkAccounts(rid(b), a)).toEqual({
        status: 'OK',
        accountsAlreadyLinked: false,
      });
      const linked = await AccountLinking.linkAccounts(rid(b), a);
      if (linked.status !== 'OK') throw new Error(linked.status);
      expect(linked.accountsAlreadyLinked).toBe(false);
      expect(linked.user.toJson()).toMatchObject({
        id: a,
        isPrimaryUser: true,
        emails: [email],
        thirdParty: [{ id: 'github' }],
        tenantIds: ['public'],
      });
      expect(
        linked.user.loginMethods.map((m) => [m.recipeId, m.recipeUserId.getAsString()]),
      ).toEqual([
        ['emailpassword', a],
        ['thirdparty', b],
      ]);
      // Either login method's id finds the one user; so does the shared email.
      expect((await supertokens.getUser(b))?.id).toBe(a);
      const byEmail = await supertokens.listUsersByAccountInfo('public', { email });
      expect(byEmail.map((u) => u.id)).toEqual([a]);
      expect(await AccountLinking.linkAccounts(rid(b), a)).toMatchObject({
        status: 'OK',
        accountsAlreadyLinked: true,
      });
      expect(await AccountLinking.createPrimaryUser(rid(b))).toMatchObject({
        status: 'RECIPE_USER_ID_ALREADY_LINKED_WITH_PRIMARY_USER_ID_ERROR',
        primaryUserId: a,
      });
      // The user list shows the linked user once.
      const listed = await supertokens.getUsersNewestFirst({ tenantId: 'public', limit: 500 });
      expect(listed.users.filter((u) => u.id === a || u.id === b)).toHaveLength(1);
    });

    it('refuses a second primary user with the same account info, and links only to primary users', async () => {
      const email = unique('clash');
      const a = await emailPasswordUser(email);
      await AccountLinking.createPrimaryUser(rid(a));
      const c = await passwordlessUser({ email });
      const conflict = {
        status: 'ACCOUNT_INFO_ALREADY_ASSOCIATED_WITH_ANOTHER_PRIMARY_USER_ID_ERROR',
        primaryUserId: a,
        description: "This user's email is already associated with another user ID",
      };
      expect(await AccountLinking.canCreatePrimaryUser(rid(c))).toEqual(conflict);
      expect(await AccountLinking.createPrimaryUser(rid(c))).toEqual(conflict);
      const d = await emailPasswordUser(unique('other'));
      expect(await AccountLinking.canLinkAccounts(rid(c), d)).toEqual({
        status: 'INPUT_USER_IS_NOT_A_PRIMARY_USER',
      });
      // d becomes primary; linking c (which shares a's email) to d would make two primary users
      // with one email.
      await AccountLinking.createPrimaryUser(rid(d));
      expect(await AccountLinking.linkAccounts(rid(c), d)).toEqual(conflict);
      // Linked to another primary user: refused with that user's id.
      const b = await thirdPartyUser(email);
      await AccountLinking.linkAccounts(rid(b), a);
      expect(await AccountLinking.canLinkAccounts(rid(b), d)).toEqual({
        status: 'RECIPE_USER_ID_ALREADY_LINKED_WITH_ANOTHER_PRIMARY_USER_ID_ERROR',
        primaryUserId: a,
        description: 'The input recipe user ID is already linked to another user ID',
      });
      const raw = await cdi('POST', '/recipe/accountlinking/user/link', {
        recipeUserId: b,
        primaryUserId: d,
      });
      expect(raw.json).toMatchObject({
        status: 'RECIPE_USER_ID_ALREADY_LINKED_WITH_ANOTHER_PRIMARY_USER_ID_ERROR',
        primaryUserId: a,
        user: { id: a, isPrimaryUser: true },
      });
    });

    it('makes one primary user when two with the same email race for it', async () => {
      const email = unique('race');
      const ids = [await emailPasswordUser(email), await thirdPartyUser(email)];
      const outcomes = await Promise.all(
        ids.map((id) => AccountLinking.createPrimaryUser(rid(id))),
      );
      expect(outcomes.map((o) => o.status).sort()).toEqual([
        'ACCOUNT_INFO_ALREADY_ASSOCIATED_WITH_ANOTHER_PRIMARY_USER_ID_ERROR',
        'OK',
      ]);
      const primaries = await Promise.all(ids.map((id) => supertokens.getUser(id)));
      expect(primaries.filter((u) => u?.isPrimaryUser)).toHaveLength(1);
    });

    it('answers unknown users and bad input as the real core does', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      for (const [method, path, body] of [
        ['GET', `/recipe/accountlinking/user/primary/check?recipeUserId=${unknown}`, undefined],
        ['POST', '/recipe/accountlinking/user/primary', { recipeUserId: unknown }],
        ['POST', '/recipe/accountlinking/user/unlink', { recipeUserId: unknown }],
        [
          'POST',
          '/recipe/accountlinking/user/link',
          { recipeUserId: unknown, primaryUserId: unknown },
        ],
      ] as const) {
        const reply = await cdi(method, path, body);
        expect([path, reply.status, reply.text]).toEqual([path, 400, 'Unknown user ID provided']);
      }
      expect(
        await cdi('GET', '/recipe/accountlinking/user/link/check?recipeUserId=x'),
      ).toMatchObject({
        status: 400,
        text: "Field name 'primaryUserId' is missing in GET request",
      });
      expect(
        await cdi('POST', '/recipe/accountlinking/user/primary', { recipeUserId: 7 }),
      ).toMatchObject({
        status: 400,
        text: "Field name 'recipeUserId' is invalid in JSON input",
      });
      const a = await emailPasswordUser(unique('tenant-path'));
      expect(
        (await cdi('POST', '/acme/recipe/accountlinking/user/primary', { recipeUserId: a })).status,
      ).toBe(403);
    });

    it('ends the sessions of a login method whose user id changes, and sessions name the primary user', async () => {
      const email = unique('sessions');
      const a = await emailPasswordUser(email);
      const b = await thirdPartyUser(email);
      const before = await Session.createNewSessionWithoutRequestResponse('public', rid(b));
      await AccountLinking.createPrimaryUser(rid(a));
      await AccountLinking.linkAccounts(rid(b), a);
      expect(await Session.getSessionInformation(before.getHandle())).toBeUndefined();
      const after = await Session.createNewSessionWithoutRequestResponse('public', rid(b));
      expect(after.getUserId()).toBe(a);
      expect(after.getRecipeUserId().getAsString()).toBe(b);
      expect((await Session.getSessionInformation(after.getHandle()))?.userId).toBe(a);
      await AccountLinking.unlinkAccount(rid(b));
      expect(await Session.getSessionInformation(after.getHandle())).toBeUndefined();
    });

    it('unlinks a login method into a user of its own, and deletes the primary one’s own login instead of splitting it', async () => {
      const email = unique('unlink');
      const a = await emailPasswordUser(email);
      const b = await thirdPartyUser(email);
      await AccountLinking.createPrimaryUser(rid(a));
      await AccountLinking.linkAccounts(rid(b), a);
      expect(await AccountLinking.unlinkAccount(rid(b))).toEqual({
        status: 'OK',
        wasRecipeUserDeleted: false,
        wasLinked: true,
      });
      expect((await supertokens.getUser(b))?.toJson()).toMatchObject({
        id: b,
        isPrimaryUser: false,
        loginMethods: [{ recipeUserId: b }],
      });
      expect((await supertokens.getUser(a))?.loginMethods).toHaveLength(1);
      expect(await AccountLinking.unlinkAccount(rid(b))).toEqual({
        status: 'OK',
        wasRecipeUserDeleted: false,
        wasLinked: false,
      });
      // Unlinking the primary user's own login while another is linked deletes that login.
      await AccountLinking.linkAccounts(rid(b), a);
      expect(await AccountLinking.unlinkAccount(rid(a))).toEqual({
        status: 'OK',
        wasRecipeUserDeleted: true,
        wasLinked: true,
      });
      const left = await supertokens.getUser(a);
      expect(left?.toJson()).toMatchObject({
        id: a,
        isPrimaryUser: true,
        loginMethods: [{ recipeUserId: b, recipeId: 'thirdparty' }],
      });
      expect(left?.loginMethods).toHaveLength(1);
      expect((await supertokens.getUser(b))?.id).toBe(a);
      // The email-password login is gone: its email can sign up again.
      expect((await EmailPassword.signIn('public', email, 'password-123')).status).toBe(
        'WRONG_CREDENTIALS_ERROR',
      );
      // A primary user with one login method: unlinking makes it an ordinary user again.
      const solo = await emailPasswordUser(unique('solo'));
      await AccountLinking.createPrimaryUser(rid(solo));
      expect(await AccountLinking.unlinkAccount(rid(solo))).toEqual({
        status: 'OK',
        wasRecipeUserDeleted: false,
        wasLinked: true,
      });
      expect((await supertokens.getUser(solo))?.isPrimaryUser).toBe(false);
    });

    it('deletes one linked login method, or the user with every linked one', async () => {
      const email = unique('delete');
      const a = await emailPasswordUser(email);
      const b = await thirdPartyUser(email);
      const c = await passwordlessUser({ email });
      await AccountLinking.createPrimaryUser(rid(a));
      await AccountLinking.linkAccounts(rid(b), a);
      await AccountLinking.linkAccounts(rid(c), a);
      await UserMetadata.updateUserMetadata(a, { plan: 'pro' });
      await supertokens.deleteUser(c, false);
      expect(
        (await supertokens.getUser(a))?.loginMethods.map((m) => m.recipeUserId.getAsString()),
      ).toEqual([a, b]);
      expect(await supertokens.getUser(c)).toBeUndefined();
      expect((await UserMetadata.getUserMetadata(a)).metadata).toEqual({ plan: 'pro' });
      await supertokens.deleteUser(b);
      for (const id of [a, b, c]) expect(await supertokens.getUser(id)).toBeUndefined();
      expect((await UserMetadata.getUserMetadata(a)).metadata).toEqual({});
      expect(await supertokens.listUsersByAccountInfo('public', { email })).toEqual([]);
    });

    it('checks every tenant of both users, and the linked user spans their tenants', async () => {
      await Multitenancy.createOrUpdateTenant('al-1', {
        firstFactors: ['emailpassword', 'thirdparty'],
      });
      const email = unique('tenants');
      const a = await emailPasswordUser(email, 'al-1');
      const b = await thirdPartyUser(email);
      await AccountLinking.createPrimaryUser(rid(a));
      const linked = await AccountLinking.linkAccounts(rid(b), a);
      if (linked.status !== 'OK') throw new Error(linked.status);
      expect([...linked.user.tenantIds].sort()).toEqual(['al-1', 'public']);
      // Another primary user with that email in the other tenant blocks a link.
      const other = await emailPasswordUser(unique('tenants-other'), 'al-1');
      await AccountLinking.createPrimaryUser(rid(other));
      const c = await thirdPartyUser(email, 'al-1');
      expect(await AccountLinking.canLinkAccounts(rid(c), other)).toMatchObject({
        status: 'ACCOUNT_INFO_ALREADY_ASSOCIATED_WITH_ANOTHER_PRIMARY_USER_ID_ERROR',
        primaryUserId: a,
      });
    });

    it('refuses to give a primary user account info another primary user has in its tenants', async () => {
      const taken = unique('taken');
      const holder = await emailPasswordUser(taken);
      await AccountLinking.createPrimaryUser(rid(holder));
      const ep = await emailPasswordUser(unique('mover'));
      await AccountLinking.createPrimaryUser(rid(ep));
      const epChange = await cdi(
        'PUT',
        '/recipe/user',
        { recipeUserId: ep, email: taken },
        { rid: 'emailpassword' },
      );
      expect(epChange.json).toEqual({
        status: 'EMAIL_CHANGE_NOT_ALLOWED_ERROR',
        reason: 'New email is associated with another primary user ID',
      });
      // Not a primary user: only the usual uniqueness applies.
      const plain = await passwordlessUser({ email: unique('plain') });
      expect(
        (
          await cdi(
            'PUT',
            '/recipe/user',
            { recipeUserId: plain, email: taken },
            { rid: 'passwordless' },
          )
        ).json,
      ).toEqual({ status: 'OK' });
      const pl = await passwordlessUser({ phoneNumber: '+14155550142' });
      await AccountLinking.createPrimaryUser(rid(pl));
      const plChange = await cdi(
        'PUT',
        '/recipe/user',
        { recipeUserId: pl, email: taken },
        { rid: 'passwordless' },
      );
      expect(plChange.json).toEqual({
        status: 'EMAIL_CHANGE_NOT_ALLOWED_ERROR',
        reason: 'New email is associated with another primary user ID',
      });
      const phoneHolder = await passwordlessUser({ phoneNumber: '+14155550143' });
      await AccountLinking.createPrimaryUser(rid(phoneHolder));
      const phoneChange = await cdi(
        'PUT',
        '/recipe/user',
        { recipeUserId: pl, email: unique('fresh'), phoneNumber: '+14155550143' },
        { rid: 'passwordless' },
      );
      expect(phoneChange.json).toEqual({
        status: 'PHONE_NUMBER_CHANGE_NOT_ALLOWED_ERROR',
        reason: 'New phone number is associated with another primary user ID',
      });
      // The refused update changed nothing, not even the email that came first.
      expect((await supertokens.getUser(pl))?.emails).toEqual([]);
      // A provider reporting the taken email for a primary third-party user.
      const tp = await cdi('POST', '/public/recipe/signinup', {
        thirdPartyId: 'github',
        thirdPartyUserId: 'gh-primary',
        email: { id: unique('tp'), isVerified: false },
      });
      await AccountLinking.createPrimaryUser(rid(tp.json.user.id));
      const tpChange = await cdi('POST', '/public/recipe/signinup', {
        thirdPartyId: 'github',
        thirdPartyUserId: 'gh-primary',
        email: { id: taken, isVerified: false },
      });
      expect(tpChange.json).toEqual({
        status: 'EMAIL_CHANGE_NOT_ALLOWED_ERROR',
        reason: 'Email already associated with another primary user.',
      });
    });

    it('refuses to bring a primary user into a tenant where another primary user has its email', async () => {
      await Multitenancy.createOrUpdateTenant('al-2', {
        firstFactors: ['emailpassword', 'thirdparty'],
      });
      const email = unique('assoc');
      const there = await thirdPartyUser(email, 'al-2');
      await AccountLinking.createPrimaryUser(rid(there));
      const here = await emailPasswordUser(email);
      await AccountLinking.createPrimaryUser(rid(here));
      expect(
        (await cdi('POST', '/al-2/recipe/multitenancy/tenant/user', { recipeUserId: here })).json,
      ).toEqual({
        status: 'ASSOCIATION_NOT_ALLOWED_ERROR',
        reason: `Another primary user with email already exists: ${there}`,
      });
      // The same login of the same recipe is the usual duplicate.
      const epThere = await emailPasswordUser(unique('assoc-ep'), 'al-2');
      await AccountLinking.createPrimaryUser(rid(epThere));
      const epHere = await emailPasswordUser((await supertokens.getUser(epThere))!.emails[0]);
      await AccountLinking.createPrimaryUser(rid(epHere));
      expect(
        (await cdi('POST', '/al-2/recipe/multitenancy/tenant/user', { recipeUserId: epHere })).json,
      ).toEqual({
        status: 'EMAIL_ALREADY_EXISTS_ERROR',
      });
      // Not primary: joins as before.
      const free = await emailPasswordUser(unique('assoc-free'));
      expect(
        (await cdi('POST', '/al-2/recipe/multitenancy/tenant/user', { recipeUserId: free })).json,
      ).toEqual({
        status: 'OK',
        wasAlreadyAssociated: false,
      });
    });
  },
);
