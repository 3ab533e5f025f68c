/**
 * Everything this module takes from supertokens-node that is not its public API, in one place:
 * deep imports of `lib/build`, casts to the SDK's private shapes, and error recognition by
 * message text. `sdk-internals.spec.ts` pins each assumption against the installed SDK, so an
 * SDK upgrade that breaks one fails there, by name. Use the SDK's public API everywhere else.
 * Written against supertokens-node 24.0.3.
 */
import type { SessionContainer } from 'supertokens-node/recipe/session';
import type { UserContext } from 'supertokens-node/types';
import * as jwksModule from 'supertokens-node/lib/build/combinedRemoteJWKSet.js';
import * as querierModule from 'supertokens-node/lib/build/querier.js';
import SessionRecipeModule from 'supertokens-node/lib/build/recipe/session/recipe.js';
import SuperTokensModule from 'supertokens-node/lib/build/supertokens.js';
import * as sdkVersion from 'supertokens-node/lib/build/version.js';

/**
 * The class a CommonJS module of the SDK exports as `default`. This file is compiled twice: as
 * ESM a default import is the whole `module.exports` (the class is its `default`); as CommonJS
 * (`esModuleInterop`) it is already the class.
 */
function defaultExport<T>(module: T): T extends { default: infer D } ? D : T {
  return ((module as { default?: unknown }).default ?? module) as T extends { default: infer D }
    ? D
    : T;
}

const SuperTokens = defaultExport(SuperTokensModule);
const SessionRecipe = defaultExport(SessionRecipeModule);

/** The dashboard UI version this SDK loads (`lib/build/version.js`). */
export const DASHBOARD_VERSION: string = sdkVersion.dashboardVersion;

/** The SDK singleton's recipe instances, or undefined before `supertokens.init()`. */
export function sdkRecipeModules(): object[] | undefined {
  return (SuperTokens as unknown as { instance?: { recipeModules: object[] } }).instance
    ?.recipeModules;
}

/**
 * The platform the SDK wraps raw requests for (`supertokens.init({ framework })`), set once Nest
 * has chosen its HTTP adapter, which happens after `init()` in tests built with
 * `@nestjs/testing`. The module wraps its own requests itself; this is for the app's code that
 * passes Fastify's request and reply to `Session.getSession()` and the like.
 */
export function setSdkFramework(framework: 'express' | 'fastify'): void {
  const instance = (SuperTokens as unknown as { instance?: { framework: string } }).instance;
  if (instance) instance.framework = framework;
}

/** The platform the SDK wraps raw requests for. */
export const sdkFramework = (): string | undefined =>
  (SuperTokens as unknown as { instance?: { framework: string } }).instance?.framework;

/** Whether `supertokens.init()` set up a recipe with this id (`userroles`, `emailverification`, ...). */
export function sdkHasRecipe(recipeId: string): boolean {
  return (sdkRecipeModules() ?? []).some(
    (recipe) => (recipe as { getRecipeId?: () => string }).getRecipeId?.() === recipeId,
  );
}

/**
 * Forgets the SDK's configuration (its own `reset()` functions, which it guards behind
 * `TEST_MODE`), so `supertokens.init()` can run again in this process.
 */
export function resetSdkSingleton(): void {
  const previous = process.env.TEST_MODE;
  process.env.TEST_MODE = 'testing';
  try {
    for (const recipe of sdkRecipeModules() ?? []) {
      (recipe.constructor as { reset?: () => void }).reset?.();
    }
    SuperTokens.reset();
  } finally {
    if (previous === undefined) delete process.env.TEST_MODE;
    else process.env.TEST_MODE = previous;
  }
}

/** Whether the claim validators the Session recipe would run for this session are none. */
export async function hasNoRequiredClaimValidators(session: SessionContainer): Promise<boolean> {
  const validators = await SessionRecipe.getInstanceOrThrowError().getRequiredClaimValidators(
    session,
    undefined,
    {} as UserContext,
  );
  return validators.length === 0;
}

