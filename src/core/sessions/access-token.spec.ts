import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, SignJWT, UnsecuredJWT } from 'jose';
import { resolveCoreConfig } from '../core.config.js';
import { SigningKeys } from '../keys/signing-keys.js';
import { MemoryStore } from '../store/memory/memory.store.js';
import { AccessTokens, InvalidAccessTokenError, type SignInput } from './access-token.js';

const INPUT: SignInput = {
  sessionHandle: 'handle-1',
  userId: 'primary-1',
  recipeUserId: 'recipe-1',
  tenantId: 'public',
  userDataInJWT: { iss: 'http://api/auth', custom: [1, 2] },
  refreshTokenHash1: 'a'.repeat(64),
  parentRefreshTokenHash1: null,
  antiCsrfToken: null,
  useStaticKey: false,
};

describe('AccessTokens (v5 format)', () => {
  let now = Date.UTC(2026, 0, 1, 12, 0, 0, 500);
  const clock = () => now;
  const keys = new SigningKeys(new MemoryStore(), resolveCoreConfig(), clock);
  const tokens = new AccessTokens(keys, 3600, clock);

  it('has the header and claims the SDK checks, times in whole seconds', async () => {
    const signed = await tokens.sign('public', INPUT);
    expect(decodeProtectedHeader(signed.token)).toEqual({
      alg: 'RS256',
      typ: 'JWT',
      kid: `d-${now}`,
      version: '5',
    });
    const claims = decodeJwt(signed.token);
    expect(claims).toEqual({
      iss: 'http://api/auth',
      custom: [1, 2],
      sub: 'primary-1',
      rsub: 'recipe-1',
      tId: 'public',
      sessionHandle: 'handle-1',
      refreshTokenHash1: 'a'.repeat(64),
      parentRefreshTokenHash1: null,
      antiCsrfToken: null,
      iat: Math.floor(now / 1000),
      exp: Math.floor(now / 1000) + 3600,
    });
    expect(signed).toMatchObject({ expiry: claims.exp! * 1000, createdTime: claims.iat! * 1000 });
  });

  it('uses an s- key for static sessions', async () => {
    const signed = await tokens.sign('public', { ...INPUT, useStaticKey: true });
    expect(decodeProtectedHeader(signed.token).kid).toMatch(/^s-[0-9a-f-]{36}$/);
    await expect(tokens.verify('public', signed.token)).resolves.toMatchObject({
      sub: 'primary-1',
    });
  });

  it('verifies its own tokens and refuses expired ones', async () => {
    const signed = await tokens.sign('public', INPUT);
    await expect(tokens.verify('public', signed.token)).resolves.toMatchObject({
      sessionHandle: 'handle-1',
    });
    now += 3601 * 1000;
    await expect(tokens.verify('public', signed.token)).rejects.toThrow(InvalidAccessTokenError);
    await expect(tokens.verifyIgnoringExpiry('public', signed.token)).resolves.toBeDefined();
  });

  it('refuses alg none, a foreign key, a tampered payload and an unknown kid', async () => {
    const signed = await tokens.sign('public', INPUT);
    const claims = decodeJwt(signed.token);
    const kid = decodeProtectedHeader(signed.token).kid!;
    const none = new UnsecuredJWT(claims).encode();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const foreign = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid, version: '5' })
      .sign(privateKey);
    const [h, , s] = signed.token.split('.');
    const body = Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url');
    const unknownKid = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'd-1', version: '5' })
      .sign(privateKey);
    const noKid = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', version: '5' })
      .sign(privateKey);
    const jwt = 'io.supertokens.session.jwt.JWT$JWTException: ';
    // The real core's messages (JWT.preParseJWTInfo, AccessToken.getInfoFromAccessToken).
    const cases: [string, string][] = [
      [none, `${jwt}JWT header missing - typ`],
      [foreign, `${jwt}JWT verification failed`],
      [`${h}.${body}.${s}`, `${jwt}JWT verification failed`],
      [unknownKid, 'Key not found'],
      [noKid, `${jwt}JWT header missing - kid`],
      ['not.a.jwt', `${jwt}Invalid JWT`],
      ['', `${jwt}Invalid JWT`],
      [`${h}.${body}`, `${jwt}Invalid JWT`],
    ];
    for (const [token, message] of cases) {
      const error = (await tokens.verify('public', token).catch((e: unknown) => e)) as Error;
      expect({ token, error: error.constructor.name, message: error.message }).toEqual({
        token,
        error: 'InvalidAccessTokenError',
        message,
      });
    }
  });
});
