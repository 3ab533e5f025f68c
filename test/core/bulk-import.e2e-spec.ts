import { hash as argon2Hash } from '@node-rs/argon2';
import { hash as bcryptHash } from '@node-rs/bcrypt';
import EmailPassword from 'supertokens-node/recipe/emailpassword';
import Session from 'supertokens-node/recipe/session';
import { coreClient } from '../support/core-client.js';
import { coreWithSdk, type CoreStorage } from '../support/sdk.js';

/**
 * Embedded core, bulk import (supertokens-core 11.4's bulk import APIs and its import job),
 * through raw CDI on the three stores: queueing with the real core's validation, the queue's
 * listing, and users imported by the job signing in with their old passwords.
 */
describe.each<CoreStorage>(['memory', 'pglite', 'postgres'])(
  'bulk import on the embedded core (%s)',
  (storage) => {
    const started = (bulkImportIntervalMs: number) => {
      const { core } = coreWithSdk(storage, () => [EmailPassword.init(), Session.init()], {
        bulkImportIntervalMs,
      });
      const cdi: ReturnType<typeof coreClient> = (...args) => coreClient(core())(...args);
      const add = (users: unknown[]) => cdi('POST', '/bulk-import/users', { users });
      const count = async (status?: string) =>
        (await cdi('GET', `/bulk-import/users/count${status ? `?status=${status}` : ''}`)).json
          .count as number;
      /** Until the job has taken every NEW and PROCESSING user (a slow run takes seconds). */
      const queueDrained = async () => {
        for (let i = 0; i < 300; i++) {
          if ((await count('NEW')) + (await count('PROCESSING')) === 0) return;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        throw new Error('the bulk import job did not drain the queue');
      };
      return { cdi, add, count, queueDrained };
    };

    describe('the queue (the job idle)', () => {
      const { cdi, add, count } = started(3_600_000);

      it('refuses invalid users with the real core’s texts, per index, adding none', async () => {
        const reply = await add([
          { externalUserId: [], userMetaData: [], userRoles: {}, totpDevices: {} },
          {
            externalUserId: 'same',
            loginMethods: [
              {
                recipeId: 'emailpassword',
                email: 'ok@example.com',
                plainTextPassword: 'pw-123456',
              },
            ],
          },
          { externalUserId: 'same' },
          {
            loginMethods: [
              {
                recipeId: [],
                tenantIds: {},
                isPrimary: [],
                isVerified: [],
                timeJoinedInMSSinceEpoch: [],
              },
              {
                recipeId: 'emailpassword',
                email: 'x@example.com',
                passwordHash: 'nope',
                hashingAlgorithm: 'bcrypt',
              },
              { recipeId: 'passwordless', tenantIds: ['t-none'] },
            ],
            userRoles: [{ role: 'no-such-role', tenantIds: ['public'] }],
          },
        ]);
        expect(reply.status).toBe(400);
        expect(JSON.parse(reply.text)).toEqual({
          error:
            'Data has missing or invalid fields. Please check the users field for more details.',
          users: [
            {
              index: 0,
              errors: [
                'externalUserId should be of type string.',
                'userRoles should be of type array of object.',
                'totpDevices should be of type array of object.',
                'loginMethods is required.',
              ],
            },
            {
              index: 2,
              errors: [
                'loginMethods is required.',
                'externalUserId same is not unique. It is already used by another user.',
              ],
            },
            {
              index: 3,
              errors: [
                'Role no-such-role does not exist.',
                'recipeId should be of type string for a loginMethod.',
                'tenantIds should be of type array of string for a loginMethod.',
                'isVerified should be of type boolean for a loginMethod.',
                'isPrimary should be of type boolean for a loginMethod.',
                'timeJoinedInMSSinceEpoch should be of type integer for a loginMethod',
                'Password hash is in invalid BCrypt format',
                'Invalid tenantId: t-none for passwordless recipe.',
                'Either email or phoneNumber is required for a passwordless recipe.',
                expect.stringMatching(/^LoginMethod '\{"tenantIds":\[\],.*' has no tenantId$/),
              ],
            },
          ],
        });
        expect(await count()).toBe(0);
        expect((await add([])).json).toEqual({ status: 'OK' });
        const tooMany = await add(Array.from({ length: 10_001 }, () => ({})));
        expect([tooMany.status, tooMany.text.trim()]).toEqual([
          400,
          '{"error":"You can only add 10000 users at a time."}',
        ]);
        for (const [query, text] of [
          ['limit=501', 'Max limit allowed is 500'],
          ['limit=0', 'limit must a positive integer with min value 1'],
          ['limit=x', "Field name 'limit' must be an int in the GET request"],
          ['status=new', 'Invalid value for status. Pass one of NEW, PROCESSING, or FAILED!'],
          ['paginationToken=bm9wZQ==', 'invalid pagination token'],
        ]) {
          const r = await cdi('GET', `/bulk-import/users?${query}`);
          expect([r.status, r.text.trim()]).toEqual([400, text]);
        }
        const removeEmpty = await cdi('POST', '/bulk-import/users/remove', { ids: [''] });
        expect(removeEmpty.text.trim()).toBe("Field name 'ids' cannot contain an empty string");
        const tenant = await cdi('GET', '/t1/bulk-import/users/count');
        expect(tenant.status).not.toBe(200);
      });

      it('queues, lists by pages and removes users', async () => {
        const users = Array.from({ length: 3 }, (_, i) => ({
          loginMethods: [
            {
              recipeId: 'passwordless',
              phoneNumber: `+1415555267${i}`,
              email: ` Q${i}@Example.com `,
            },
          ],
        }));
        const added = await add(users);
        expect(added.status).toBe(200);
        expect(added.json.users[0].loginMethods[0]).toEqual({
          recipeId: 'passwordless',
          userId: added.json.users[0].userId,
          tenants: ['public'],
          email: 'q0@example.com',
          phoneNumber: '+14155552670',
        });
        const page1 = await cdi('GET', '/bulk-import/users?limit=2&status=NEW');
        expect(page1.json.users).toHaveLength(2);
        expect(page1.json.users[0]).toMatchObject({
          status: 'NEW',
          loginMethods: [{ recipeId: 'passwordless' }],
        });
        const page2 = await cdi(
          'GET',
          `/bulk-import/users?limit=2&status=NEW&paginationToken=${encodeURIComponent(page1.json.nextPaginationToken)}`,
        );
        expect(page2.json.nextPaginationToken).toBeUndefined();
        const ids = [...page1.json.users, ...page2.json.users].map((u: { id: string }) => u.id);
        expect(new Set(ids)).toEqual(
          new Set((added.json.users as { userId: string }[]).map((u) => u.userId)),
        );
        const removed = await cdi('POST', '/bulk-import/users/remove', {
          ids: [...ids, 'unknown'],
        });
        expect(removed.json).toEqual({ deletedIds: ids, invalidIds: ['unknown'] });
        expect(await count()).toBe(0);
      });
    });

    // A short interval: the job runs while the test waits for the queue to empty.
    describe('importing', () => {
      const { cdi, add, count, queueDrained } = started(100);

      it('imports queued users with the job: old passwords sign in, roles, metadata, tenants and ids kept; a refused user stays FAILED with why', async () => {
        const tag = storage;
        expect(
          (await cdi('PUT', '/recipe/role', { role: 'admin', permissions: ['read'] })).status,
        ).toBe(200);
        expect(
          (
            await cdi('PUT', '/recipe/multitenancy/tenant/v2', {
              tenantId: 't1',
              firstFactors: null,
            })
          ).status,
        ).toBe(200);
        const taken = `taken-${tag}@example.com`;
        expect(
          (await cdi('POST', '/recipe/signup', { email: taken, password: 'password-123' })).json
            .status,
        ).toBe('OK');
        const bcrypt = await bcryptHash('old-bcrypt-pw', 10);
        const argon2 = await argon2Hash('old-argon2-pw');
        const added = await add([
          {
            externalUserId: `ext-${tag}`,
            userMetadata: { plan: 'gold' },
            userRoles: [{ role: 'admin', tenantIds: ['public', 't1'] }],
            loginMethods: [
              {
                recipeId: 'emailpassword',
                email: `Bcrypt-${tag}@Example.com`,
                passwordHash: bcrypt,
                hashingAlgorithm: 'bcrypt',
                tenantIds: ['public', 't1'],
                isVerified: true,
                timeJoinedInMSSinceEpoch: 1_600_000_000_000,
              },
            ],
          },
          {
            loginMethods: [
              {
                recipeId: 'emailpassword',
                email: `argon-${tag}@example.com`,
                passwordHash: argon2,
                hashingAlgorithm: 'ARGON2',
                isPrimary: true,
              },
              {
                recipeId: 'thirdparty',
                email: `argon-${tag}@example.com`,
                thirdPartyId: 'google',
                thirdPartyUserId: `g-${tag}`,
              },
            ],
          },
          {
            loginMethods: [
              {
                recipeId: 'emailpassword',
                email: `plain-${tag}@example.com`,
                plainTextPassword: 'plain-pw-1',
              },
            ],
          },
          {
            loginMethods: [
              { recipeId: 'emailpassword', email: taken, plainTextPassword: 'whatever-1' },
            ],
          },
        ]);
        expect(added.status).toBe(200);
        const [first, second, , refused] = added.json.users as {
          userId: string;
          loginMethods: { userId: string }[];
        }[];
        expect(first.userId).toBe(`ext-${tag}`);
        await queueDrained();

        const failed = await cdi('GET', '/bulk-import/users?status=FAILED');
        expect(failed.json.users).toEqual([
          expect.objectContaining({
            id: refused.loginMethods[0].userId,
            status: 'FAILED',
            errorMessage: `E003: A user with email ${taken} already exists in emailpassword loginMethod.`,
          }),
        ]);
        expect(await count()).toBe(1);

        const signIn = (email: string, password: string, tenant = '') =>
          cdi('POST', `${tenant}/recipe/signin`, { email, password });
        const bcryptIn = await signIn(`bcrypt-${tag}@example.com`, 'old-bcrypt-pw');
        expect(bcryptIn.json).toMatchObject({
          status: 'OK',
          user: { id: `ext-${tag}`, timeJoined: 1_600_000_000_000 },
        });
        expect([...(bcryptIn.json.user.tenantIds as string[])].sort()).toEqual(['public', 't1']);
        expect(
          (await signIn(`bcrypt-${tag}@example.com`, 'old-bcrypt-pw', '/t1')).json.status,
        ).toBe('OK');
        expect((await signIn(`bcrypt-${tag}@example.com`, 'wrong-pw')).json.status).toBe(
          'WRONG_CREDENTIALS_ERROR',
        );
        const argonIn = await signIn(`argon-${tag}@example.com`, 'old-argon2-pw');
        expect(argonIn.json.user).toMatchObject({
          id: second.loginMethods[0].userId,
          isPrimaryUser: true,
        });
        expect(
          (argonIn.json.user.loginMethods as { recipeId: string }[]).map((m) => m.recipeId).sort(),
        ).toEqual(['emailpassword', 'thirdparty']);
        expect((await signIn(`plain-${tag}@example.com`, 'plain-pw-1')).json.status).toBe('OK');

        const ext = `ext-${tag}`;
        expect((await cdi('GET', `/recipe/userid/map?userId=${ext}`)).json).toMatchObject({
          status: 'OK',
          superTokensUserId: first.loginMethods[0].userId,
          externalUserId: ext,
        });
        expect((await cdi('GET', `/recipe/user/metadata?userId=${ext}`)).json.metadata).toEqual({
          plan: 'gold',
        });
        expect((await cdi('GET', `/recipe/user/roles?userId=${ext}`)).json.roles).toEqual([
          'admin',
        ]);
        expect((await cdi('GET', `/t1/recipe/user/roles?userId=${ext}`)).json.roles).toEqual([
          'admin',
        ]);
        expect(
          (
            await cdi(
              'GET',
              `/recipe/user/email/verify?userId=${ext}&email=bcrypt-${tag}%40example.com`,
            )
          ).json.isVerified,
        ).toBe(true);
      });

      it('imports one user at once with POST /bulk-import/import, refusing with the step’s error', async () => {
        const email = `now-${storage}@example.com`;
        const ok = await cdi('POST', '/bulk-import/import', {
          externalUserId: `now-${storage}`,
          loginMethods: [{ recipeId: 'emailpassword', email, plainTextPassword: 'now-pw-123' }],
        });
        expect(ok.json).toMatchObject({
          status: 'OK',
          user: { id: `now-${storage}`, emails: [email] },
        });
        const again = await cdi('POST', '/bulk-import/import', {
          loginMethods: [{ recipeId: 'emailpassword', email, plainTextPassword: 'now-pw-123' }],
        });
        expect([again.status, JSON.parse(again.text)]).toEqual([
          400,
          {
            errors: [
              `E003: A user with email ${email} already exists in emailpassword loginMethod.`,
            ],
          },
        ]);
        const invalid = await cdi('POST', '/bulk-import/import', {
          userRoles: [{ role: 'x', tenantIds: ['t9'] }],
        });
        expect(JSON.parse(invalid.text)).toEqual({
          errors: [
            'Role x does not exist.',
            'Invalid tenantId: t9 for a user role.',
            'loginMethods is required.',
          ],
        });
      });
    });
  },
);
