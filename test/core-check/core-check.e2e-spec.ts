// The start-up check of a `connectionURI` core: a wrong or missing api key, a refused Host, an
// unsupported CDI version and an unlicensed feature stop the app with the fix named; a core that
// cannot be reached only gets a warning, and the app answers 503 until it is up.
import { jest } from '@jest/globals';
import { Logger, type INestApplication } from '@nestjs/common';
import { type AddressInfo, connect, createServer as createTcpServer, type Socket } from 'node:net';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { AuthConfigError, type AuthModuleOptions } from '../../src/auth/index.js';
import { startEmbeddedCore, type EmbeddedCore } from '../../src/core/index.js';
import { formFields, HeaderClient, PASSWORD, uniqueEmail } from '../support/auth-client.js';
import { freePort } from '../support/free-port.js';
import { createTestApp } from '../support/test-app.js';
import { startFakeCore, type FakeCore } from './fake-core.js';

const API_KEY = 'core-check-key-0123456789';

/** What start-up threw, or fails the test when the app started. */
async function startupError(options: Partial<AuthModuleOptions>): Promise<Error> {
  const outcome = await createTestApp(options).then(
    async (app) => {
      await app.close();
      return undefined;
    },
    (error: unknown) => error as Error,
  );
  if (!outcome) throw new Error('the app started');
  return outcome;
}

