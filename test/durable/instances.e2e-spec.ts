// Two instances on one PostgreSQL database through several signing-key rotations, as a deploy of
// two app instances behind a load balancer meets them: instance A is an embedded core in this
// process, instance B one in a process of its own (the build's), and the app's SDK is given both
// (`connectionURI: 'A;B'`, which supertokens-node calls in turn). The rotation interval cannot go
// below one hour (as in the real core), so both cores' clocks are moved instead of waiting.
import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { decodeProtectedHeader } from 'jose';
import type { App } from 'supertest/types.js';
import { startEmbeddedCore, type EmbeddedCore } from '../../src/core/index.js';
import { HeaderClient } from '../support/auth-client.js';
import { coreClient } from '../support/core-client.js';
import { startCoreProcess, type CoreProcess } from '../support/core-process.js';
import { freshPostgresDatabase } from '../support/postgres.js';
import { createTestApp } from '../support/test-app.js';

const HOUR = 3_600_000;
/** A new key is listed at once but signs only a minute later (as in the real core). */
const SIGNING_DELAY = 61_000;
const ROTATIONS = 3;
const CONFIG = { accessTokenDynamicSigningKeyUpdateInterval: 1 };

describe('two instances on one PostgreSQL database through key rotations', () => {
  let database: Awaited<ReturnType<typeof freshPostgresDatabase>>;
  let a: EmbeddedCore;
  let b: CoreProcess;
  let app: INestApplication<App>;
  let offset = 0;
  const apiKey = randomBytes(20).toString('hex');

  /** Moves both instances' clocks to real time + `ms`. */
  const setClock = async (ms: number) => {
    offset = ms;
    await b.setClockOffset(ms);
  };

  beforeAll(async () => {
    database = await freshPostgresDatabase();
    a = await startEmbeddedCore({
      storage: { postgres: database.url },
      apiKey,
      config: CONFIG,
      now: () => Date.now() + offset,
    });
    b = await startCoreProcess({ postgres: database.url, apiKey, config: CONFIG });
    app = await createTestApp({ connectionURI: `${a.connectionURI};${b.connectionURI}`, apiKey });
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await b?.stop();
    await a?.stop();
    await database?.drop();
  });

  const onA = () => coreClient(a);
  const onB = () => coreClient(b);
  const instances = [
    { name: 'A', call: onA },
    { name: 'B', call: onB },
  ];
  /** A random instance and the other one, as a load balancer may pick them. */
  const pick = () => {
    const first = Math.random() < 0.5 ? 0 : 1;
    return [instances[first], instances[1 - first]] as const;
  };
  const SESSION = {
    userDataInJWT: {},
    userDataInDatabase: {},
    enableAntiCsrf: false,
    useDynamicSigningKey: true,
  };
  const VERIFY = { doAntiCsrfCheck: false, enableAntiCsrf: false, checkDatabase: false };
  const REFRESH = { enableAntiCsrf: false, useDynamicSigningKey: true };

  const dynamicKids = async () =>
    (await a.store.listSigningKeys('public'))
      .filter((key) => key.type === 'dynamic')
      .map((key) => key.kid)
      .sort();
  const jwksKids = async (call: ReturnType<typeof onA>) =>
    ((await call('GET', '/.well-known/jwks.json')).json.keys as { kid: string }[])
      .map((key) => key.kid)
      .sort();

  it('verifies, refreshes and catches theft across instances through several rotations', async () => {
    // The first key, made by whichever instance signs first.
    expect((await onA()('POST', '/recipe/session', { ...SESSION, userId: 'u-0' })).status).toBe(
      200,
    );
    let kids = await dynamicKids();
    expect(kids).toHaveLength(1);

    for (let round = 1; round <= ROTATIONS; round++) {
      // Rotation due: the instance that signs first makes the new key (A and B in turn); the
      // other one still has the old keys cached.
      await setClock(round * HOUR);
      const rotator = instances[round % 2];
      const other = instances[1 - (round % 2)];
      const due = await rotator.call()('POST', '/recipe/session', { ...SESSION, userId: 'due' });
      expect(due.status).toBe(200);
      const rotated = await dynamicKids();
      expect(rotated.filter((kid) => !kids.includes(kid))).toHaveLength(1);
      const newest = rotated.filter((kid) => !kids.includes(kid))[0];
      kids = rotated;

      // A minute later the new key signs: first on the rotator, verified at once on the other,
      // which has never seen it; then on either instance.
      await setClock(round * HOUR + SIGNING_DELAY);
      const signed = await rotator.call()('POST', '/recipe/session', { ...SESSION, userId: 'x' });
      expect(decodeProtectedHeader(signed.json.accessToken.token as string).kid).toBe(newest);
      const seen = await other.call()('POST', '/recipe/session/verify', {
        ...VERIFY,
        accessToken: signed.json.accessToken.token,
      });
      expect({ on: other.name, status: seen.json.status }).toEqual({
        on: other.name,
        status: 'OK',
      });
      await setClock(round * HOUR + SIGNING_DELAY);
      for (let i = 0; i < 6; i++) {
        const [first, second] = pick();
        const created = (
          await first.call()('POST', '/recipe/session', { ...SESSION, userId: `u-${round}-${i}` })
        ).json;
        expect(created.status).toBe('OK');
        expect(decodeProtectedHeader(created.accessToken.token as string).kid).toBe(newest);
        // Signed on one, verified on the other.
        const verified = await second.call()('POST', '/recipe/session/verify', {
          ...VERIFY,
          accessToken: created.accessToken.token,
        });
        expect({ on: second.name, status: verified.json.status }).toEqual({
          on: second.name,
          status: 'OK',
        });
        // Refreshed on a random instance, used on another, then the first token replayed: theft.
        const rt0 = created.refreshToken.token as string;
        const [refreshOn, nextOn] = pick();
        const child = (
          await refreshOn.call()('POST', '/recipe/session/refresh', {
            ...REFRESH,
            refreshToken: rt0,
          })
        ).json;
        expect(child.status).toBe('OK');
        expect(
          (
            await nextOn.call()('POST', '/recipe/session/verify', {
              ...VERIFY,
              accessToken: child.accessToken.token,
            })
          ).json.status,
        ).toBe('OK');
        const grandchild = await nextOn.call()('POST', '/recipe/session/refresh', {
          ...REFRESH,
          refreshToken: child.refreshToken.token,
        });
        expect(grandchild.json.status).toBe('OK');
        const [replayOn] = pick();
        const theft = await replayOn.call()('POST', '/recipe/session/refresh', {
          ...REFRESH,
          refreshToken: rt0,
        });
        expect({ on: replayOn.name, status: theft.json.status }).toEqual({
          on: replayOn.name,
          status: 'TOKEN_THEFT_DETECTED',
        });
      }

      // Both publish the same keys, the new one included.
      const [jwksA, jwksB] = [await jwksKids(onA()), await jwksKids(onB())];
      expect(jwksA).toEqual(jwksB);
      expect(jwksA).toContain(newest);

      // Through the app's SDK, which calls A and B in turn: sign-up, the guard, refresh, theft.
      const client = new HeaderClient(app);
      expect((await client.signUp()).status).toBe(200);
      expect(decodeProtectedHeader(client.access!).kid).toBe(newest);
      expect((await client.send('get', '/me')).status).toBe(200);
      const first = client.refreshToken!;
      expect((await client.refresh()).status).toBe(200);
      expect((await client.send('get', '/me')).status).toBe(200);
      expect((await client.refresh()).status).toBe(200);
      const replay = await client.refresh(first);
      expect(replay.status).toBe(401);
      expect(replay.body).toEqual({ message: 'token theft detected' });
    }
    // One key per rotation; the first, past its retention (the interval plus twice the access
    // tokens' validity), was dropped.
    expect(kids).toHaveLength(ROTATIONS);
  }, 120_000);

  it('makes one key when both instances rotate at the same instant', async () => {
    const before = await dynamicKids();
    await setClock((ROTATIONS + 1) * HOUR);
    const burst = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        instances[i % 2].call()('POST', '/recipe/session', { ...SESSION, userId: `burst-${i}` }),
      ),
    );
    expect(burst.map((reply) => reply.status)).toEqual(Array(8).fill(200));
    const after = await dynamicKids();
    expect(after.filter((kid) => !before.includes(kid))).toHaveLength(1);
  });

  it('sees a session revoked on one instance at once on the other (checkDatabase)', async () => {
    for (const [revokeOn, checkOn] of [pick(), pick(), pick()]) {
      const created = (
        await checkOn.call()('POST', '/recipe/session', { ...SESSION, userId: 'revoked' })
      ).json;
      const check = { ...VERIFY, checkDatabase: true, accessToken: created.accessToken.token };
      expect((await checkOn.call()('POST', '/recipe/session/verify', check)).json.status).toBe(
        'OK',
      );
      const removed = await revokeOn.call()('POST', '/recipe/session/remove', {
        sessionHandles: [created.session.handle],
      });
      expect(removed.json).toEqual({
        status: 'OK',
        sessionHandlesRevoked: [created.session.handle],
      });
      expect((await checkOn.call()('POST', '/recipe/session/verify', check)).json.status).toBe(
        'UNAUTHORISED',
      );
    }
  });
});
