import supertokens from 'supertokens-node';
import Multitenancy from 'supertokens-node/recipe/multitenancy';
import Session from 'supertokens-node/recipe/session';
import WebAuthn from 'supertokens-node/recipe/webauthn';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import { TestPasskey, type PasskeyUse } from '../../src/testing/passkey.js';
import { coreClient } from '../support/core-client.js';
import { coreWithSdk, type CoreStorage } from '../support/sdk.js';

const RP_ID = 'example.com';
const RP_NAME = 'Acme';
const ORIGIN = 'https://login.example.com';
const HOUR = 3_600_000;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const NOT_PRESENT =
  'Verifier is configured to check user present, but UP flag in authenticatorData is not set.';
const OTHER_CHALLENGE = 'The actual challenge does not match the expected challenge';

/** What the tests vary in the options they ask for. */
interface OptionsInput {
  tenantId?: string;
  origin?: string;
  timeout?: number;
  userPresence?: boolean;
}

/**
 * The same attestation answered to other options: a `none` attestation signs nothing, so only
 * clientDataJSON changes (how a client would register a credential id a second time).
 */
function reattest(attestation: RegistrationResponseJSON, challenge: string) {
  const clientData = { type: 'webauthn.create', challenge, origin: ORIGIN, crossOrigin: false };
  return {
    ...attestation,
    response: {
      ...attestation.response,
      clientDataJSON: isoBase64URL.fromUTF8String(JSON.stringify(clientData)),
    },
  };
}

/**
 * Embedded core, WebAuthn (supertokens-core 11.4's webauthn/ handlers) through supertokens-node,
 * with `TestPasskey` as the authenticator, on every store. The core's clock is the test's, so
 * options and recovery tokens expire when the test says. Besides the real core's contract, the
 * embedded core's deliberate deviations are asserted: a dot-boundary origin check, options whose
 * challenge is spent by a successful use, user presence required unless the options waive it,
 * and 200 statuses where the real core answers 500.
 */
