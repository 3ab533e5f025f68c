import type { ExecutionContext } from '@nestjs/common';
import { handshakeRequest } from '../ws/ws-session.js';
import type { PlatformRequest, PlatformResponse } from './http-platform.js';

/**
 * The HTTP request and response behind an execution context, as the platform passes them
 * (Express' objects, Fastify's, or Node's for a WebSocket handshake: see `http-platform.ts`).
 */
export interface RequestResponse {
  req: PlatformRequest;
  res: PlatformResponse;
}

interface GqlContextShape {
  req?: PlatformRequest;
  res?: PlatformResponse;
}

/**
 * The one place that turns an ExecutionContext into the request and response: plain HTTP,
 * GraphQL (the context object conventionally carries `req`/`res`) and WebSocket gateways (the
 * handshake request, no response).
 */
export function getRequestResponse(context: ExecutionContext): RequestResponse {
  const type = context.getType<'http' | 'graphql' | 'ws' | 'rpc'>();
  let req: unknown;
  let res: unknown;
  if (type === 'graphql') {
    const gqlContext = context.getArgByIndex<GqlContextShape>(2);
    req = gqlContext?.req;
    res = gqlContext?.res;
  } else if (type === 'ws') {
    req = handshakeRequest(context.switchToWs().getClient<object>());
  } else {
    req = context.switchToHttp().getRequest<unknown>();
    res = context.switchToHttp().getResponse<unknown>();
  }
  if (req === undefined || req === null) {
    throw new Error(
      `nest-supertokens: no HTTP request in this ${type} context. Potential solutions: for GraphQL, ` +
        "return { req, res } from the driver's context option; for ws (not socket.io), pass the " +
        'connection request to connectWithSession(client, { request }) in handleConnection.',
    );
  }
  return { req: req, res: res as PlatformResponse };
}
