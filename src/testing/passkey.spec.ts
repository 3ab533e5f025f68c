import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import {
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
  type WebAuthnCredential,
} from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import { passkeySignIn, passkeySignUp } from './passkey-http.js';
import { TestPasskey, type TestPasskeyOptions } from './passkey.js';

const ORIGIN = 'https://app.example.com:8443';
const RP_ID = 'example.com';
const challenge = () => isoBase64URL.fromBuffer(new Uint8Array(randomBytes(32)));
const registerOptions = (userId = 'dXNlci0x') => ({
  challenge: challenge(),
  rp: { id: RP_ID, name: 'Example' },
  user: { id: userId, name: 'ann@example.com', displayName: 'Ann' },
});

/** What a relying party checks of an attestation: @simplewebauthn/server's verification. */
const verifyRegistration = (
  response: RegistrationResponseJSON,
  expectedChallenge: string,
  expected: { origin?: string; rpId?: string; requireUserVerification?: boolean } = {},
) =>
  verifyRegistrationResponse({
    response,
    expectedChallenge,
    expectedOrigin: expected.origin ?? ORIGIN,
    expectedRPID: expected.rpId ?? RP_ID,
    requireUserVerification: expected.requireUserVerification ?? true,
  });

/** A passkey with one registered credential, and the credential as a relying party stores it. */
async function registered(options: Omit<TestPasskeyOptions, 'origin'> = {}) {
  const passkey = new TestPasskey({ origin: ORIGIN, ...options });
  const register = registerOptions();
  const result = await verifyRegistration(passkey.register(register), register.challenge);
  if (!result.verified) throw new Error('registration did not verify');
  return { passkey, credential: result.registrationInfo.credential };
}

const verifyAssertion = (
  response: AuthenticationResponseJSON,
  expectedChallenge: string,
  credential: WebAuthnCredential,
) =>
  verifyAuthenticationResponse({
    response,
    expectedChallenge,
    expectedOrigin: ORIGIN,
    expectedRPID: RP_ID,
    credential,
  });

