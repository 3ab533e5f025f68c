import { Logger } from '@nestjs/common';
import type { User } from 'supertokens-node';
import type {
  APIInterface as EmailPasswordApis,
  RecipeInterface as EmailPasswordFunctions,
} from 'supertokens-node/recipe/emailpassword/types';
import type {
  APIInterface as EmailVerificationApis,
  RecipeInterface as EmailVerificationFunctions,
} from 'supertokens-node/recipe/emailverification/types';
import type {
  APIInterface as PasswordlessApis,
  RecipeInterface as PasswordlessFunctions,
} from 'supertokens-node/recipe/passwordless/types';
import type {
  APIInterface as WebAuthnApis,
  RecipeInterface as WebAuthnFunctions,
} from 'supertokens-node/recipe/webauthn/types';
import type {
  APIInterface as SessionApis,
  RecipeInterface as SessionFunctions,
} from 'supertokens-node/recipe/session';

/** Which recipe a user signed up or in with. */
export type AuthHookRecipe = 'emailpassword' | 'passwordless' | 'thirdparty' | 'webauthn';

/** A sign-up or sign-in. */
export interface AuthUserEvent {
  user: User;
  /** The login method used (its recipe user id), which differs from `user.id` when accounts are linked. */
  recipeUserId: string;
  tenantId: string;
  recipe: AuthHookRecipe;
}

/** A session that was created or ended. */
export interface AuthSessionEvent {
  userId: string;
  recipeUserId: string;
  tenantId: string;
  sessionHandle: string;
}

/** A password reset through the reset link. */
export interface AuthPasswordResetEvent {
  user: User;
  email: string;
  tenantId: string;
}

/** An email verified through the verification link. */
export interface AuthEmailVerifiedEvent {
  recipeUserId: string;
  email: string;
  tenantId: string;
}

/**
 * What an app does after auth events, as an injectable class: `AuthModule.forRoot({ hooks:
 * MyAuthHooks })`. Register the class as a provider in your own module to give it that module's
 * injectables (it is found app-wide); otherwise the module instantiates it with what it can see.
 * Every method is optional and may be async; the auth answer waits for it.
 *
 * A hook that throws is logged, and the request fails as any unexpected error does: Nest's 500
 * (through your exception filters). What the SDK already did (the new user, the session) stays
 * done: make hooks that must not fail the request catch their own errors.
 *
 * @example
 * \@Injectable()
 * export class MyAuthHooks implements AuthHooks {
 *   constructor(private readonly mailer: Mailer) {}
 *   async afterSignUp({ user }: AuthUserEvent) { await this.mailer.welcome(user.emails[0]); }
 * }
 */
export interface AuthHooks {
  afterSignUp?(event: AuthUserEvent): unknown;
  afterSignIn?(event: AuthUserEvent): unknown;
  afterSessionCreated?(event: AuthSessionEvent): unknown;
  afterSignOut?(event: AuthSessionEvent): unknown;
  afterPasswordReset?(event: AuthPasswordResetEvent): unknown;
  afterEmailVerified?(event: AuthEmailVerifiedEvent): unknown;
}

const logger = new Logger('AuthHooks');

/** The `@nestjs/event-emitter` event each hook is also emitted as (`auth.signUp`, ...). */
export const AUTH_EVENTS = {
  afterSignUp: 'auth.signUp',
  afterSignIn: 'auth.signIn',
  afterSessionCreated: 'auth.sessionCreated',
  afterSignOut: 'auth.signOut',
  afterPasswordReset: 'auth.passwordReset',
  afterEmailVerified: 'auth.emailVerified',
} as const satisfies Record<keyof AuthHooks, string>;

/** The part of `@nestjs/event-emitter`'s `EventEmitter2` used here. */
export interface AuthEventEmitter {
  emitAsync(event: string, ...values: unknown[]): Promise<unknown[]>;
}

/**
 * The app's hooks instance and event emitter, bound once the app's providers exist (the SDK's
 * recipes are built before them). Without either, a run is a no-op.
 */
export class AuthHooksRunner {
  hooks?: AuthHooks;
  events?: AuthEventEmitter;

  async run<K extends keyof AuthHooks>(
    name: K,
    event: Parameters<NonNullable<AuthHooks[K]>>[0],
  ): Promise<void> {
    const hook = this.hooks?.[name] as ((event: unknown) => unknown) | undefined;
    try {
      if (hook) await hook.call(this.hooks, event);
      if (this.events) await this.events.emitAsync(AUTH_EVENTS[name], event);
    } catch (error) {
      logger.error(`${name} failed: ${(error as Error)?.message ?? String(error)}`);
      throw error;
    }
  }
}

/**
 * SDK overrides with dependency injection: an injectable class (`AuthModule.forRoot({ overrides:
 * MyOverrides })`) whose methods take a recipe's implementation and return yours, exactly like
 * the SDK's `override.functions` / `override.apis`. They run above the module's own wiring and
 * below the `override` of the recipe's options. Bound once the app's providers exist; calls before
 * that (none in a running app) use the implementation as it was.
 */
export interface AuthOverrides {
  emailPasswordFunctions?(original: EmailPasswordFunctions): EmailPasswordFunctions;
  emailPasswordApis?(original: EmailPasswordApis): EmailPasswordApis;
  passwordlessFunctions?(original: PasswordlessFunctions): PasswordlessFunctions;
  passwordlessApis?(original: PasswordlessApis): PasswordlessApis;
  webauthnFunctions?(original: WebAuthnFunctions): WebAuthnFunctions;
  webauthnApis?(original: WebAuthnApis): WebAuthnApis;
  sessionFunctions?(original: SessionFunctions): SessionFunctions;
  sessionApis?(original: SessionApis): SessionApis;
  emailVerificationFunctions?(original: EmailVerificationFunctions): EmailVerificationFunctions;
  emailVerificationApis?(original: EmailVerificationApis): EmailVerificationApis;
}

/** The app's overrides instance, late-bound (see `AuthOverrides`). */
export class AuthOverridesBinding {
  overrides?: AuthOverrides;

  /**
   * An implementation whose every function asks the bound overrides (once, then keeps their
   * result); until they are bound, or when they do not override this, the original answers.
   */
  late<T extends object>(original: T, name: keyof AuthOverrides): T {
    let resolved: T | undefined;
    const current = (): T => {
      if (resolved) return resolved;
      const override = this.overrides?.[name] as ((original: T) => T) | undefined;
      if (!this.overrides) return original;
      return (resolved = override ? override.call(this.overrides, original) : original);
    };
    const late: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(original)) {
      late[key] =
        typeof value === 'function'
          ? (...args: unknown[]) =>
              (current() as Record<string, (...a: unknown[]) => unknown>)[key](...args)
          : value;
    }
    return late as T;
  }
}
