import { request } from 'node:http';
import { createHash } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { startEmbeddedCore, type EmbeddedCore } from '../../src/core/index.js';
import { coreClient as client } from '../support/core-client.js';

const API_KEY = 'test-api-key-0123456789abcdef';
const sha = (value: string) => createHash('sha256').update(value).digest('hex');

const SESSION_INPUT = {
  userId: 'user-1',
  userDataInJWT: { role: 'x' },
  userDataInDatabase: {},
  enableAntiCsrf: false,
};

describe('embedded core over HTTP (CDI 5.4 transport and session rules)', () => {
  let core: EmbeddedCore;
  let call: ReturnType<typeof client>;
  beforeAll(async () => {
    core = await startEmbeddedCore({ apps: ['tenantless'] });
    call = client(core);
  });
  afterAll(() => core.stop());

  describe('transport', () => {
    it('negotiates CDI 5.4 and answers JSON with the real core content type', async () => {
      const reply = await call('GET', '/apiversion?apiDomain=a&websiteDomain=b', undefined, {
        'cdi-version': '',
      });
      expect(reply.status).toBe(200);
      expect(reply.json).toEqual({ versions: ['5.4'] });
      expect(reply.type).toBe('application/json;charset=UTF-8');
      expect((await call('GET', '/hello')).text).toBe('Hello');
    });

    it('refuses an unsupported cdi-version with 400 and accepts a missing one', async () => {
      const reply = await call('GET', '/user/id?userId=x', undefined, { 'cdi-version': '9.9' });
      expect(reply).toMatchObject({ status: 400, text: 'cdi-version 9.9 not supported' });
      const missing = await fetch(`${core.connectionURI}/user/id?userId=x`, {
        headers: { 'api-key': core.apiKey! },
      });
      expect(missing.status).toBe(200);
    });

    it('routes /x, /public/x, /appid-public/public/x, upper case and a trailing slash alike', async () => {
      for (const path of [
        '/user/id',
        '/public/user/id',
        '/appid-public/public/user/id',
        '/USER/ID',
        '/user/id/',
      ]) {
        const reply = await call('GET', `${path}?userId=nobody`);
        expect([path, reply.json]).toEqual([path, { status: 'UNKNOWN_USER_ID_ERROR' }]);
      }
    });

    it('answers unknown paths 404, wrong methods 405, bad JSON and wrong types 400', async () => {
      expect(await call('GET', '/no/such/path')).toMatchObject({ status: 404, text: 'Not found' });
      expect(await call('DELETE', '/recipe/signup')).toMatchObject({
        status: 405,
        text: 'Method not supported',
      });
      for (const bad of ['{', '[]', '"text"', 'null', '']) {
        expect(await call('POST', '/public/recipe/signup', bad)).toMatchObject({
          status: 400,
          text: 'Invalid Json Input',
        });
      }
      expect(
        await call('POST', '/public/recipe/signup', { email: 42, password: 'x' }),
      ).toMatchObject({
        status: 400,
        text: "Field name 'email' is invalid in JSON input",
      });
      expect(await call('GET', '/user/id')).toMatchObject({
        status: 400,
        text: "Field name 'userId' is missing in GET request",
      });
      expect(
        await call('POST', '/public/recipe/signup', { email: 'a@b.c', password: '' }),
      ).toMatchObject({
        status: 400,
        text: 'Password cannot be an empty string',
      });
      const huge = JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(2 * 1024 * 1024) });
      expect((await call('POST', '/public/recipe/signup', huge)).status).toBe(413);
    });

    it('refuses JSON nested deeper than the real core parses (256 levels) instead of overflowing', async () => {
      const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
      // Within the size limit, deep enough to overflow a recursive copy (a 500 before).
      const deep = `{"userId":"deep","metadataUpdate":${nested(150_000)}}`;
      expect(await call('PUT', '/recipe/user/metadata', deep)).toMatchObject({
        status: 400,
        text: 'Invalid Json Input',
      });
      const ok = `{"userId":"deep","metadataUpdate":${nested(200)}}`;
      expect((await call('PUT', '/recipe/user/metadata', ok)).status).toBe(200);
      expect((await call('GET', '/recipe/user/metadata?userId=deep')).json.metadata).toEqual(
        JSON.parse(nested(200)),
      );
    });

    it('handles unknown tenants and apps as the real core does', async () => {
      expect(
        (await call('POST', '/t9/recipe/signup', { email: 'a@b.c', password: 'pw' })).text,
      ).toBe(
        'AppId or tenantId not found => Tenant with the following connectionURIDomain, appId and tenantId ' +
          'combination not found: (, public, t9)',
      );
      expect((await call('GET', '/t9/recipe/multitenancy/tenant/v2')).json).toEqual({
        status: 'TENANT_NOT_FOUND_ERROR',
      });
      expect((await call('GET', '/public/recipe/multitenancy/tenant/v2')).json).toEqual({
        status: 'OK',
        tenantId: 'public',
        thirdParty: { providers: [] },
        coreConfig: {},
      });
      expect(await call('GET', '/t9/user/id?userId=x')).toMatchObject({
        status: 403,
        text: 'Only public tenantId can call this app specific API',
      });
      expect((await call('GET', '/appid-nope/user/id?userId=x')).status).toBe(400);
    });

    it('keeps apps apart: /appid-<id> has its own users', async () => {
      const signUp = await call('POST', '/appid-tenantless/public/recipe/signup', {
        email: 'app@x.co',
        password: 'pw',
      });
      expect(signUp.json.status).toBe('OK');
      const elsewhere = await call('GET', `/user/id?userId=${signUp.json.user.id}`);
      expect(elsewhere.json).toEqual({ status: 'UNKNOWN_USER_ID_ERROR' });
      const here = await call('GET', `/appid-tenantless/user/id?userId=${signUp.json.user.id}`);
      expect(here.json.user.emails).toEqual(['app@x.co']);
    });
  });

  describe('api key', () => {
    let keyed: EmbeddedCore;
    beforeAll(async () => {
      keyed = await startEmbeddedCore({ apiKey: API_KEY });
    });
    afterAll(() => keyed.stop());

    it('answers 401 without the right key, accepts api-key and Authorization, leaves hello and JWKS open', async () => {
      expect(await client(keyed, '')('GET', '/apiversion')).toMatchObject({
        status: 401,
        text: 'Invalid API key',
      });
      expect((await client(keyed, 'wrong-key-0123456789abc')('GET', '/apiversion')).status).toBe(
        401,
      );
      expect((await client(keyed, API_KEY)('GET', '/apiversion')).status).toBe(200);
      expect(
        (
          await client(keyed, '')('GET', '/apiversion', undefined, {
            authorization: `Bearer ${API_KEY}`,
          })
        ).status,
      ).toBe(200);
      expect((await fetch(`${keyed.connectionURI}/hello`)).status).toBe(200);
      expect((await fetch(`${keyed.connectionURI}/.well-known/jwks.json`)).status).toBe(200);
    });

    it('refuses a key the real core would refuse, without echoing it', async () => {
      await expect(startEmbeddedCore({ apiKey: 'short' })).rejects.toThrow(
        /at least 20 characters/,
      );
      await expect(startEmbeddedCore({ apiKey: 'short' })).rejects.not.toThrow(/short/);
    });
  });

  describe('lock-down', () => {
    it('makes a random key at every start when none is given, and requires it', async () => {
      const other = await startEmbeddedCore();
      try {
        expect(core.apiKey).toMatch(/^[0-9a-f]{48}$/);
        expect(other.apiKey).not.toBe(core.apiKey);
        for (const path of ['/recipe/session', '/public/recipe/session']) {
          const reply = await client(core, '')('POST', path, SESSION_INPUT);
          expect(reply).toMatchObject({ status: 401, text: 'Invalid API key' });
        }
        expect((await client(core, other.apiKey)('GET', '/users/count')).status).toBe(401);
      } finally {
        await other.stop();
      }
    });

    it('refuses a Host other than its own address (DNS rebinding), even for hello', async () => {
      const withHost = (target: EmbeddedCore, path: string, host: string) =>
        new Promise<{ status: number; text: string }>((resolve, reject) => {
          const req = request(
            {
              host: target.host,
              port: target.port,
              path,
              setHost: false,
              headers: { host, 'api-key': target.apiKey },
            },
            (res) => {
              let text = '';
              res.on('data', (chunk: Buffer) => (text += chunk.toString()));
              res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
            },
          );
          req.on('error', reject);
          req.end();
        });
      for (const host of [
        'evil.example:80',
        `attacker.test:${core.port}`,
        'localhost',
        `localhost:${core.port + 1}`,
        `127.0.0.2:${core.port}`,
      ]) {
        const reply = await withHost(core, '/users/count', host);
        expect([host, reply.status, reply.text]).toEqual([host, 403, 'Host not allowed']);
      }
      expect((await withHost(core, '/hello', 'rebind.example')).status).toBe(403);
      // Its own address, and the loopback names of its port (the form in SuperTokens' docs).
      for (const host of [
        `127.0.0.1:${core.port}`,
        `LocalHost:${core.port}`,
        `[::1]:${core.port}`,
      ]) {
        expect([host, (await withHost(core, '/users/count', host)).status]).toEqual([host, 200]);
      }
      const proxied = await startEmbeddedCore({ allowedHosts: ['Core.Internal:8080'] });
      try {
        expect((await withHost(proxied, '/users/count', 'core.internal:8080')).status).toBe(200);
        expect((await withHost(proxied, '/users/count', 'core.internal:9999')).status).toBe(403);
      } finally {
        await proxied.stop();
      }
    });

    it('refuses any request a browser sends (it carries Origin), with the right key too', async () => {
      for (const origin of ['https://evil.example', 'null', core.connectionURI]) {
        const reply = await call('POST', '/public/recipe/session', SESSION_INPUT, { origin });
        expect(reply).toMatchObject({ status: 403 });
        expect(reply.text).toMatch(/browsers/);
      }
    });

    it('refuses a body that is not application/json (a cross-site simple POST)', async () => {
      for (const type of [
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data',
      ]) {
        const reply = await call(
          'POST',
          '/recipe/dashboard/user',
          '{"email":"x@y.z","password":"p4ssword!"}',
          {
            'content-type': type,
          },
        );
        expect([type, reply.status, reply.text]).toEqual([
          type,
          415,
          'Content-Type must be application/json',
        ]);
      }
      expect((await call('GET', '/recipe/dashboard/users')).json.users).toEqual([]);
    });
  });

  describe('sessions', () => {
    it('creates a v5 RS256 token that verifies against the JWKS', async () => {
      const created = await call('POST', '/public/recipe/session', SESSION_INPUT);
      expect(Object.keys(created.json).sort()).toEqual([
        'accessToken',
        'refreshToken',
        'session',
        'status',
      ]);
      const token = created.json.accessToken.token as string;
      const header = decodeProtectedHeader(token);
      expect(header).toEqual({
        alg: 'RS256',
        typ: 'JWT',
        kid: expect.stringMatching(/^d-\d+$/),
        version: '5',
      });
      const claims = decodeJwt(token);
      expect(claims).toMatchObject({
        sub: 'user-1',
        rsub: 'user-1',
        tId: 'public',
        role: 'x',
        sessionHandle: created.json.session.handle,
        refreshTokenHash1: sha(created.json.refreshToken.token),
        parentRefreshTokenHash1: null,
        antiCsrfToken: null,
      });
      expect(claims.exp! - claims.iat!).toBe(3600);
      expect(created.json.accessToken.expiry).toBe(claims.exp! * 1000);
      expect(created.json.accessToken.createdTime).toBe(claims.iat! * 1000);

      const jwks = createRemoteJWKSet(new URL(`${core.connectionURI}/.well-known/jwks.json`));
      await expect(jwtVerify(token, jwks)).resolves.toBeDefined();
      const jwksReply = await fetch(`${core.connectionURI}/.well-known/jwks.json`);
      expect(jwksReply.headers.get('cache-control')).toMatch(/^max-age=\d+, must-revalidate$/);
    });

    it('signs with a static s- key when asked, and refuses protected claims', async () => {
      const created = await call('POST', '/public/recipe/session', {
        ...SESSION_INPUT,
        useDynamicSigningKey: false,
      });
      expect(decodeProtectedHeader(created.json.accessToken.token).kid).toMatch(
        /^s-[0-9a-f-]{36}$/,
      );
      const protectedClaim = await call('POST', '/public/recipe/session', {
        ...SESSION_INPUT,
        userDataInJWT: { sub: 'x' },
      });
      expect(protectedClaim).toMatchObject({
        status: 400,
        text: 'The user payload contains protected field',
      });
    });

    it('verifies, rotates, promotes and detects theft (conformance checks 18-21)', async () => {
      const created = (await call('POST', '/public/recipe/session', SESSION_INPUT)).json;
      const verifyInput = { doAntiCsrfCheck: false, enableAntiCsrf: false, checkDatabase: false };
      const fresh = await call('POST', '/recipe/session/verify', {
        ...verifyInput,
        accessToken: created.accessToken.token,
      });
      expect(fresh.json.status).toBe('OK');
      expect(fresh.json.accessToken).toBeUndefined();
      const tampered = `${(created.accessToken.token as string).slice(0, -4)}AAAA`;
      expect(
        (await call('POST', '/recipe/session/verify', { ...verifyInput, accessToken: tampered }))
          .json.status,
      ).toBe('TRY_REFRESH_TOKEN');

      const refreshInput = { enableAntiCsrf: false, useDynamicSigningKey: true };
      const rt0 = created.refreshToken.token as string;
      const child = (
        await call('POST', '/recipe/session/refresh', { ...refreshInput, refreshToken: rt0 })
      ).json;
      expect(child.status).toBe('OK');
      const childClaims = decodeJwt(child.accessToken.token);
      expect(childClaims.parentRefreshTokenHash1).toBe(sha(rt0));
      expect(childClaims.refreshTokenHash1).toBe(sha(child.refreshToken.token));
      // Same old token again before the child was used: legal.
      expect(
        (await call('POST', '/recipe/session/refresh', { ...refreshInput, refreshToken: rt0 })).json
          .status,
      ).toBe('OK');

      const promoted = await call('POST', '/recipe/session/verify', {
        ...verifyInput,
        accessToken: child.accessToken.token,
      });
      expect(promoted.json.status).toBe('OK');
      expect(decodeJwt(promoted.json.accessToken.token).parentRefreshTokenHash1).toBeNull();
      const theft = await call('POST', '/recipe/session/refresh', {
        ...refreshInput,
        refreshToken: rt0,
      });
      expect(theft.json).toEqual({
        status: 'TOKEN_THEFT_DETECTED',
        session: { handle: created.session.handle, userId: 'user-1', recipeUserId: 'user-1' },
      });
      const forged = await call('POST', '/recipe/session/refresh', {
        ...refreshInput,
        refreshToken: `x${rt0}`,
      });
      expect(forged.json.status).toBe('UNAUTHORISED');
    });

    it('checks anti-CSRF tokens on refresh and verify (check 22)', async () => {
      const created = (
        await call('POST', '/public/recipe/session', { ...SESSION_INPUT, enableAntiCsrf: true })
      ).json;
      expect(created.antiCsrfToken).toEqual(expect.any(String));
      expect(decodeJwt(created.accessToken.token).antiCsrfToken).toBe(created.antiCsrfToken);
      const base = {
        refreshToken: created.refreshToken.token,
        enableAntiCsrf: true,
        useDynamicSigningKey: true,
      };
      expect((await call('POST', '/recipe/session/refresh', base)).json).toMatchObject({
        status: 'UNAUTHORISED',
        message: 'Anti CSRF token missing, or not matching',
      });
      const verify = {
        accessToken: created.accessToken.token,
        doAntiCsrfCheck: true,
        enableAntiCsrf: true,
        checkDatabase: false,
      };
      expect(
        (await call('POST', '/recipe/session/verify', { ...verify, antiCsrfToken: 'wrong' })).json
          .status,
      ).toBe('TRY_REFRESH_TOKEN');
      expect(
        (
          await call('POST', '/recipe/session/verify', {
            ...verify,
            antiCsrfToken: created.antiCsrfToken,
          })
        ).json.status,
      ).toBe('OK');
    });

    it('regenerates with the same exp and refuses revoked sessions with database checks (checks 23-25)', async () => {
      const created = (await call('POST', '/public/recipe/session', SESSION_INPUT)).json;
      const regenerated = await call('POST', '/recipe/session/regenerate', {
        accessToken: created.accessToken.token,
        userDataInJWT: { role: 'y' },
      });
      const claims = decodeJwt(regenerated.json.accessToken.token);
      expect(claims.exp).toBe(decodeJwt(created.accessToken.token).exp);
      expect(claims.role).toBe('y');
      const removed = await call('POST', '/recipe/session/remove', {
        sessionHandles: [created.session.handle, 'nope'],
      });
      expect(removed.json).toEqual({
        status: 'OK',
        sessionHandlesRevoked: [created.session.handle],
      });
      const verify = {
        accessToken: created.accessToken.token,
        doAntiCsrfCheck: false,
        enableAntiCsrf: false,
      };
      expect(
        (await call('POST', '/recipe/session/verify', { ...verify, checkDatabase: true })).json,
      ).toEqual({
        status: 'UNAUTHORISED',
        message: 'Either the session has ended or has been blacklisted',
      });
      expect(
        (await call('POST', '/recipe/session/verify', { ...verify, checkDatabase: false })).json
          .status,
      ).toBe('OK');
      expect(
        (
          await call('POST', '/recipe/session/regenerate', {
            accessToken: created.accessToken.token,
          })
        ).json,
      ).toEqual({
        status: 'UNAUTHORISED',
        message: 'Session does not exist.',
      });
      expect((await call('POST', '/recipe/session/remove', {})).status).toBe(400);
    });

    it('answers every one of many concurrent refreshes without an error', async () => {
      const created = (await call('POST', '/public/recipe/session', SESSION_INPUT)).json;
      const input = {
        refreshToken: created.refreshToken.token,
        enableAntiCsrf: false,
        useDynamicSigningKey: true,
      };
      const replies = await Promise.all(
        Array.from({ length: 64 }, () => call('POST', '/recipe/session/refresh', input)),
      );
      expect(replies.map((r) => `${r.status} ${r.json?.status}`)).toEqual(Array(64).fill('200 OK'));
    });
  });
});