/**
 * Looks `kid` up in the core's JWKS through the SDK's own key cache and fetcher (what a token
 * verification does). Throws what jose or the fetch throws.
 */
export async function lookUpSigningKey(alg: string, kid: string | undefined): Promise<void> {
  const session = SessionRecipe.getInstanceOrThrowError();
  const querier = querierModule.Querier.getNewInstanceOrThrowError(
    SuperTokens.getInstanceOrThrowError(),
  );
  const keys = jwksModule.getCombinedJWKS(querier, session.config);
  await keys({ alg, kid }, { payload: '', signature: '' });
}

/** The fields of the SDK's private Session class, in its constructor's order. */
interface SessionState {
  helpers: unknown;
  accessToken: string;
  frontToken: string;
  refreshToken: unknown;
  antiCsrfToken: unknown;
  sessionHandle: string;
  userId: string;
  recipeUserId: unknown;
  userDataInAccessToken: unknown;
  tenantId: string;
  accessTokenUpdated?: boolean;
}
type SessionClass = new (...state: unknown[]) => SessionContainer;

/**
 * A deep copy of a JSON value (an access token's payload). Not `structuredClone`: that one
 * serialises through a buffer, and its garbage, at one copy per guarded request, cost more than
 * the rest of the guard together (measured with bench/guard).
 */
function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  const copy: Record<string, unknown> = {};
  for (const key in value) copy[key] = cloneJson((value as Record<string, unknown>)[key]);
  return copy as T;
}

/**
 * A fresh container with the same state, built through the same (private) constructor the SDK
 * uses, so every copy has one shape, with its own payload object.
 */
export function copySession(template: SessionContainer): SessionContainer {
  const s = template as unknown as SessionState;
  const SessionClass = template.constructor as SessionClass;
  return new SessionClass(
    s.helpers,
    s.accessToken,
    s.frontToken,
    s.refreshToken,
    s.antiCsrfToken,
    s.sessionHandle,
    s.userId,
    s.recipeUserId,
    cloneJson(s.userDataInAccessToken),
    undefined,
    false,
    s.tenantId,
  );
}

/** Whether the SDK issued a new access token for this session during the request. */
export const accessTokenUpdated = (session: SessionContainer): boolean =>
  (session as unknown as SessionState).accessTokenUpdated === true;

/** What the SDK's error means, recognised by its message (the SDK throws plain Errors). */
export type SdkErrorKind =
  | { kind: 'core-unreachable' }
  | { kind: 'core-status'; path: string; status: number; message: string }
  | { kind: 'unknown-recipe-user' }
  /** A third-party provider answered a non-2xx status (token or user info endpoint). */
  | { kind: 'provider-status'; status: number; body: string };

export const SDK_MESSAGES = {
  /** Querier: every core URI failed. */
  unreachable: /No SuperTokens core available to query/,
  /** Querier: the core answered a non-2xx status. */
  coreStatus:
    /SuperTokens core threw an error for a \w+ request to path: '([^']*)' with status code: (\d+) and message: (.*)$/s,
  /** Dashboard APIs given a recipeUserId that does not exist. */
  unknownRecipeUser: 'Should never come here',
  /** ThirdParty providers: the provider's token or user info endpoint answered a non-2xx status. */
  providerStatus: /^Received response with status (\d{3}) and body ([\s\S]*)$/,
} as const;

export function classifySdkError(error: Error): SdkErrorKind | undefined {
  if (SDK_MESSAGES.unreachable.test(error.message)) return { kind: 'core-unreachable' };
  const match = SDK_MESSAGES.coreStatus.exec(error.message);
  if (match) {
    return {
      kind: 'core-status',
      path: match[1] ?? '',
      status: Number(match[2]),
      message: (match[3] ?? '').trim(),
    };
  }
  if (error.message === SDK_MESSAGES.unknownRecipeUser) return { kind: 'unknown-recipe-user' };
  const provider = SDK_MESSAGES.providerStatus.exec(error.message);
  if (provider) return { kind: 'provider-status', status: Number(provider[1]), body: provider[2] };
  return undefined;
}