describe('TestPasskey', () => {
  it.each(['none', 'packed'] as const)(
    'makes a %s attestation that a relying party verifies',
    async (attestation) => {
      const passkey = new TestPasskey({ origin: ORIGIN, attestation });
      const options = registerOptions();
      const response = passkey.register(options);
      const result = await verifyRegistration(response, options.challenge);
      expect(result.verified).toBe(true);
      expect(result.registrationInfo).toMatchObject({
        fmt: attestation,
        userVerified: true,
        credentialDeviceType: 'singleDevice',
        origin: ORIGIN,
        credential: { id: response.id, counter: 0 },
      });
      expect(response).toMatchObject({
        rawId: response.id,
        type: 'public-key',
        authenticatorAttachment: 'platform',
        response: { transports: ['internal'], publicKeyAlgorithm: -7 },
      });
      expect(isoBase64URL.toBuffer(response.id)).toHaveLength(32);
      expect(JSON.parse(isoBase64URL.toUTF8String(response.response.clientDataJSON))).toEqual({
        type: 'webauthn.create',
        challenge: options.challenge,
        origin: ORIGIN,
        crossOrigin: false,
      });
      expect(passkey.credentials).toEqual([
        { id: response.id, userHandle: options.user.id, signCount: 0 },
      ]);
    },
  );

  it('refuses a packed attestation whose signature was corrupted', async () => {
    const passkey = new TestPasskey({ origin: ORIGIN, attestation: 'packed' });
    const options = registerOptions();
    const response = passkey.register(options, { corruptSignature: true });
    await expect(verifyRegistration(response, options.challenge)).resolves.toEqual({
      verified: false,
    });
  });

  it('defaults the rpId to the origin hostname when the options name none', async () => {
    const passkey = new TestPasskey({ origin: ORIGIN });
    const options = { ...registerOptions(), rp: { name: 'Example' } };
    const response = passkey.register(options);
    const result = await verifyRegistration(response, options.challenge, {
      rpId: 'app.example.com',
    });
    expect(result.verified).toBe(true);
  });

  it('signs in: the counter goes up per use, the user handle is the registered user id', async () => {
    const { passkey, credential } = await registered();
    for (const expected of [1, 2]) {
      const signIn = { challenge: challenge(), rpId: RP_ID };
      const response = passkey.authenticate(signIn);
      const result = await verifyAssertion(response, signIn.challenge, credential);
      expect(result).toMatchObject({
        verified: true,
        authenticationInfo: { newCounter: expected },
      });
      expect(response.response.userHandle).toBe('dXNlci0x');
      credential.counter = result.authenticationInfo.newCounter;
    }
    expect(passkey.credentials[0].signCount).toBe(2);
  });

  it("keeps the counter at 0 with counter: 'zero'", async () => {
    const { passkey, credential } = await registered({ counter: 'zero' });
    for (let i = 0; i < 2; i++) {
      const signIn = { challenge: challenge(), rpId: RP_ID };
      const result = await verifyAssertion(
        passkey.authenticate(signIn),
        signIn.challenge,
        credential,
      );
      expect(result).toMatchObject({ verified: true, authenticationInfo: { newCounter: 0 } });
    }
  });

  it('signs with the credential it is asked for, and refuses one it does not hold', () => {
    const passkey = new TestPasskey({ origin: ORIGIN });
    const first = passkey.register(registerOptions('Zmlyc3Q'));
    passkey.register(registerOptions('c2Vjb25k'));
    const signIn = { challenge: challenge(), rpId: RP_ID };
    expect(passkey.authenticate(signIn).response.userHandle).toBe('c2Vjb25k');
    const chosen = passkey.authenticate(signIn, { credentialId: first.id });
    expect([chosen.id, chosen.response.userHandle]).toEqual([first.id, 'Zmlyc3Q']);
    expect(() => passkey.authenticate(signIn, { credentialId: 'nope' })).toThrow(
      /no credential nope/,
    );
    expect(() => new TestPasskey({ origin: ORIGIN }).authenticate(signIn)).toThrow(
      /register one first/,
    );
  });

  it('forges a signature that does not verify', async () => {
    const { passkey, credential } = await registered();
    const signIn = { challenge: challenge(), rpId: RP_ID };
    const response = passkey.authenticate(signIn, { corruptSignature: true });
    await expect(verifyAssertion(response, signIn.challenge, credential)).resolves.toMatchObject({
      verified: false,
    });
  });

  it.each([
    [{ origin: 'https://evil.example' }, /Unexpected authentication response origin/],
    [{ challenge: 'b3RoZXI' }, /Unexpected authentication response challenge/],
    [{ rpId: 'evil.example' }, /Unexpected RP ID hash/],
    [{ type: 'webauthn.create' }, /Unexpected authentication response type/],
    [{ userVerified: false }, /User verification required/],
    [{ userPresent: false }, /User not present/],
    [{ signCount: 0 }, /counter value/],
  ])('forges %j, which a relying party refuses', async (tamper, refusal) => {
    const { passkey, credential } = await registered();
    credential.counter = 5;
    const signIn = { challenge: challenge(), rpId: RP_ID };
    const response = passkey.authenticate(signIn, { signCount: 6, ...tamper });
    await expect(verifyAssertion(response, signIn.challenge, credential)).rejects.toThrow(refusal);
    // A forged counter is for that assertion only.
    expect(passkey.credentials[0].signCount).toBe(0);
  });

  it('sets no UV flag for a passkey without user verification', async () => {
    const passkey = new TestPasskey({ origin: ORIGIN, userVerified: false });
    const options = registerOptions();
    const response = passkey.register(options);
    await expect(verifyRegistration(response, options.challenge)).rejects.toThrow(
      /User verification was required/,
    );
    const lenient = await verifyRegistration(response, options.challenge, {
      requireUserVerification: false,
    });
    expect(lenient.registrationInfo?.userVerified).toBe(false);
  });
});

/**
 * A relying party with the SDK's four passkey routes under /auth, verifying with
 * @simplewebauthn/server; a session is a cookie and an `st-access-token` header.
 */
