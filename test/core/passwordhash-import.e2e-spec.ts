import { type Algorithm, hash as argon2Hash } from '@node-rs/argon2';
import { hash as bcryptHash } from '@node-rs/bcrypt';
import supertokens from 'supertokens-node';
import EmailPassword from 'supertokens-node/recipe/emailpassword';
import Session from 'supertokens-node/recipe/session';
import { startEmbeddedCore, type EmbeddedCore } from '../../src/core/index.js';
import { coreClient } from '../support/core-client.js';
import { coreWithSdk, type CoreStorage } from '../support/sdk.js';

/** The real core's Firebase test vector (ImportUserWithPasswordHashAPITest). */
const SIGNER_KEY =
  'gRhC3eDeQOdyEn4bMd9c6kxguWVmcIVq/SKa0JDPFeM6TcEevkaW56sIWfx88OHbJKnCXdWscZx0l2WbCJ1wbg==';
const FIREBASE_HASH =
  '$f_scrypt$qZM035es5AXYqavsKD6/rhtxg7t5PhcyRgv5blc3doYbChX8keMfQLq1ra96O2Pf2TP/eZrR5xtPCYN6mX3ESA==$/cj0jC1br5o4+w==$m=14$r=8$s=Bw==';
const FIREBASE_PASSWORD = 'testPass123';
const SIGNER_KEY_MISSING =
  "java.lang.IllegalStateException: 'firebase_password_hashing_signer_key' cannot be null";

const PASSWORD = 'imported-pw-1';
/** @node-rs/argon2's `Algorithm` is a const enum, which isolated modules cannot read. */
const argon2 = (algorithm: number) => () =>
  argon2Hash(PASSWORD, { algorithm: algorithm as Algorithm, memoryCost: 1024, timeCost: 1 });
const bcrypt = (identifier: string) => async () =>
  (await bcryptHash(PASSWORD, 4)).replace(/^\$2b\$/, `$${identifier}$`);

/** Each format the real core imports: a hash of `PASSWORD` made by its own library. */
const FORMATS: [string, () => Promise<string>][] = [
  ['bcrypt $2a', bcrypt('2a')],
  ['bcrypt $2b', bcrypt('2b')],
  ['bcrypt $2y', bcrypt('2y')],
  ['argon2i', argon2(1)],
  ['argon2d', argon2(0)],
  ['argon2id', argon2(2)],
];

/**
 * Embedded core, `POST /recipe/user/passwordhash/import` (supertokens-core 11.4's
 * ImportUserWithPasswordHashAPI) and signing in with what it stored, through raw CDI and
 * supertokens-node, on the three stores.
 */
