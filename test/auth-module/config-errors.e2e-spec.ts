import { Test } from '@nestjs/testing';
import { AuthConfigError, AuthModule, type AuthModuleOptions } from '../../src/auth/index.js';
import { freshPostgresDatabase } from '../support/postgres.js';
import { APP_INFO } from '../support/test-app.js';
import { createPlatformApp, initPlatformApp } from '../support/platform.js';

/** Configuration mistakes fail at start-up with the option, the problem and the fix. */
describe('AuthModule configuration errors', () => {
  const compile = (options: AuthModuleOptions) =>
    Test.createTestingModule({ imports: [AuthModule.forRoot(options)] }).compile();

  it('names a missing appInfo, in one line', async () => {
    const error = (await compile({} as AuthModuleOptions).catch((e: unknown) => e)) as Error;
    expect(error.message).toBe(
      'Invalid AuthModule options:\n- appInfo is required: { appName, apiDomain, websiteDomain }',
    );
  });

  it('says what a missing or mistyped URL was, never a placeholder', async () => {
    const error = (await compile({
      appInfo: { appName: 'x', websiteDomain: 42 },
    } as unknown as AuthModuleOptions).catch((e: unknown) => e)) as Error;
    expect(error.message).not.toContain('$value');
    expect(error.message).toContain(
      'appInfo.apiDomain must be the URL your API is reached at, e.g. "http://localhost:3000" (got nothing)',
    );
    expect(error.message).toContain('appInfo.websiteDomain must be the URL of your frontend');
    expect(error.message).toContain('(got 42)');
  });

  it('names every wrong appInfo field with an example of a right value', async () => {
    const error = (await compile({
      appInfo: {
        appName: '',
        apiDomain: 'not a url',
        websiteDomain: 'nope://x',
        apiBasePath: 'auth',
      },
    }).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(AuthConfigError);
    expect(error.message).toContain('appInfo.appName must be a non-empty string');
    expect(error.message).toContain('appInfo.apiDomain must be the URL your API is reached at');
    expect(error.message).toContain('appInfo.websiteDomain must be the URL of your frontend');
    expect(error.message).toContain(
      'appInfo.apiBasePath must be a path starting with "/", e.g. "/auth" (got auth)',
    );
  });

  it('names a wrong security option', async () => {
    const error = (await compile({
      appInfo: APP_INFO,
      security: { revokeSessionsOnPasswordChange: 'yes' as unknown as boolean },
    }).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(AuthConfigError);
    expect(error.message).toContain(
      'security.revokeSessionsOnPasswordChange must be true or false',
    );
  });

  it('names wrong rate limits, and the names and shapes that would be right', async () => {
    const error = (await compile({
      appInfo: APP_INFO,
      rateLimit: {
        trustProxy: -1,
        store: {} as never,
        limits: {
          signInPerIp: { limit: 0, windowSeconds: 60 },
          signInBackoff: { freeFailures: 5 } as never,
          signinPerIp: false,
        } as never,
      },
    }).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(AuthConfigError);
    expect(error.message).toContain('rateLimit.store must be a RateLimitStore');
    expect(error.message).toContain('rateLimit.trustProxy must be the number of proxies');
    expect(error.message).toContain(
      '- rateLimit.limits.signInPerIp must be false or { limit, windowSeconds } (whole numbers, e.g. {"limit":20,"windowSeconds":60})',
    );
    expect(error.message).toContain(
      '- rateLimit.limits.signInBackoff must be false or { freeFailures, maxDelaySeconds, windowSeconds }',
    );
    expect(error.message).toContain(
      '- rateLimit.limits.signinPerIp is not a limit; the limits are signInPerIp, ',
    );
  });

  it('rejects a connectionURI that is not an http(s) URL', async () => {
    await expect(compile({ appInfo: APP_INFO, connectionURI: 'ftp://core' })).rejects.toThrow(
      /connectionURI must be one or more http\(s\) URLs/,
    );
  });

  it('names a coreCheck that is not true or false', async () => {
    await expect(
      compile({ appInfo: APP_INFO, coreCheck: 'no' as unknown as boolean }),
    ).rejects.toThrow('- coreCheck must be true or false');
  });

  it('refuses credentials in the connectionURI without repeating them', async () => {
    const error = (await compile({
      appInfo: APP_INFO,
      connectionURI: 'http://admin:hunter2@127.0.0.1:3567',
    }).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(AuthConfigError);
    expect(error.message).toContain('connectionURI must not contain user:password@');
    expect(error.message).not.toContain('hunter2');
  });

  it('never echoes the api key back', async () => {
    const error = (await compile({ appInfo: APP_INFO, apiKey: 42 as unknown as string }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error.message).toContain('apiKey must be a non-empty string');
    expect(error.message).not.toContain('42');
  });

  describe('with NODE_ENV=production', () => {
    const previous = process.env.NODE_ENV;
    beforeEach(() => {
      process.env.NODE_ENV = 'production';
    });
    afterEach(() => {
      process.env.NODE_ENV = previous;
    });

    it('refuses to start the embedded core and says how to fix it', async () => {
      await expect(compile({ appInfo: APP_INFO })).rejects.toThrow(
        /no connectionURI is set.*SUPERTOKENS_CONNECTION_URI.*allowInProduction/s,
      );
    });

    it('reports every production problem in one error', async () => {
      const error = (await compile({
        appInfo: APP_INFO,
        passwordless: { contactMethod: 'PHONE', flowType: 'USER_INPUT_CODE' },
      }).catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(AuthConfigError);
      const lines = error.message.split('\n').filter((line) => line.startsWith('- '));
      expect(lines).toEqual([
        expect.stringMatching(/^- NODE_ENV is "production" but no connectionURI is set/),
        expect.stringMatching(/^- emailDelivery is 'console' with NODE_ENV=production/),
        expect.stringMatching(/^- smsDelivery is 'console' with NODE_ENV=production/),
      ]);
    });

    it('names the option to set when only SUPERTOKENS_CONNECTION_URI is in the environment', async () => {
      process.env.SUPERTOKENS_CONNECTION_URI = 'http://core.internal:3567';
      try {
        await expect(
          compile({ appInfo: APP_INFO, allowConsoleDeliveryInProduction: true }),
        ).rejects.toThrow(
          'connectionURI is not set, though SUPERTOKENS_CONNECTION_URI is: the module reads its ' +
            'options, not the environment. Fix: connectionURI: process.env.SUPERTOKENS_CONNECTION_URI',
        );
      } finally {
        delete process.env.SUPERTOKENS_CONNECTION_URI;
      }
    });

    it('refuses memory and directory storage even when allowed, naming the fix', async () => {
      for (const storage of ['memory', { dir: '.supertokens' }, undefined] as const) {
        await expect(
          compile({ appInfo: APP_INFO, embeddedCore: { allowInProduction: true, storage } }),
        ).rejects.toThrow(
          /allowInProduction.*only on a PostgreSQL server.*storage to \{ postgres/s,
        );
      }
    });

    it('refuses to print reset links to the console', async () => {
      const database = await freshPostgresDatabase();
      try {
        await expect(
          compile({
            appInfo: APP_INFO,
            embeddedCore: { allowInProduction: true, storage: { postgres: database.url } },
          }),
        ).rejects.toThrow(/emailDelivery is 'console' with NODE_ENV=production.*EmailSender/s);
      } finally {
        await database.drop();
      }
    });

    it('starts the embedded core on PostgreSQL when explicitly allowed', async () => {
      const database = await freshPostgresDatabase();
      try {
        const moduleRef = await compile({
          appInfo: APP_INFO,
          embeddedCore: { allowInProduction: true, storage: { postgres: database.url } },
          emailDelivery: 'inbox',
        });
        const app = createPlatformApp(moduleRef);
        await initPlatformApp(app);
        await app.close();
      } finally {
        await database.drop();
      }
    });
  });
});
