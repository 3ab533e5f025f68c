import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { SessionContainer } from 'supertokens-node/recipe/session';
import { requestSession } from '../guard/request-session.js';

/** The request being served, for code that has no request at hand. */
const servedRequest = new AsyncLocalStorage<object>();

/**
 * Runs the rest of the request inside its context, so `CurrentSession` can find the request from
 * any provider. Mounted on every route by `AuthModule`, but only when some provider or controller
 * injects `CurrentSession` (an app that does not pays nothing).
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(req: object, _res: unknown, next: () => void): void {
    servedRequest.run(req, next);
  }
}

/**
 * The session of the HTTP request being served, from any provider, without passing it down:
 * what `AuthGuard` verified for that request (through AsyncLocalStorage). Undefined outside a
 * request, on routes without the guard, and in GraphQL or WebSocket handlers (use `@Session()`
 * there). Works beside `nestjs-cls`: each keeps its own context.
 *
 * @example
 * \@Injectable()
 * export class AuditLog {
 *   constructor(private readonly current: CurrentSession) {}
 *   write(action: string) { return this.repo.insert({ action, by: this.current.userId }); }
 * }
 */
@Injectable()
export class CurrentSession {
  /** The verified session, or undefined (see the class comment). */
  get(): SessionContainer | undefined {
    const req = servedRequest.getStore();
    return req === undefined ? undefined : requestSession.get(req);
  }

  /** The verified session; throws when there is none, for code that only runs behind the guard. */
  require(): SessionContainer {
    const session = this.get();
    if (!session) {
      throw new Error(
        'CurrentSession.require(): no verified session for the request being served. Guard the ' +
          'route with AuthGuard (or globalGuard), or use get() where the session is optional.',
      );
    }
    return session;
  }

  /** The signed-in user's id, or undefined. */
  get userId(): string | undefined {
    return this.get()?.getUserId();
  }
}
