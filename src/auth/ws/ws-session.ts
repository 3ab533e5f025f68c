import type { IncomingMessage } from 'node:http';
import Session, {
  type SessionContainer,
  type VerifySessionOptions,
} from 'supertokens-node/recipe/session';
import { isSuperTokensError } from '../errors/supertokens-http.exception.js';
import { requestSession } from '../guard/request-session.js';

/** The event a WebSocket client gets before it is disconnected for its session. */
export const WS_AUTH_ERROR_EVENT = 'auth_error';

/** What a WebSocket client is told when its session is refused. */
export interface WsAuthError {
  /** `UNAUTHENTICATED`: no, an expired or a revoked session; `FORBIDDEN`: a failed claim. */
  code: 'UNAUTHENTICATED' | 'FORBIDDEN';
  /** The SDK's message: `try refresh token`, `unauthorised` or `invalid claim`. */
  message: string;
  /** Set when the client should refresh its session over HTTP and reconnect. */
  tryRefresh?: true;
  claimValidationErrors?: unknown;
}

interface SocketIoClient {
  handshake?: { auth?: Record<string, unknown>; headers?: IncomingMessage['headers'] };
  request?: IncomingMessage;
  emit?: (event: string, data: unknown) => unknown;
  disconnect?: (close?: boolean) => unknown;
}
interface WsClient {
  send?: (data: string) => unknown;
  close?: (code?: number, reason?: string) => unknown;
}

/** ws clients carry no request: the one given at connection time, kept for the guard. */
const handshakes = new WeakMap<object, IncomingMessage>();

/** The handshake request of a WebSocket client (socket.io's `client.request`, or ws's as given). */
export function handshakeRequest(client: object): IncomingMessage | undefined {
  return (client as SocketIoClient).request ?? handshakes.get(client);
}

const COOKIE = /(?:^|;\s*)(?:__Host-|__Secure-)?sAccessToken=([^;]+)/;

/**
 * A WebSocket client's access token, in order: socket.io's `auth: { token }`, the handshake's
 * `Authorization: Bearer`, its `sAccessToken` cookie (browsers send cookies with the upgrade).
 */
export function handshakeAccessToken(client: object): string | undefined {
  const auth = (client as SocketIoClient).handshake?.auth?.token;
  if (typeof auth === 'string' && auth !== '') return auth.replace(/^Bearer\s+/i, '');
  const headers =
    (client as SocketIoClient).handshake?.headers ?? handshakeRequest(client)?.headers;
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers?.authorization ?? '')?.[1];
  if (bearer) return bearer;
  const cookie = COOKIE.exec(headers?.cookie ?? '')?.[1];
  return cookie ? decodeURIComponent(cookie) : undefined;
}

/** The refusal a client gets for an SDK session error; undefined for anything else. */
export function wsAuthError(error: unknown): WsAuthError | undefined {
  if (!isSuperTokensError(error)) return undefined;
  const { type, payload } = error as { type?: string; payload?: unknown };
  if (type === Session.Error.TRY_REFRESH_TOKEN) {
    return { code: 'UNAUTHENTICATED', message: 'try refresh token', tryRefresh: true };
  }
  if (type === Session.Error.UNAUTHORISED)
    return { code: 'UNAUTHENTICATED', message: 'unauthorised' };
  if (type === Session.Error.INVALID_CLAIMS) {
    return { code: 'FORBIDDEN', message: 'invalid claim', claimValidationErrors: payload };
  }
  return undefined;
}

/**
 * Verifies the access token of a WebSocket client's handshake (see `handshakeAccessToken`).
 * Answers the session (undefined without a token when `sessionRequired: false`), or throws the
 * SDK's error (see `wsAuthError`). `@Session()` in the
 * client's message handlers reads the session verified last.
 */
export async function verifyWsSession(
  client: object,
  options: VerifySessionOptions = {},
): Promise<SessionContainer | undefined> {
  const token = handshakeAccessToken(client);
  const request = handshakeRequest(client);
  let session: SessionContainer | undefined;
  if (token) {
    session = await Session.getSessionWithoutRequestResponse(token, undefined, options);
  } else if (options.sessionRequired !== false) {
    throw new Session.Error({ type: Session.Error.UNAUTHORISED, message: 'No access token' });
  }
  if (request) requestSession.set(request, session);
  return session;
}

/**
 * For a gateway's `handleConnection`: verifies the client's session when it connects. A refused
 * client gets an `auth_error` event (`WsAuthError`) and is disconnected (ws: closed with 4401 or
 * 4403); the answer is then undefined. For the `ws` library, pass the connection's request,
 * which ws does not keep on the client.
 *
 * @example
 * async handleConnection(client: Socket) {
 *   const session = await connectWithSession(client, { checkDatabase: true });
 *   if (session) client.data.userId = session.getUserId();
 * }
 */
export async function connectWithSession(
  client: object,
  options: VerifySessionOptions & { request?: IncomingMessage } = {},
): Promise<SessionContainer | undefined> {
  const { request, ...verifyOptions } = options;
  if (request) handshakes.set(client, request);
  try {
    return await verifyWsSession(client, verifyOptions);
  } catch (error) {
    const refusal = wsAuthError(error);
    if (!refusal) throw error;
    refuse(client, refusal);
    return undefined;
  }
}

function refuse(client: object, refusal: WsAuthError): void {
  const socketIo = client as SocketIoClient;
  if (typeof socketIo.emit === 'function' && typeof socketIo.disconnect === 'function') {
    socketIo.emit(WS_AUTH_ERROR_EVENT, refusal);
    socketIo.disconnect(true);
    return;
  }
  const ws = client as WsClient;
  ws.send?.(JSON.stringify({ event: WS_AUTH_ERROR_EVENT, data: refusal }));
  ws.close?.(refusal.code === 'FORBIDDEN' ? 4403 : 4401, refusal.message);
}