/** A TCP port forwarded to `target`, as a proxy or a container's port mapping does. */
async function forward(target: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    const upstream = connect(target, '127.0.0.1');
    for (const end of [socket, upstream]) {
      sockets.add(end);
      end.on('close', () => sockets.delete(end));
      end.on('error', () => undefined);
    }
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    // The app's fetch keeps its connection alive: end it, or close() would wait for it.
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('start-up check of a connectionURI core', () => {
  describe('the embedded core run with an api key (as nest-supertokens-core runs it)', () => {
    let core: EmbeddedCore;
    beforeAll(async () => {
      core = await startEmbeddedCore({ apiKey: API_KEY, storage: 'memory' });
    });
    afterAll(() => core.stop());

    it('refuses a missing apiKey, naming the option to set', async () => {
      const error = await startupError({ connectionURI: core.connectionURI });
      expect(error).toBeInstanceOf(AuthConfigError);
      expect(error.message).toBe(
        `AuthModule: the SuperTokens core at ${core.connectionURI} refused the API key (401): ` +
          "apiKey is missing. Fix: set apiKey to one of the core's api_keys " +
          '(e.g. apiKey: process.env.SUPERTOKENS_API_KEY).',
      );
    });

    it('refuses a wrong apiKey without repeating it', async () => {
      const wrong = 'not-the-key-of-this-core-42';
      const error = await startupError({ connectionURI: core.connectionURI, apiKey: wrong });
      expect(error).toBeInstanceOf(AuthConfigError);
      expect(error.message).toContain(
        'refused the API key (401): apiKey is wrong. Fix: set apiKey',
      );
      expect(error.message).not.toContain(wrong);
    });

    it('refuses a Host the core does not accept, quoting it and naming --allowed-host', async () => {
      // Through another port the Host header names that port, which the core has not been told of.
      const proxy = await forward(core.port);
      try {
        const uri = `http://127.0.0.1:${proxy.port}`;
        const error = await startupError({ connectionURI: uri, apiKey: API_KEY });
        expect(error).toBeInstanceOf(AuthConfigError);
        expect(error.message).toBe(
          `AuthModule: the SuperTokens core at ${uri} answered 403 with "Host not allowed": it ` +
            `does not accept the Host "127.0.0.1:${proxy.port}". Fix: connect through the address ` +
            'it listens on (e.g. http://127.0.0.1:<port>), or start nest-supertokens-core with ' +
            `--allowed-host 127.0.0.1:${proxy.port}.`,
        );
      } finally {
        await proxy.close();
      }
    });

    it('starts with the right key, licensed options included, and serves sign-up', async () => {
      const app = await createTestApp({
        connectionURI: core.connectionURI,
        apiKey: API_KEY,
        multitenancy: true,
      });
      try {
        const response = await new HeaderClient(app).signUp(uniqueEmail());
        expect(response.status).toBe(200);
        expect(response.body.status).toBe('OK');
      } finally {
        await app.close();
      }
    });
  });

  describe('an official core 11.4 without a licence key', () => {
    let core: FakeCore;
    beforeAll(async () => {
      core = await startFakeCore({ apiKey: API_KEY });
    });
    afterAll(() => core.stop());

    it('refuses every option whose feature the licence lacks, naming each', async () => {
      const error = await startupError({
        connectionURI: core.connectionURI,
        apiKey: API_KEY,
        multitenancy: true,
        mfa: { requiredSecondaryFactors: ['totp'], totp: true },
        dashboard: {
          users: ['a', 'b', 'c', 'd'].map((name) => ({
            email: `${name}@example.com`,
            password: 'dashboard-password-1',
          })),
        },
      });
      expect(error).toBeInstanceOf(AuthConfigError);
      expect(error.message).toBe(
        `AuthModule: the SuperTokens core at ${core.connectionURI} is not licensed for the ` +
          'options (its /ee/featureflag lists no features):\n' +
          "- multitenancy needs 'multi_tenancy': tenants other than public cannot be created or given users\n" +
          "- mfa needs 'account_linking' or 'mfa': sign-ups and sign-ins that link login methods fail\n" +
          "- mfa.totp needs 'mfa': authenticator apps (TOTP devices) cannot be set up or checked\n" +
          "- dashboard.users (4 logins) needs 'dashboard_login': only the first 3 dashboard logins " +
          'can sign in, and no more can be created\n' +
          "Fix: add a licence key with these features to the core (SuperTokens' paid plans), or " +
          'turn those options off.',
      );
    });

    it('refuses account linking, asking the core only once and in parallel', async () => {
      core.asked.length = 0;
      const error = await startupError({
        connectionURI: core.connectionURI,
        apiKey: API_KEY,
        accountLinking: true,
        emailVerification: { mode: 'REQUIRED' },
      });
      expect(error.message).toContain(
        "- accountLinking needs 'account_linking' or 'mfa': sign-ups and sign-ins that link",
      );
      expect(core.asked.sort()).toEqual(['/apiversion', '/ee/featureflag']);
    });

    it('starts with the options its free tier serves', async () => {
      const app = await createTestApp({
        connectionURI: core.connectionURI,
        apiKey: API_KEY,
        roles: true,
        dashboard: true,
      });
      await app.close();
    });

    it('starts when the check is turned off, without asking the core', async () => {
      core.asked.length = 0;
      const app = await createTestApp({
        connectionURI: core.connectionURI,
        apiKey: API_KEY,
        multitenancy: true,
        coreCheck: false,
      });
      await app.close();
      expect(core.asked).toEqual([]);
    });
  });

  it('refuses a core that does not speak CDI 5.4, naming what it speaks', async () => {
    const core = await startFakeCore({ versions: ['2.21', '3.0', '4.0', '5.0'] });
    try {
      const error = await startupError({ connectionURI: core.connectionURI });
      expect(error).toBeInstanceOf(AuthConfigError);
      expect(error.message).toBe(
        `AuthModule: the SuperTokens core at ${core.connectionURI} speaks CDI 2.21, 3.0, 4.0, ` +
          '5.0, and supertokens-node 24 needs 5.4 (SuperTokens core 11.x). Fix: run core 11.x ' +
          '(or nest-supertokens-core), or raise its max_cdi_version to 5.4.',
      );
    } finally {
      await core.stop();
    }
  });

  describe('a core that cannot be reached at start-up', () => {
    let app: INestApplication<App>;
    let uri: string;
    const warnings: string[] = [];

    beforeAll(async () => {
      uri = `http://127.0.0.1:${await freePort()}`;
      jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => {
        warnings.push(String(message));
      });
      app = await createTestApp({
        connectionURI: uri,
        apiKey: API_KEY,
        dashboard: { users: [{ email: 'admin@example.com', password: 'dashboard-password-1' }] },
      });
    });
    afterAll(async () => {
      jest.restoreAllMocks();
      await app.close();
    });

    it('starts, with warnings naming the URI and the logins left for later, never the key', () => {
      expect(warnings).toContain(
        'dashboard.users were not set up: the core is down. Restart once it is up.',
      );
      expect(warnings).toContain(
        `The SuperTokens core at ${uri} cannot be reached (ECONNREFUSED): starting anyway, auth ` +
          'requests answer 503 until it is. Check connectionURI if it should be up.',
      );
      expect(warnings.join('\n')).not.toContain(API_KEY);
    });

    it('answers 503 to sign-in, saying the core cannot be reached', async () => {
      const response = await request(app.getHttpServer())
        .post('/auth/signin')
        .send(formFields(uniqueEmail(), PASSWORD));
      expect(response.status).toBe(503);
      expect(response.body.message).toBe(
        'Authentication is unavailable: the authentication core cannot be reached. Try again shortly.',
      );
    });
  });
});