describe.each<CoreStorage>(['memory', 'pglite', 'postgres'])(
  'password hash import on the embedded core (%s)',
  (storage) => {
    const { core } = coreWithSdk(storage, () => [EmailPassword.init(), Session.init()], {
      config: { firebasePasswordHashingSignerKey: SIGNER_KEY },
    });
    const cdi: ReturnType<typeof coreClient> = (...args) => coreClient(core())(...args);
    let n = 0;
    const newEmail = () => `import-${storage}-${++n}@example.com`;
    const importHash = (body: unknown, tenant = '') =>
      cdi('POST', `${tenant}/recipe/user/passwordhash/import`, body);
    const signIn = (email: string, password: string, tenant = '') =>
      cdi('POST', `${tenant}/recipe/signin`, { email, password });
    const storedHash = async (userId: string) =>
      (await core().store.getUser('public', userId))?.loginMethods[0]?.passwordHash;

    it.each<[string, () => Promise<string>, string]>([
      ...FORMATS.map(([name, make]): [string, () => Promise<string>, string] => [
        name,
        make,
        PASSWORD,
      ]),
      ['firebase scrypt', () => Promise.resolve(FIREBASE_HASH), FIREBASE_PASSWORD],
    ])('imports a %s hash as given; sign-in takes its password only', async (_, make, password) => {
      const hash = await make();
      const email = newEmail();
      const imported = await importHash({
        email: ` ${email.toUpperCase()} `,
        passwordHash: ` ${hash}\n`,
      });
      expect(imported.status).toBe(200);
      expect(Object.keys(imported.json)).toEqual(['status', 'user', 'didUserAlreadyExist']);
      expect(imported.json).toEqual({
        status: 'OK',
        user: expect.objectContaining({
          isPrimaryUser: false,
          emails: [email],
          tenantIds: ['public'],
          loginMethods: [
            expect.objectContaining({ recipeId: 'emailpassword', email, verified: false }),
          ],
        }),
        didUserAlreadyExist: false,
      });
      const userId = imported.json.user.id as string;
      // Stored as given (trimmed), so the official core reads the same column.
      expect(await storedHash(userId)).toBe(hash);
      expect((await signIn(email, password)).json).toMatchObject({
        status: 'OK',
        user: { id: userId },
        recipeUserId: userId,
      });
      expect((await signIn(email, `${password}!`)).json).toEqual({
        status: 'WRONG_CREDENTIALS_ERROR',
      });
    });

    it('takes a hashingAlgorithm trimmed and in any case, and checks the hash against it only', async () => {
      const argon = await argon2(2)();
      const bcryptHashed = await bcrypt('2a')();
      const accepted: [string, string][] = [
        [' argon2 ', argon],
        ['bcrypt', bcryptHashed],
        ['Firebase_Scrypt', FIREBASE_HASH],
      ];
      for (const [hashingAlgorithm, passwordHash] of accepted) {
        const reply = await importHash({ email: newEmail(), passwordHash, hashingAlgorithm });
        expect(reply.json).toMatchObject({ status: 'OK', didUserAlreadyExist: false });
      }
      const refused: [string | undefined, string, string][] = [
        ['BCRYPT', argon, 'Password hash is in invalid BCrypt format'],
        ['ARGON2', bcryptHashed, 'Password hash is in invalid Argon2 format'],
        ['FIREBASE_SCRYPT', bcryptHashed, 'Password hash is in invalid Firebase SCrypt format'],
        [undefined, 'plain-text-password', 'Password hash is in invalid format'],
        [
          undefined,
          '$argon2x$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA',
          'Password hash is in invalid format',
        ],
        [undefined, '$f_scrypt$aGFzaA==$c2FsdA==$m=14$r=8', 'Password hash is in invalid format'],
      ];
      for (const [hashingAlgorithm, passwordHash, text] of refused) {
        expect(
          await importHash({ email: newEmail(), passwordHash, hashingAlgorithm }),
        ).toMatchObject({ status: 400, text });
      }
    });

    it('checks only the identifier, as the real core: an unreadable bcrypt hash imports and never signs in', async () => {
      const email = newEmail();
      const imported = await importHash({ email, passwordHash: '$2a$not-a-bcrypt-hash' });
      expect(imported.json).toMatchObject({ status: 'OK' });
      expect(await storedHash(imported.json.user.id)).toBe('$2a$not-a-bcrypt-hash');
      expect((await signIn(email, '$2a$not-a-bcrypt-hash')).json).toEqual({
        status: 'WRONG_CREDENTIALS_ERROR',
      });
    });

    it('answers a bad request with the real core’s 400 texts, in its order', async () => {
      const hash = '$2a$10$abcdefghijklmnopqrstuv';
      const email = 'someone@example.com';
      const cases: [unknown, string][] = [
        ['{not json', 'Invalid Json Input'],
        [
          { passwordHash: hash, hashingAlgorithm: 'BCRYPT' },
          "Field name 'email' is invalid in JSON input",
        ],
        [{ email: 7, passwordHash: hash }, "Field name 'email' is invalid in JSON input"],
        [{ email }, "Field name 'passwordHash' is invalid in JSON input"],
        [{ email, passwordHash: null }, "Field name 'passwordHash' is invalid in JSON input"],
        [
          { email, passwordHash: ' ', hashingAlgorithm: 5 },
          "Field name 'hashingAlgorithm' is invalid in JSON input",
        ],
        [
          { email, passwordHash: hash, hashingAlgorithm: null },
          "Field name 'hashingAlgorithm' is invalid in JSON input",
        ],
        [
          { email, passwordHash: ' \t', hashingAlgorithm: 'SHA1' },
          'Password hash cannot be an empty string',
        ],
        [
          { email, passwordHash: hash, hashingAlgorithm: '  ' },
          'Hashing Algorithm cannot be an empty string',
        ],
        // The algorithm is checked before the hash's format.
        [
          { email, passwordHash: 'x', hashingAlgorithm: 'sha256' },
          'Unsupported password hashing algorithm',
        ],
      ];
      for (const [body, text] of cases) {
        const reply = await importHash(body);
        expect({ status: reply.status, text: reply.text }).toEqual({ status: 400, text });
      }
      expect(await core().store.findUsers('public', 'public', { email })).toEqual([]);
    });

    it('gives an existing emailpassword login the imported hash: didUserAlreadyExist, same user', async () => {
      const email = newEmail();
      const signedUp = await EmailPassword.signUp('public', email, 'old-password-1');
      if (signedUp.status !== 'OK') throw new Error(signedUp.status);
      const imported = await importHash({ email, passwordHash: await argon2(2)() });
      expect(imported.json).toMatchObject({
        status: 'OK',
        user: { id: signedUp.user.id, emails: [email] },
        didUserAlreadyExist: true,
      });
      expect((await signIn(email, 'old-password-1')).json.status).toBe('WRONG_CREDENTIALS_ERROR');
      expect((await signIn(email, PASSWORD)).json).toMatchObject({
        status: 'OK',
        user: { id: signedUp.user.id },
      });
      const again = await importHash({ email, passwordHash: FIREBASE_HASH });
      expect(again.json).toMatchObject({
        user: { id: signedUp.user.id },
        didUserAlreadyExist: true,
      });
      expect(await storedHash(signedUp.user.id)).toBe(FIREBASE_HASH);
    });

    it('imports into the tenant in the path only', async () => {
      expect(
        (
          await cdi('PUT', '/recipe/multitenancy/tenant/v2', {
            tenantId: 'imports',
            firstFactors: null,
          })
        ).json,
      ).toMatchObject({ status: 'OK' });
      const email = newEmail();
      const imported = await importHash({ email, passwordHash: FIREBASE_HASH }, '/imports');
      expect(imported.json).toMatchObject({ status: 'OK', user: { tenantIds: ['imports'] } });
      expect((await signIn(email, FIREBASE_PASSWORD, '/imports')).json.status).toBe('OK');
      expect((await signIn(email, FIREBASE_PASSWORD)).json.status).toBe('WRONG_CREDENTIALS_ERROR');
    });

    it('signs an imported Firebase user in through supertokens-node; a new password is bcrypt', async () => {
      const email = newEmail();
      const imported = await importHash({ email, passwordHash: FIREBASE_HASH });
      const userId = imported.json.user.id as string;
      const signedIn = await EmailPassword.signIn('public', email, FIREBASE_PASSWORD);
      expect(signedIn).toMatchObject({ status: 'OK', user: { id: userId, emails: [email] } });
      expect(await EmailPassword.signIn('public', email, 'testPass124')).toEqual({
        status: 'WRONG_CREDENTIALS_ERROR',
      });
      const changed = await EmailPassword.updateEmailOrPassword({
        recipeUserId: supertokens.convertToRecipeUserId(userId),
        password: 'changed-password-1',
      });
      expect(changed).toEqual({ status: 'OK' });
      expect(await storedHash(userId)).toMatch(/^\$2a\$11\$/);
      expect((await EmailPassword.signIn('public', email, 'changed-password-1')).status).toBe('OK');
    });
  },
);

