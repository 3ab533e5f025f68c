// A real PostgreSQL restart under a sign-up and refresh load from several clients: during the
// outage the app answers 503 (never a 500), the same process serves again once the server is
// back, and every acknowledged sign-up can sign in afterwards.
import type { INestApplication } from '@nestjs/common';
import type { App } from 'supertest/types.js';
import { HeaderClient, uniqueEmail } from '../support/auth-client.js';
import { ownPostgres, type OwnPostgres } from '../support/own-postgres.js';
import { createTestApp } from '../support/test-app.js';

const CLIENTS = 6;

describe('PostgreSQL restart under load', () => {
  let server: OwnPostgres;
  let app: INestApplication<App>;

  beforeAll(async () => {
    server = await ownPostgres();
    app = await createTestApp({
      embeddedCore: { storage: { postgres: server.url, connectionTimeoutMs: 2000 } },
    });
  });
  afterAll(async () => {
    await app?.close();
    server?.remove();
  });

  it('answers 503 while it is down, serves again when it is back, and loses nothing acknowledged', async () => {
    const statuses = new Map<number, number>();
    const acknowledged: string[] = [];
    let phase: 'before' | 'down' | 'after' = 'before';
    let servedAfter = 0;
    const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);

    // Each client signs users up and refreshes its session, over and over, until told to stop.
    let running = true;
    const clients = Array.from({ length: CLIENTS }, async () => {
      const client = new HeaderClient(app);
      while (running) {
        const email = uniqueEmail();
        const signedUp = await client.signUp(email);
        count(signedUp.status);
        if (signedUp.status === 200 && signedUp.body.status === 'OK') {
          acknowledged.push(email);
          if (phase === 'after') servedAfter++;
        }
        if (client.refreshToken) count((await client.refresh()).status);
      }
    });
    const until = async (done: () => boolean) => {
      for (let i = 0; i < 300 && !done(); i++) await new Promise((r) => setTimeout(r, 100));
    };
    await until(() => acknowledged.length >= 10);
    phase = 'down';
    server.stop();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    phase = 'after';
    server.start();
    // Recovery without a restart of the app: sign-ups succeed again (bounded by `until`).
    await until(() => servedAfter >= 10);
    running = false;
    await Promise.all(clients);

    expect(servedAfter).toBeGreaterThanOrEqual(10);
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([200]));
    expect(statuses.get(500) ?? 0).toBe(0);
    expect([...statuses.keys()].every((status) => [200, 401, 503].includes(status))).toBe(true);
    expect(statuses.get(503) ?? 0).toBeGreaterThan(0);
    const client = new HeaderClient(app);
    for (const email of acknowledged) {
      const signedIn = await client.signIn(email);
      expect({ email, status: signedIn.body.status }).toEqual({ email, status: 'OK' });
    }
  }, 180_000);
});
