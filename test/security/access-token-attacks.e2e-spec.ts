import { createHmac, createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { decodeJwt, decodeProtectedHeader, importPKCS8, type JWK, SignJWT } from 'jose';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import Session from 'supertokens-node/recipe/session';
import { AUTH_RUNTIME } from '../../src/auth/module/auth.constants.js';
import type { AuthRuntime } from '../../src/auth/module/auth-runtime.interface.js';
import { HeaderClient } from '../support/auth-client.js';
import { createTestApp } from '../support/test-app.js';

const b64url = (value: object | string): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/**
 * Forged and stolen access tokens on guarded routes: every one is refused with 401. `/me` verifies
 * the token locally (signature, expiry), `/strict` also asks the core (`checkDatabase`).
 */
describe('access-token attacks', () => {
  let app: INestApplication<App>;
  let client: HeaderClient;
  let token: string;
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  const server = () => request(app.getHttpServer());
  const withToken = (path: string, value: string) =>
    server().get(path).set('authorization', `Bearer ${value}`);

  /** Signs with the core's own current private key: a token the attacker could not make. */
  async function signWithCoreKey(claims: Record<string, unknown>, kid = header.kid as string) {
    const core = app.get<AuthRuntime>(AUTH_RUNTIME).embeddedCore!;
    const keys = await core.store.listSigningKeys('public');
    const record = keys.find((k) => k.kid === header.kid)!;
    return new SignJWT(claims)
      .setProtectedHeader({ ...header, alg: 'RS256', kid })
      .sign(await importPKCS8(record.privateKey, 'RS256'));
  }

  beforeAll(async () => {
    app = await createTestApp();
    client = new HeaderClient(app);
    await client.signUp();
    token = client.access!;
    header = decodeProtectedHeader(token);
    payload = decodeJwt(token);
    expect((await withToken('/me', token)).status).toBe(200);
  });
  afterAll(() => app.close());

  it('refuses alg "none" (unsigned) tokens', async () => {
    const none = `${b64url({ ...header, alg: 'none' })}.${b64url(payload)}.`;
    expect((await withToken('/me', none)).status).toBe(401);
  });

  it('refuses HS256 tokens keyed with the public key (algorithm confusion)', async () => {
    const jwks = (await (
      await fetch(`${app.get<AuthRuntime>(AUTH_RUNTIME).connectionURI}/.well-known/jwks.json`)
    ).json()) as { keys: (JWK & { kid: string })[] };
    const jwk = jwks.keys.find((k) => k.kid === header.kid)!;
    const pem = createPublicKey({ key: jwk, format: 'jwk' }).export({
      type: 'spki',
      format: 'pem',
    });
    const signingInput = `${b64url({ ...header, alg: 'HS256' })}.${b64url(payload)}`;
    const signature = createHmac('sha256', pem).update(signingInput).digest('base64url');
    expect((await withToken('/me', `${signingInput}.${signature}`)).status).toBe(401);
  });

  it('refuses a tampered payload under the original signature', async () => {
    const [head, , signature] = token.split('.');
    const tampered = `${head}.${b64url({ ...payload, sub: 'someone-else' })}.${signature}`;
    const answer = await withToken('/me', tampered);
    expect(answer.status).toBe(401);
    expect(JSON.stringify(answer.body)).not.toContain('someone-else');
  });

  it('refuses an expired token (try refresh token) even when signed by the core', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await signWithCoreKey({ ...payload, iat: now - 7200, exp: now - 3600 });
    const answer = await withToken('/me', expired);
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ message: 'try refresh token' });
  });

  it('refuses a token naming a key the core never had', async () => {
    const unknownKid = await signWithCoreKey(payload, 'd-1234567890');
    expect((await withToken('/me', unknownKid)).status).toBe(401);
  });

  it('refuses a token signed by a foreign RSA key under the real kid', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const foreign = await new SignJWT(payload)
      .setProtectedHeader(header as { alg: string })
      .sign(privateKey);
    expect((await withToken('/me', foreign)).status).toBe(401);
  });

  it('refuses the token of a revoked session where the database is checked', async () => {
    const victim = new HeaderClient(app);
    await victim.signUp();
    expect((await victim.send('get', '/strict')).status).toBe(200);
    await Session.revokeSession(decodeJwt(victim.access!).sessionHandle as string);
    expect((await victim.authed('get', '/strict')).status).toBe(401);
    expect((await victim.refresh()).status).toBe(401);
  });

  it('refuses garbage tokens and cookies, and oversized headers without a 5xx', async () => {
    for (const garbage of ['x', 'a.b.c', '..', `${b64url('{')}.${b64url('}')}.sig`, 'Bearer x']) {
      expect((await withToken('/me', garbage)).status).toBe(401);
    }
    const cookie = await server().get('/me').set('cookie', 'sAccessToken=garbage; sFrontToken=%%');
    expect(cookie.status).toBe(401);
    const long = await withToken('/me', 'a'.repeat(8000));
    expect(long.status).toBe(401);
    const oversized = await withToken('/me', 'a'.repeat(64 * 1024)).catch(
      (error: { code?: string }) => ({ status: error.code }),
    );
    expect([431, 'ECONNRESET', 'EPIPE']).toContain(oversized.status);
    expect((await withToken('/me', token)).status).toBe(200);
  });
});