function relyingParty(): Server {
  const challenges = new Map<string, string>();
  const credentials = new Map<string, WebAuthnCredential & { email: string }>();
  const pending = new Map<string, string>();
  const routes: Record<string, (body: Record<string, unknown>) => Promise<object>> = {
    '/auth/webauthn/options/register': (body) => {
      const id = randomUUID();
      challenges.set(id, challenge());
      pending.set(id, String(body.email));
      return Promise.resolve({
        status: 'OK',
        webauthnGeneratedOptionsId: id,
        challenge: challenges.get(id),
        rp: { id: 'localhost', name: 'test' },
        user: { id: isoBase64URL.fromUTF8String(id), name: body.email, displayName: body.email },
      });
    },
    '/auth/webauthn/options/signin': () => {
      const id = randomUUID();
      challenges.set(id, challenge());
      return Promise.resolve({
        status: 'OK',
        webauthnGeneratedOptionsId: id,
        challenge: challenges.get(id),
        rpId: 'localhost',
      });
    },
    '/auth/webauthn/signup': async (body) => {
      const id = String(body.webauthnGeneratedOptionsId);
      const result = await verifyRegistrationResponse({
        response: body.credential as RegistrationResponseJSON,
        expectedChallenge: challenges.get(id) ?? '',
        expectedOrigin: 'http://localhost:3001',
        expectedRPID: 'localhost',
      });
      if (!result.verified) return { status: 'INVALID_CREDENTIALS_ERROR' };
      const email = pending.get(id) ?? '';
      credentials.set(result.registrationInfo.credential.id, {
        ...result.registrationInfo.credential,
        email,
      });
      return { status: 'OK', user: { emails: [email] } };
    },
    '/auth/webauthn/signin': async (body) => {
      const response = body.credential as AuthenticationResponseJSON;
      const credential = credentials.get(response.id);
      if (!credential) return { status: 'INVALID_CREDENTIALS_ERROR' };
      const result = await verifyAuthenticationResponse({
        response,
        expectedChallenge: challenges.get(String(body.webauthnGeneratedOptionsId)) ?? '',
        expectedOrigin: 'http://localhost:3001',
        expectedRPID: 'localhost',
        credential,
      });
      credential.counter = result.authenticationInfo.newCounter;
      return { status: 'OK', user: { emails: [credential.email] } };
    },
  };
  return createServer((req, res) => {
    void readJson(req).then(async (body) => {
      const route = routes[req.url ?? ''];
      if (!route || req.headers.origin !== 'http://localhost:3001') {
        res.writeHead(404).end('not here');
        return;
      }
      const answer = await route(body);
      const session = 'status' in answer && answer.status === 'OK' && !req.url?.includes('options');
      res.writeHead(200, {
        'content-type': 'application/json',
        ...(session && { 'st-access-token': 'at-1', 'set-cookie': ['sAccessToken=at-1; Path=/'] }),
      });
      res.end(JSON.stringify(answer));
    });
  });
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return JSON.parse(text || '{}') as Record<string, unknown>;
}

describe('passkeySignUp / passkeySignIn', () => {
  it('sign up and in through the routes, on a server that is not listening yet', async () => {
    const server = relyingParty();
    const passkey = new TestPasskey({ origin: 'http://localhost:3001' });
    const signedUp = await passkeySignUp(server, 'ann@example.com', passkey);
    expect(signedUp).toEqual({
      body: { status: 'OK', user: { emails: ['ann@example.com'] } },
      headers: { authorization: 'Bearer at-1' },
      cookie: 'sAccessToken=at-1',
    });
    expect(server.listening).toBe(false);
    const signedIn = await passkeySignIn(server, passkey);
    expect(signedIn.body).toEqual({ status: 'OK', user: { emails: ['ann@example.com'] } });
    expect(passkey.credentials[0].signCount).toBe(1);
  });

  it('uses a listening server or a URL, and fails with what the app answered', async () => {
    const server = relyingParty();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const passkey = new TestPasskey({ origin: 'http://localhost:3001' });
      expect((await passkeySignUp(server, 'bob@example.com', passkey)).body.status).toBe('OK');
      expect(server.listening).toBe(true);
      const { port } = server.address() as { port: number };
      const stranger = new TestPasskey({ origin: 'http://localhost:3001' });
      stranger.register(registerOptions());
      expect((await passkeySignIn(`http://127.0.0.1:${port}/`, stranger)).body.status).toBe(
        'INVALID_CREDENTIALS_ERROR',
      );
      await expect(
        passkeySignUp(server, 'bob@example.com', passkey, { basePath: '/nope' }),
      ).rejects.toThrow(/\/nope\/webauthn\/options\/register answered 404 not here/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
