import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import supertokens from 'supertokens-node';
import Session from 'supertokens-node/recipe/session';
import type { SessionContainer } from 'supertokens-node/recipe/session';
import {
  accessTokenUpdated,
  classifySdkError,
  copySession,
  DASHBOARD_VERSION,
  resetSdkSingleton,
  SDK_MESSAGES,
  sdkFramework,
  sdkHasRecipe,
  sdkRecipeModules,
  setSdkFramework,
} from './sdk-internals.js';

/**
 * Each assumption sdk-internals.ts makes about supertokens-node's private parts, checked against
 * the installed SDK. When one fails after an SDK upgrade, fix sdk-internals.ts (and only it).
 */
const require = createRequire(import.meta.url);
const sdkFile = (path: string) =>
  readFileSync(require.resolve(`supertokens-node/lib/build/${path}`), 'utf8');

describe('supertokens-node internals this module relies on', () => {
  it('is the SDK version the adapter was written for (24.x)', () => {
    const { version } = require('supertokens-node/lib/build/version.js') as { version: string };
    expect(version).toMatch(/^24\./);
    expect(DASHBOARD_VERSION).toMatch(/^\d+\.\d+/);
  });

  it("recognises the querier's errors by the texts it throws", () => {
    const querier = sdkFile('querier.js');
    expect(querier).toContain('"No SuperTokens core available to query');
    expect(querier).toContain('"SuperTokens core threw an error for a "');
    expect(querier).toContain('" request to path: \'"');
    expect(querier).toContain('"\' with status code: "');
    expect(querier).toContain('" and message: "');
    expect(classifySdkError(new Error('No SuperTokens core available to query'))).toEqual({
      kind: 'core-unreachable',
    });
    expect(
      classifySdkError(
        new Error(
          "SuperTokens core threw an error for a POST request to path: '/recipe/signin' with status code: 400 and message: Field name 'x' is invalid\n",
        ),
      ),
    ).toEqual({
      kind: 'core-status',
      path: '/recipe/signin',
      status: 400,
      message: "Field name 'x' is invalid",
    });
    expect(classifySdkError(new Error('something else'))).toBeUndefined();
  });

  it("recognises a third-party provider's refusal by the text the SDK throws", () => {
    expect(sdkFile('recipe/thirdparty/providers/custom.js')).toContain(
      'throw new Error(`Received response with status ${tokenResponse.status} and body ${tokenResponse.stringResponse}`)',
    );
    expect(
      classifySdkError(
        new Error('Received response with status 400 and body {"error":"invalid_grant"}'),
      ),
    ).toEqual({ kind: 'provider-status', status: 400, body: '{"error":"invalid_grant"}' });
  });

  it('recognises the dashboard APIs that fail on an unknown recipeUserId', () => {
    for (const api of ['userPut.js', 'userPasswordPut.js']) {
      expect(sdkFile(`recipe/dashboard/api/userdetails/${api}`)).toContain(
        `"${SDK_MESSAGES.unknownRecipeUser}"`,
      );
    }
    expect(classifySdkError(new Error(SDK_MESSAGES.unknownRecipeUser))).toEqual({
      kind: 'unknown-recipe-user',
    });
  });

  it("copies a session through the Session class's constructor, argument order included", () => {
    expect(sdkFile('recipe/session/sessionClass.js')).toContain(
      'constructor(helpers, accessToken, frontToken, refreshToken, antiCsrfToken, sessionHandle, userId, recipeUserId, userDataInAccessToken, reqResInfo, accessTokenUpdated, tenantId)',
    );
    const SessionClass = (
      require('supertokens-node/lib/build/recipe/session/sessionClass.js') as {
        default: new (...args: unknown[]) => SessionContainer;
      }
    ).default;
    const original = new SessionClass(
      { helper: true },
      'access',
      'front',
      { token: 'refresh' },
      'csrf',
      'handle-1',
      'user-1',
      'recipe-user-1',
      { sub: 'user-1', nested: { a: 1 } },
      undefined,
      true,
      'tenant-1',
    );
    const copy = copySession(original);
    expect(copy).toBeInstanceOf(SessionClass);
    expect(copy.getHandle()).toBe('handle-1');
    expect(copy.getUserId()).toBe('user-1');
    expect(copy.getTenantId()).toBe('tenant-1');
    expect(copy.getAccessToken()).toBe('access');
    expect(copy.getAccessTokenPayload()).toEqual(original.getAccessTokenPayload());
    expect(copy.getAccessTokenPayload()).not.toBe(original.getAccessTokenPayload());
    expect(accessTokenUpdated(original)).toBe(true);
    expect(accessTokenUpdated(copy)).toBe(false);
  });

  it('finds the singleton and resets it so supertokens.init() can run again', () => {
    expect(sdkRecipeModules()).toBeUndefined();
    const init = () =>
      supertokens.init({
        supertokens: { connectionURI: 'http://127.0.0.1:1' },
        appInfo: {
          appName: 'x',
          apiDomain: 'http://localhost:3000',
          websiteDomain: 'http://localhost:3001',
        },
        recipeList: [Session.init()],
        telemetry: false,
      });
    init();
    expect(sdkRecipeModules()?.length).toBeGreaterThan(0);
    expect([sdkHasRecipe('session'), sdkHasRecipe('userroles')]).toEqual([true, false]);
    expect(sdkFramework()).toBe('express');
    setSdkFramework('fastify');
    expect(sdkFramework()).toBe('fastify');
    // The SDK reads the field whenever it wraps a raw request and response.
    expect(sdkFile('recipe/session/sessionRequestFunctions.js')).toContain(
      'const configuredFramework = stInstance.framework;',
    );
    setSdkFramework('express');
    resetSdkSingleton();
    expect(sdkRecipeModules()).toBeUndefined();
    expect(sdkHasRecipe('session')).toBe(false);
    expect(process.env.TEST_MODE).toBeUndefined();
    init();
    expect(sdkRecipeModules()?.length).toBeGreaterThan(0);
    resetSdkSingleton();
  });
});