describe('Firebase scrypt on an embedded core without a signer key', () => {
  let core: EmbeddedCore;
  const cdi: ReturnType<typeof coreClient> = (...args) => coreClient(core)(...args);
  beforeAll(async () => {
    core = await startEmbeddedCore();
  });
  afterAll(() => core.stop());

  it('answers a Firebase hash with the real core’s 500, before reading it when the algorithm is given', async () => {
    const cases = [
      { email: 'fb-1@example.com', passwordHash: FIREBASE_HASH },
      {
        email: 'fb-2@example.com',
        passwordHash: 'not-firebase',
        hashingAlgorithm: 'FIREBASE_SCRYPT',
      },
    ];
    for (const body of cases) {
      expect(await cdi('POST', '/recipe/user/passwordhash/import', body)).toMatchObject({
        status: 500,
        text: SIGNER_KEY_MISSING,
      });
    }
    const bcryptHashed = await bcrypt('2b')();
    expect(
      (
        await cdi('POST', '/recipe/user/passwordhash/import', {
          email: 'fb-3@example.com',
          passwordHash: bcryptHashed,
        })
      ).json,
    ).toMatchObject({ status: 'OK' });
  });

  it('answers signing in to a stored Firebase hash with the same 500; unknown emails stay wrong credentials', async () => {
    const created = await core.store.createEmailPasswordUser('public', 'public', {
      recipeUserId: '6bb9d2d0-8d8b-4c6e-9d67-0f4a7d6c0c11',
      recipeId: 'emailpassword',
      tenantIds: ['public'],
      timeJoined: Date.now(),
      email: 'fb-stored@example.com',
      passwordHash: FIREBASE_HASH,
    });
    expect(created).toBe('OK');
    const signIn = (email: string) =>
      cdi('POST', '/recipe/signin', { email, password: FIREBASE_PASSWORD });
    expect(await signIn('fb-stored@example.com')).toMatchObject({
      status: 500,
      text: SIGNER_KEY_MISSING,
    });
    expect((await signIn('nobody@example.com')).json).toEqual({
      status: 'WRONG_CREDENTIALS_ERROR',
    });
  });

  it("reads an app's signer key from its public tenant's coreConfig", async () => {
    expect(
      (
        await cdi('PUT', '/recipe/multitenancy/app/v2', {
          appId: 'firebase',
          coreConfig: { firebase_password_hashing_signer_key: SIGNER_KEY },
        })
      ).json,
    ).toEqual({ status: 'OK', createdNew: true });
    const body = { email: 'fb-app@example.com', passwordHash: FIREBASE_HASH };
    expect(
      (await cdi('POST', '/appid-firebase/recipe/user/passwordhash/import', body)).json,
    ).toMatchObject({ status: 'OK', didUserAlreadyExist: false });
    expect(
      (
        await cdi('POST', '/appid-firebase/recipe/signin', {
          email: 'fb-app@example.com',
          password: FIREBASE_PASSWORD,
        })
      ).json,
    ).toMatchObject({ status: 'OK' });
  });

  it('refuses a signer key option that is not text, naming the option', async () => {
    await expect(
      startEmbeddedCore({ config: { firebasePasswordHashingSignerKey: 42 as unknown as string } }),
    ).rejects.toThrow(
      "Embedded core option config.firebasePasswordHashingSignerKey: 'firebase_password_hashing_signer_key' must be a string",
    );
  });
});