describe.each<CoreStorage>(['memory', 'pglite', 'postgres'])(
  'WebAuthn on the embedded core (%s)',
  (storage) => {
    let clock = Date.now();
    const { core } = coreWithSdk(storage, () => [WebAuthn.init(), Session.init()], {
      now: () => clock,
    });
    const cdi: ReturnType<typeof coreClient> = (...args) => coreClient(core())(...args);
    let n = 0;
    const newEmail = () => `passkey-${storage}-${n++}@example.com`;

    const registerOptions = async (email: string, input: OptionsInput = {}) => {
      const options = await WebAuthn.registerOptions({
        relyingPartyId: RP_ID,
        relyingPartyName: RP_NAME,
        origin: input.origin ?? ORIGIN,
        email,
        displayName: undefined,
        residentKey: undefined,
        userVerification: undefined,
        userPresence: input.userPresence,
        attestation: undefined,
        supportedAlgorithmIds: undefined,
        timeout: input.timeout,
        tenantId: input.tenantId ?? 'public',
      });
      if (options.status !== 'OK') throw new Error(`register options: ${JSON.stringify(options)}`);
      return options;
    };
    const signInOptions = async (input: OptionsInput = {}) => {
      const options = await WebAuthn.signInOptions({
        relyingPartyId: RP_ID,
        relyingPartyName: RP_NAME,
        origin: input.origin ?? ORIGIN,
        userVerification: undefined,
        userPresence: input.userPresence,
        timeout: input.timeout,
        tenantId: input.tenantId ?? 'public',
      });
      if (options.status !== 'OK') throw new Error(`sign-in options: ${JSON.stringify(options)}`);
      return options;
    };
    /** A new passkey user (through the SDK's signUp): its passkey, attestation and user. */
    const signUp = async (
      email = newEmail(),
      passkey = new TestPasskey({ origin: ORIGIN }),
      tenantId = 'public',
    ) => {
      clock += 1_000; // a later join time than any user before
      const options = await registerOptions(email, { tenantId });
      const credential = passkey.register(options);
      const result = await WebAuthn.signUp({
        webauthnGeneratedOptionsId: options.webauthnGeneratedOptionsId,
        credential,
        session: undefined,
        shouldTryLinkingWithSessionUser: false,
        tenantId,
      });
      if (result.status !== 'OK') throw new Error(`sign-up: ${JSON.stringify(result)}`);
      return {
        email,
        passkey,
        credential,
        user: result.user,
        recipeUserId: result.recipeUserId.getAsString(),
      };
    };
    /** The core's raw answer to the passkey's assertion to new sign-in options. */
    const rawSignIn = async (passkey: TestPasskey, use: PasskeyUse = {}, tenantId = 'public') => {
      const options = await signInOptions({ tenantId });
      return cdi('POST', `/${tenantId}/recipe/webauthn/signin`, {
        webauthnGeneratedOptionsId: options.webauthnGeneratedOptionsId,
        credential: passkey.authenticate({ challenge: options.challenge, rpId: RP_ID }, use),
      });
    };

    describe('options', () => {
      it('answers register options in the real core shape, kept for GET with presence required', async () => {
        const reply = await cdi('POST', '/public/recipe/webauthn/options/register', {
          email: ' Ann@Example.COM ',
          relyingPartyName: RP_NAME,
          relyingPartyId: RP_ID,
          origin: ORIGIN,
        });
        expect(reply.status).toBe(200);
        const id: string = reply.json.webauthnGeneratedOptionsId;
        expect(Object.keys(reply.json)).toEqual([
          'webauthnGeneratedOptionsId',
          'rp',
          'user',
          'email',
          'timeout',
          'challenge',
          'attestation',
          'createdAt',
          'expiresAt',
          'pubKeyCredParams',
          'excludeCredentials',
          'authenticatorSelection',
          'status',
        ]);
        expect(reply.json).toEqual({
          webauthnGeneratedOptionsId: expect.stringMatching(UUID),
          rp: { id: RP_ID, name: RP_NAME },
          // Nobody has the email yet: the user handle is the options id.
          user: {
            id: isoBase64URL.fromUTF8String(id),
            name: 'ann@example.com',
            displayName: 'ann@example.com',
          },
          email: 'ann@example.com',
          timeout: 6000,
          challenge: expect.stringMatching(TOKEN),
          attestation: 'none',
          createdAt: clock,
          expiresAt: clock + 6000,
          pubKeyCredParams: [-8, -7, -257].map((alg) => ({ alg, type: 'public-key' })),
          excludeCredentials: [],
          authenticatorSelection: {
            requireResidentKey: true,
            residentKey: 'required',
            userVerification: 'preferred',
          },
          status: 'OK',
        });
        const read = await cdi(
          'GET',
          `/public/recipe/webauthn/options?webauthnGeneratedOptionsId=${id}`,
        );
        expect(Object.keys(read.json)).toEqual([
          'status',
          'webauthnGeneratedOptionsId',
          'relyingPartyId',
          'relyingPartyName',
          'challenge',
          'timeout',
          'origin',
          'email',
          'createdAt',
          'expiresAt',
          'userVerification',
          'userPresence',
        ]);
        expect(read.json).toEqual({
          status: 'OK',
          webauthnGeneratedOptionsId: id,
          relyingPartyId: RP_ID,
          relyingPartyName: RP_NAME,
          challenge: reply.json.challenge,
          timeout: 6000,
          origin: ORIGIN,
          email: 'ann@example.com',
          createdAt: clock,
          expiresAt: clock + 6000,
          userVerification: 'preferred',
          // Deviation: the real core defaults userPresence to false.
          userPresence: true,
        });
      });

      it('answers sign-in options in the real core shape, with no email kept', async () => {
        const reply = await cdi('POST', '/public/recipe/webauthn/options/signin', {
          relyingPartyId: RP_ID,
          relyingPartyName: RP_NAME,
          origin: ORIGIN,
          timeout: 30_000,
        });
        expect(Object.keys(reply.json)).toEqual([
          'webauthnGeneratedOptionsId',
          'relyingPartyId',
          'challenge',
          'timeout',
          'userVerification',
          'userPresence',
          'createdAt',
          'expiresAt',
          'status',
        ]);
        expect(reply.json).toEqual({
          webauthnGeneratedOptionsId: expect.stringMatching(UUID),
          relyingPartyId: RP_ID,
          challenge: expect.stringMatching(TOKEN),
          timeout: 30_000,
          userVerification: 'preferred',
          userPresence: true,
          createdAt: clock,
          expiresAt: clock + 30_000,
          status: 'OK',
        });
        const read = await WebAuthn.getGeneratedOptions({
          webauthnGeneratedOptionsId: reply.json.webauthnGeneratedOptionsId,
          tenantId: 'public',
        });
        expect(read).toMatchObject({ status: 'OK', email: null, timeout: 30_000 });
      });

      it('removes options: gone for GET and for a sign-in', async () => {
        const { passkey } = await signUp();
        const options = await signInOptions();
        const webauthnGeneratedOptionsId = options.webauthnGeneratedOptionsId;
        expect(
          await WebAuthn.removeGeneratedOptions({ webauthnGeneratedOptionsId, tenantId: 'public' }),
        ).toEqual({ status: 'OK' });
        expect(
          await WebAuthn.removeGeneratedOptions({ webauthnGeneratedOptionsId, tenantId: 'public' }),
        ).toEqual({ status: 'OPTIONS_NOT_FOUND_ERROR' });
        expect(
          await WebAuthn.getGeneratedOptions({ webauthnGeneratedOptionsId, tenantId: 'public' }),
        ).toEqual({ status: 'OPTIONS_NOT_FOUND_ERROR' });
        const credential = passkey.authenticate({ challenge: options.challenge, rpId: RP_ID });
        expect(
          await WebAuthn.verifyCredentials({
            webauthnGeneratedOptionsId,
            credential,
            tenantId: 'public',
          }),
        ).toEqual({ status: 'OPTIONS_NOT_FOUND_ERROR' });
      });

      it('checks the origin against the relying party id at a dot boundary (deviation: the real core takes any suffix)', async () => {
        for (const path of ['options/register', 'options/signin']) {
          const ask = async (origin: string, relyingPartyId = RP_ID): Promise<unknown> =>
            (
              await cdi('POST', `/public/recipe/webauthn/${path}`, {
                email: 'origin@example.com',
                relyingPartyName: RP_NAME,
                relyingPartyId,
                origin,
              })
            ).json;
          const mismatch = {
            status: 'INVALID_OPTIONS_ERROR',
            reason: 'Origin does not match RelyingParty Id',
          };
          expect(await ask('https://evilexample.com')).toEqual(mismatch);
          expect(await ask('https://example.com.evil.net')).toEqual(mismatch);
          expect(await ask('http://evillocalhost:3000', 'localhost')).toEqual(mismatch);
          // WHATWG URL parsing refuses a host that ends like an IPv4 address: not a valid url.
          expect(await ask('http://evil127.0.0.1:3400', '127.0.0.1')).toMatchObject({
            status: 'INVALID_OPTIONS_ERROR',
          });
          expect(await ask('not a url')).toEqual({
            status: 'INVALID_OPTIONS_ERROR',
            reason: 'Origin has to be a valid url!',
          });
          for (const [origin, relyingPartyId] of [
            ['https://example.com', RP_ID],
            ['https://login.example.com', RP_ID],
            ['http://a.b.example.com:8443', RP_ID],
            ['http://localhost:3000', 'localhost'],
            ['http://127.0.0.1:3400', '127.0.0.1'],
          ]) {
            expect(await ask(origin, relyingPartyId)).toMatchObject({ status: 'OK' });
          }
        }
        expect(
          await WebAuthn.registerOptions({
            relyingPartyId: RP_ID,
            relyingPartyName: RP_NAME,
            origin: 'https://evilexample.com',
            email: 'origin@example.com',
            displayName: undefined,
            residentKey: undefined,
            userVerification: undefined,
            userPresence: undefined,
            attestation: undefined,
            supportedAlgorithmIds: undefined,
            timeout: undefined,
            tenantId: 'public',
          }),
        ).toMatchObject({ status: 'INVALID_OPTIONS_ERROR' });
      });

      it('refuses options past their timeout, on the core clock; GET still reads them', async () => {
        const passkey = new TestPasskey({ origin: ORIGIN });
        const options = await registerOptions(newEmail(), { timeout: 10_000 });
        expect(options.expiresAt - options.createdAt).toBe(10_000);
        const credential = passkey.register(options);
        clock += 10_001;
        const webauthnGeneratedOptionsId = options.webauthnGeneratedOptionsId;
        const late = await cdi('POST', '/public/recipe/webauthn/signup', {
          webauthnGeneratedOptionsId,
          credential,
        });
        expect(late.json).toEqual({ status: 'INVALID_OPTIONS_ERROR', reason: 'Options expired' });
        expect(
          await WebAuthn.getGeneratedOptions({ webauthnGeneratedOptionsId, tenantId: 'public' }),
        ).toMatchObject({ status: 'OK', webauthnGeneratedOptionsId });

        // Sign-in options still serve at their last millisecond, and not one after.
        const { passkey: signedUp } = await signUp();
        const verify = async (wait: number) => {
          const signIn = await signInOptions({ timeout: 5_000 });
          clock += wait;
          return WebAuthn.verifyCredentials({
            webauthnGeneratedOptionsId: signIn.webauthnGeneratedOptionsId,
            credential: signedUp.authenticate({ challenge: signIn.challenge, rpId: RP_ID }),
            tenantId: 'public',
          });
        };
        expect(await verify(5_000)).toEqual({ status: 'OK' });
        expect(await verify(5_001)).toEqual({ status: 'INVALID_OPTIONS_ERROR' });
      });
    });

    describe('sign-up and sign-in', () => {
      it('signs a passkey user up: the real core shape, a webauthn login method, a user handle from then on', async () => {
        const email = newEmail();
        const passkey = new TestPasskey({ origin: ORIGIN, attestation: 'packed' });
        const options = await registerOptions(email);
        const credential = passkey.register(options);
        const reply = await cdi('POST', '/public/recipe/webauthn/signup', {
          webauthnGeneratedOptionsId: options.webauthnGeneratedOptionsId,
          credential,
        });
        expect(Object.keys(reply.json)).toEqual([
          'status',
          'user',
          'webauthnCredentialId',
          'relyingPartyId',
          'relyingPartyName',
          'recipeUserId',
        ]);
        const userId: string = reply.json.recipeUserId;
        expect(reply.json).toEqual({
          status: 'OK',
          user: {
            id: userId,
            isPrimaryUser: false,
            tenantIds: ['public'],
            timeJoined: clock,
            emails: [email],
            phoneNumbers: [],
            thirdParty: [],
            webauthn: { credentialIds: [credential.id] },
            loginMethods: [
              {
                tenantIds: ['public'],
                recipeUserId: userId,
                verified: false,
                timeJoined: clock,
                recipeId: 'webauthn',
                email,
                webauthn: { credentialIds: [credential.id] },
              },
            ],
          },
          webauthnCredentialId: credential.id,
          relyingPartyId: RP_ID,
          relyingPartyName: RP_NAME,
          recipeUserId: expect.stringMatching(UUID),
        });
        const user = await supertokens.getUser(userId);
        expect(user?.webauthn.credentialIds).toEqual([credential.id]);
        expect(user?.loginMethods[0]).toMatchObject({
          recipeId: 'webauthn',
          email,
          webauthn: { credentialIds: [credential.id] },
        });
        // Options for a known email carry the user's id as the handle.
        const again = await registerOptions(email);
        expect(again.user.id).toBe(isoBase64URL.fromUTF8String(userId));
      });

      it('signs the user in: the real core shape, through the SDK too', async () => {
        const { passkey, user, recipeUserId } = await signUp();
        const reply = await rawSignIn(passkey);
        expect(Object.keys(reply.json)).toEqual(['status', 'user', 'recipeUserId']);
        expect(reply.json).toMatchObject({
          status: 'OK',
          user: { id: user.id, webauthn: { credentialIds: [passkey.credentials[0].id] } },
          recipeUserId,
        });
        const options = await signInOptions();
        const signedIn = await WebAuthn.signIn({
          webauthnGeneratedOptionsId: options.webauthnGeneratedOptionsId,
          credential: passkey.authenticate({ challenge: options.challenge, rpId: RP_ID }),
          session: undefined,
          shouldTryLinkingWithSessionUser: false,
          tenantId: 'public',
        });
        if (signedIn.status !== 'OK') throw new Error(signedIn.status);
        expect(signedIn.user.id).toBe(user.id);
        expect(signedIn.recipeUserId.getAsString()).toBe(recipeUserId);
      });

      it('refuses a second passkey user with the same email in a tenant (EMAIL_ALREADY_EXISTS_ERROR), not in another', async () => {
        const { email } = await signUp();
        const options = await registerOptions(email);
        const second = await WebAuthn.signUp({
          webauthnGeneratedOptionsId: options.webauthnGeneratedOptionsId,
          credential: new TestPasskey({ origin: ORIGIN }).register(options),
          session: undefined,
          shouldTryLinkingWithSessionUser: false,
          tenantId: 'public',
        });
        expect(second).toEqual({ status: 'EMAIL_ALREADY_EXISTS_ERROR' });
        await Multitenancy.createOrUpdateTenant('passkeys-email', { firstFactors: ['webauthn'] });
        const elsewhere = await signUp(email, undefined, 'passkeys-email');
        expect(elsewhere.user.tenantIds).toEqual(['passkeys-email']);
      });

      it.each<[string, PasskeyUse, string]>([
        ['a tampered signature', { corruptSignature: true }, 'Assertion signature is not valid.'],
        [
          'another origin',
          { origin: 'https://evil.example.com' },
          "The collectedClientData 'https://evil.example.com' origin doesn't match any of the preconfigured server origin.",
        ],
        ['another challenge', { challenge: 'A'.repeat(43) }, OTHER_CHALLENGE],
        [
          'another relying party',
          { rpId: 'evil.example.com' },
          "rpIdHash doesn't match the hash of preconfigured rpId.",
        ],
        [
          'a registration response type',
          { type: 'webauthn.create' },
          "ClientData.type must be 'get' on authentication, but it isn't.",
        ],
      ])(
        'refuses an assertion with %s (INVALID_AUTHENTICATOR_ERROR); the honest one passes',
        async (_, tamper, reason) => {
          const { passkey, user } = await signUp();
          expect((await rawSignIn(passkey, tamper)).json).toEqual({
            status: 'INVALID_AUTHENTICATOR_ERROR',
            reason,
          });
          expect((await rawSignIn(passkey)).json).toMatchObject({
            status: 'OK',
            user: { id: user.id },
          });
        },
      );

      it('refuses a registration for another origin, and one whose packed signature was corrupted (stricter than the real core, which trusts every attestation)', async () => {
        const email = newEmail();
        const passkey = new TestPasskey({ origin: ORIGIN, attestation: 'packed' });
        for (const tamper of [{ corruptSignature: true }, { origin: 'https://evil.example.com' }]) {
          const options = await registerOptions(email);
          const reply = await cdi('POST', '/public/recipe/webauthn/signup', {
            webauthnGeneratedOptionsId: options.webauthnGeneratedOptionsId,
            credential: passkey.register(options, tamper),
          });
          expect(reply.json).toMatchObject({ status: 'INVALID_AUTHENTICATOR_ERROR' });
        }
        expect(await supertokens.listUsersByAccountInfo('public', { email })).toEqual([]);
      });

      it('refuses a credential the core does not know (CREDENTIAL_NOT_FOUND_ERROR)', async () => {
        const stranger = new TestPasskey({ origin: ORIGIN });
        stranger.register(await registerOptions(newEmail())); // never sent to the core
        expect((await rawSignIn(stranger)).json).toEqual({ status: 'CREDENTIAL_NOT_FOUND_ERROR' });
      });

      it('refuses a counter that did not move forward; an always-zero counter passes', async () => {
        const { passkey } = await signUp();
        expect((await rawSignIn(passkey)).json.status).toBe('OK');
        expect((await rawSignIn(passkey)).json.status).toBe('OK');
        for (const signCount of [2, 1]) {
          expect((await rawSignIn(passkey, { signCount })).json).toEqual({
            status: 'INVALID_AUTHENTICATOR_ERROR',
            reason: 'Malicious counter value is detected. Cloned authenticators exist in parallel.',
          });
        }
        expect((await rawSignIn(passkey)).json.status).toBe('OK');
        const zero = await signUp(undefined, new TestPasskey({ origin: ORIGIN, counter: 'zero' }));
        for (let i = 0; i < 2; i++) {
          expect((await rawSignIn(zero.passkey)).json.status).toBe('OK');
        }
      });

      it('signs a passkey of one tenant in through another tenant of the app, as the real core does', async () => {
        await Multitenancy.createOrUpdateTenant('passkeys-other', { firstFactors: ['webauthn'] });
        const { passkey, user } = await signUp();
        const options = await signInOptions({ tenantId: 'passkeys-other' });
        const signedIn = await WebAuthn.signIn({
          webauthnGeneratedOptionsId: options.webauthnGeneratedOptionsId,
          credential: passkey.authenticate({ challenge: options.challenge, rpId: RP_ID }),
          session: undefined,
          shouldTryLinkingWithSessionUser: false,
          tenantId: 'passkeys-other',
        });
        expect(signedIn).toMatchObject({
          status: 'OK',
          user: { id: user.id, tenantIds: ['public'] },
        });
      });

      it('requires user presence unless the options waive it (deviation: userPresence defaults to true)', async () => {
        const email = newEmail();
        const absent = new TestPasskey({ origin: ORIGIN, userPresent: false });
        const strict = await registerOptions(email);
        const refused = await cdi('POST', '/public/recipe/webauthn/signup', {
          webauthnGeneratedOptionsId: strict.webauthnGeneratedOptionsId,
          credential: absent.register(strict),
        });
        expect(refused.json).toEqual({
          status: 'INVALID_AUTHENTICATOR_ERROR',
          reason: NOT_PRESENT,
        });
        const lenient = await registerOptions(email, { userPresence: false });
        expect(
          await WebAuthn.getGeneratedOptions({
            webauthnGeneratedOptionsId: lenient.webauthnGeneratedOptionsId,
            tenantId: 'public',
          }),
        ).toMatchObject({ status: 'OK', userPresence: false });
        const accepted = await cdi('POST', '/public/recipe/webauthn/signup', {
          webauthnGeneratedOptionsId: lenient.webauthnGeneratedOptionsId,
          credential: absent.register(lenient),
        });
        expect(accepted.json.status).toBe('OK');
        const { passkey } = await signUp();
        expect((await rawSignIn(passkey, { userPresent: false })).json).toEqual({
          status: 'INVALID_AUTHENTICATOR_ERROR',
          reason: NOT_PRESENT,
        });
      });
    });

    describe('options spent by a successful use (deviation: the real core lets them be reused)', () => {
      it('refuses the same sign-in again, and a new assertion to the spent challenge; GET still reads them', async () => {
        // A counter that stays 0 would let the real core accept the replay.
        const { passkey, user } = await signUp(
          undefined,
          new TestPasskey({ origin: ORIGIN, counter: 'zero' }),
        );
        const options = await signInOptions();
        const webauthnGeneratedOptionsId = options.webauthnGeneratedOptionsId;
        const body = {
          webauthnGeneratedOptionsId,
          credential: passkey.authenticate({ challenge: options.challenge, rpId: RP_ID }),
        };
        const first = await cdi('POST', '/public/recipe/webauthn/signin', body);
        expect(first.json).toMatchObject({ status: 'OK', user: { id: user.id } });
        const refused = { status: 'INVALID_AUTHENTICATOR_ERROR', reason: OTHER_CHALLENGE };
        expect((await cdi('POST', '/public/recipe/webauthn/signin', body)).json).toEqual(refused);
        const fresh = passkey.authenticate({ challenge: options.challenge, rpId: RP_ID });
        expect(
          (
            await cdi('POST', '/public/recipe/webauthn/signin', {
              webauthnGeneratedOptionsId,
              credential: fresh,
            })
          ).json,
        ).toEqual(refused);
        // supertokens-node 24.0.3 reads the options after a sign-in: they still answer.
        const read = await WebAuthn.getGeneratedOptions({
          webauthnGeneratedOptionsId,
          tenantId: 'public',
        });
        expect(read).toMatchObject({ status: 'OK', webauthnGeneratedOptionsId });
        expect(read.status === 'OK' && read.challenge).not.toBe(options.challenge);
      });

      it('refuses the same sign-up again', async () => {
        const options = await registerOptions(newEmail());
        const body = {
          webauthnGeneratedOptionsId: options.webauthnGeneratedOptionsId,
          credential: new TestPasskey({ origin: ORIGIN }).register(options),
        };
        expect((await cdi('POST', '/public/recipe/webauthn/signup', body)).json.status).toBe('OK');
        expect((await cdi('POST', '/public/recipe/webauthn/signup', body)).json).toEqual({
          status: 'INVALID_AUTHENTICATOR_ERROR',
          reason: OTHER_CHALLENGE,
        });
      });

      it('refuses the same credential registration again', async () => {
        const { email, recipeUserId } = await signUp();
        const options = await registerOptions(email);
        const body = {
          recipeUserId,
          webauthnGeneratedOptionsId: options.webauthnGeneratedOptionsId,
          credential: new TestPasskey({ origin: ORIGIN }).register(options),
        };
        const path = '/recipe/webauthn/user/credential/register';
        expect((await cdi('POST', path, body)).json.status).toBe('OK');
        expect((await cdi('POST', path, body)).json).toEqual({
          status: 'INVALID_AUTHENTICATOR_ERROR',
          reason: OTHER_CHALLENGE,
        });
      });
    });

    describe('credentials', () => {
      it('registers, gets, lists and removes a user’s passkeys', async () => {
        const { email, passkey, credential, user, recipeUserId } = await signUp();
        const options = await registerOptions(email);
        const second = passkey.register(options);
        const registered = await cdi('POST', '/recipe/webauthn/user/credential/register', {
          recipeUserId,
          webauthnGeneratedOptionsId: options.webauthnGeneratedOptionsId,
          credential: second,
        });
        expect(Object.keys(registered.json)).toEqual([
          'status',
          'webauthnCredentialId',
          'recipeUserId',
          'email',
          'relyingPartyId',
          'relyingPartyName',
        ]);
        expect(registered.json).toEqual({
          status: 'OK',
          webauthnCredentialId: second.id,
          recipeUserId,
          email,
          relyingPartyId: RP_ID,
          relyingPartyName: RP_NAME,
        });
        const got = await cdi(
          'GET',
          `/recipe/webauthn/user/credential?webauthnCredentialId=${second.id}&recipeUserId=${recipeUserId}`,
        );
        expect(Object.keys(got.json)).toEqual([
          'webauthnCredentialId',
          'recipeUserId',
          'relyingPartyId',
          'createdAt',
          'updatedAt',
          'status',
        ]);
        expect(got.json).toEqual({
          webauthnCredentialId: second.id,
          recipeUserId,
          relyingPartyId: RP_ID,
          createdAt: clock,
          updatedAt: clock,
          status: 'OK',
        });
        const viaSdk = await WebAuthn.getCredential({
          webauthnCredentialId: credential.id,
          recipeUserId,
        });
        expect(viaSdk).toMatchObject({ status: 'OK', webauthnCredentialId: credential.id });
        const listed = await WebAuthn.listCredentials({ recipeUserId });
        expect(Object.keys(listed)).toEqual(['credentials', 'status']);
        expect(listed.credentials.map((c) => Object.keys(c))).toEqual([
          ['webauthnCredentialId', 'recipeUserId', 'relyingPartyId', 'createdAt'],
          ['webauthnCredentialId', 'recipeUserId', 'relyingPartyId', 'createdAt'],
        ]);
        expect(listed.credentials.map((c) => c.webauthnCredentialId).sort()).toEqual(
          [credential.id, second.id].sort(),
        );
        const both = await supertokens.getUser(user.id);
        expect([...(both?.webauthn.credentialIds ?? [])].sort()).toEqual(
          [credential.id, second.id].sort(),
        );
        // Either passkey signs the same user in.
        const signedIn = await rawSignIn(passkey, { credentialId: credential.id });
        expect(signedIn.json).toMatchObject({ status: 'OK', user: { id: user.id } });

        expect(
          await WebAuthn.removeCredential({ webauthnCredentialId: second.id, recipeUserId }),
        ).toEqual({ status: 'OK' });
        expect(
          await WebAuthn.removeCredential({ webauthnCredentialId: second.id, recipeUserId }),
        ).toEqual({ status: 'CREDENTIAL_NOT_FOUND_ERROR' });
        expect(
          await WebAuthn.getCredential({ webauthnCredentialId: second.id, recipeUserId }),
        ).toEqual({ status: 'CREDENTIAL_NOT_FOUND_ERROR' });
        expect((await rawSignIn(passkey)).json).toEqual({ status: 'CREDENTIAL_NOT_FOUND_ERROR' });
        expect((await WebAuthn.listCredentials({ recipeUserId })).credentials).toHaveLength(1);
      });

      it('refuses a credential for an unknown user (UNKNOWN_USER_ID_ERROR)', async () => {
        const options = await registerOptions(newEmail());
        const reply = await cdi('POST', '/recipe/webauthn/user/credential/register', {
          recipeUserId: 'no-such-user',
          webauthnGeneratedOptionsId: options.webauthnGeneratedOptionsId,
          credential: new TestPasskey({ origin: ORIGIN }).register(options),
        });
        expect(reply.json).toEqual({ status: 'UNKNOWN_USER_ID_ERROR' });
        expect(
          (await WebAuthn.listCredentials({ recipeUserId: 'no-such-user' })).credentials,
        ).toEqual([]);
      });

      it('refuses a credential id registered already (deviation: CREDENTIAL_ALREADY_EXISTS_ERROR, not a 500)', async () => {
        const { email, credential, recipeUserId } = await signUp();
        const options = await registerOptions(email);
        const again = await cdi('POST', '/recipe/webauthn/user/credential/register', {
          recipeUserId,
          webauthnGeneratedOptionsId: options.webauthnGeneratedOptionsId,
          credential: reattest(credential, options.challenge),
        });
        expect([again.status, again.json]).toEqual([
          200,
          { status: 'CREDENTIAL_ALREADY_EXISTS_ERROR' },
        ]);
        const otherEmail = newEmail();
        const signUpOptions = await registerOptions(otherEmail);
        const duplicate = await cdi('POST', '/public/recipe/webauthn/signup', {
          webauthnGeneratedOptionsId: signUpOptions.webauthnGeneratedOptionsId,
          credential: reattest(credential, signUpOptions.challenge),
        });
        expect([duplicate.status, duplicate.json]).toEqual([
          200,
          { status: 'CREDENTIAL_ALREADY_EXISTS_ERROR' },
        ]);
        // Nothing of the refused sign-up was kept.
        expect(await supertokens.listUsersByAccountInfo('public', { email: otherEmail })).toEqual(
          [],
        );
      });

      it('refuses a credential id that is not base64url (deviation: INVALID_CREDENTIALS_ERROR, not a 500)', async () => {
        const { passkey } = await signUp();
        const options = await signInOptions();
        const assertion = passkey.authenticate({ challenge: options.challenge, rpId: RP_ID });
        const signIn = await cdi('POST', '/public/recipe/webauthn/signin', {
          webauthnGeneratedOptionsId: options.webauthnGeneratedOptionsId,
          credential: { ...assertion, id: 'not+base64/url' },
        });
        expect([signIn.status, signIn.json]).toMatchObject([
          200,
          { status: 'INVALID_CREDENTIALS_ERROR' },
        ]);
        const register = await registerOptions(newEmail());
        const attestation = new TestPasskey({ origin: ORIGIN }).register(register);
        const signUpReply = await cdi('POST', '/public/recipe/webauthn/signup', {
          webauthnGeneratedOptionsId: register.webauthnGeneratedOptionsId,
          credential: { ...attestation, id: 'not+base64/url' },
        });
        expect([signUpReply.status, signUpReply.json]).toMatchObject([
          200,
          { status: 'INVALID_CREDENTIALS_ERROR' },
        ]);
      });
    });

    describe('account recovery', () => {
      it('makes a token that reads the user and is consumed once, with every token of the email', async () => {
        const { email, user, recipeUserId } = await signUp();
        const generate = () =>
          WebAuthn.generateRecoverAccountToken({ tenantId: 'public', userId: user.id, email });
        const generated = await generate();
        expect(generated).toEqual({ status: 'OK', token: expect.stringMatching(TOKEN) });
        if (generated.status !== 'OK') throw new Error(generated.status);
        const other = await generate();
        if (other.status !== 'OK') throw new Error(other.status);

        const raw = await cdi(
          'GET',
          `/public/recipe/webauthn/user/recover?token=${generated.token}`,
        );
        expect(Object.keys(raw.json)).toEqual(['status', 'recipeUserId', 'user']);
        expect(raw.json).toMatchObject({ status: 'OK', recipeUserId, user: { id: user.id } });
        const read = await WebAuthn.getUserFromRecoverAccountToken({
          token: generated.token,
          tenantId: 'public',
        });
        if (read.status !== 'OK') throw new Error(read.status);
        expect(read.user.id).toBe(user.id);
        expect(read.recipeUserId?.getAsString()).toBe(recipeUserId);

        const consume = (token: string) =>
          WebAuthn.consumeRecoverAccountToken({ token, tenantId: 'public' });
        const consumed = await cdi('POST', '/public/recipe/webauthn/user/recover/token/consume', {
          token: generated.token,
        });
        expect(Object.keys(consumed.json)).toEqual(['status', 'userId', 'email']);
        expect(consumed.json).toEqual({ status: 'OK', userId: user.id, email });
        const invalid = { status: 'RECOVER_ACCOUNT_TOKEN_INVALID_ERROR' };
        expect(await consume(generated.token)).toEqual(invalid);
        expect(await consume(other.token)).toEqual(invalid);
        expect(
          await WebAuthn.getUserFromRecoverAccountToken({
            token: generated.token,
            tenantId: 'public',
          }),
        ).toEqual(invalid);
        expect(
          await WebAuthn.generateRecoverAccountToken({
            tenantId: 'public',
            userId: 'no-such-user',
            email,
          }),
        ).toEqual({ status: 'UNKNOWN_USER_ID_ERROR' });
      });

      it('refuses a token past its hour, on the core clock', async () => {
        const { email, user } = await signUp();
        const generated = await WebAuthn.generateRecoverAccountToken({
          tenantId: 'public',
          userId: user.id,
          email,
        });
        if (generated.status !== 'OK') throw new Error(generated.status);
        const token = generated.token;
        clock += HOUR;
        expect(
          await WebAuthn.getUserFromRecoverAccountToken({ token, tenantId: 'public' }),
        ).toMatchObject({ status: 'OK', user: { id: user.id } });
        clock += 1;
        const invalid = { status: 'RECOVER_ACCOUNT_TOKEN_INVALID_ERROR' };
        expect(
          await WebAuthn.getUserFromRecoverAccountToken({ token, tenantId: 'public' }),
        ).toEqual(invalid);
        expect(await WebAuthn.consumeRecoverAccountToken({ token, tenantId: 'public' })).toEqual(
          invalid,
        );
      });
    });

    describe('users', () => {
      it('updates a passkey user’s email; refuses one another passkey user has, and unknown users', async () => {
        const { recipeUserId, user } = await signUp();
        const taken = await signUp();
        const newAddress = newEmail();
        expect(
          await WebAuthn.updateUserEmail({ email: newAddress, recipeUserId, tenantId: 'public' }),
        ).toEqual({ status: 'OK' });
        const updated = await supertokens.getUser(user.id);
        expect(updated?.emails).toEqual([newAddress]);
        expect(updated?.loginMethods[0].email).toBe(newAddress);
        expect(
          await WebAuthn.updateUserEmail({ email: taken.email, recipeUserId, tenantId: 'public' }),
        ).toEqual({ status: 'EMAIL_ALREADY_EXISTS_ERROR' });
        expect(
          await WebAuthn.updateUserEmail({
            email: newEmail(),
            recipeUserId: 'no-such-user',
            tenantId: 'public',
          }),
        ).toEqual({ status: 'UNKNOWN_USER_ID_ERROR' });
      });

      it('finds a user by passkey; an unknown or malformed credential id finds nobody (deviation: no 500)', async () => {
        const { credential, user } = await signUp();
        const found = await supertokens.listUsersByAccountInfo('public', {
          webauthn: { credentialId: credential.id },
        });
        expect(found.map((u) => u.id)).toEqual([user.id]);
        for (const id of ['bm90LXJlZ2lzdGVyZWQ', 'not+base64/url']) {
          const reply = await cdi(
            'GET',
            `/public/users/by-accountinfo?webauthnCredentialId=${encodeURIComponent(id)}&doUnionOfAccountInfo=false`,
          );
          expect([reply.status, reply.json]).toEqual([200, { status: 'OK', users: [] }]);
        }
        expect(
          await supertokens.listUsersByAccountInfo('public', {
            webauthn: { credentialId: 'bm90LXJlZ2lzdGVyZWQ' },
          }),
        ).toEqual([]);
      });

      it('counts and lists passkey users', async () => {
        const before = await supertokens.getUserCount(['webauthn']);
        const { user } = await signUp();
        expect(await supertokens.getUserCount(['webauthn'])).toBe(before + 1);
        expect(await supertokens.getUserCount()).toBeGreaterThanOrEqual(before + 1);
        const newest = await supertokens.getUsersNewestFirst({
          tenantId: 'public',
          includeRecipeIds: ['webauthn'],
          limit: 1,
        });
        expect(newest.users.map((u) => u.id)).toEqual([user.id]);
        expect(newest.users[0].loginMethods.map((m) => m.recipeId)).toEqual(['webauthn']);
      });

      it('deletes a user with its passkeys', async () => {
        const { passkey, credential, user, recipeUserId } = await signUp();
        await supertokens.deleteUser(user.id);
        expect(await supertokens.getUser(user.id)).toBeUndefined();
        expect(await WebAuthn.listCredentials({ recipeUserId })).toEqual({
          status: 'OK',
          credentials: [],
        });
        expect((await rawSignIn(passkey)).json).toEqual({ status: 'CREDENTIAL_NOT_FOUND_ERROR' });
        expect(
          await supertokens.listUsersByAccountInfo('public', {
            webauthn: { credentialId: credential.id },
          }),
        ).toEqual([]);
      });
    });

    it("refuses bad input with the real core's texts", async () => {
      for (const [method, path, body, text] of [
        [
          'POST',
          '/public/recipe/webauthn/options/register',
          { relyingPartyName: RP_NAME, relyingPartyId: RP_ID, origin: ORIGIN },
          "Field name 'email' is invalid in JSON input",
        ],
        [
          'POST',
          '/public/recipe/webauthn/options/signin',
          { relyingPartyName: RP_NAME, origin: ORIGIN },
          "Field name 'relyingPartyId' is invalid in JSON input",
        ],
        [
          'POST',
          '/public/recipe/webauthn/signin',
          { webauthnGeneratedOptionsId: 'x', credential: 'x' },
          "Field name 'credential' is invalid in JSON input",
        ],
        [
          'GET',
          '/public/recipe/webauthn/options',
          undefined,
          "Field name 'webauthnGeneratedOptionsId' is missing in GET request",
        ],
        [
          'GET',
          '/recipe/webauthn/user/credential/list',
          undefined,
          "Field name 'recipeUserId' is missing in GET request",
        ],
      ] as const) {
        const reply = await cdi(method, path, body);
        expect([reply.status, reply.text.trim()]).toEqual([400, text]);
      }
      expect(
        (
          await cdi('POST', '/public/recipe/webauthn/signin', {
            webauthnGeneratedOptionsId: 'no-such-options',
            credential: {},
          })
        ).json,
      ).toEqual({ status: 'OPTIONS_NOT_FOUND_ERROR' });
    });
  },
);
