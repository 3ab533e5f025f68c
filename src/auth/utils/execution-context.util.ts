import type { ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { handshakeRequest } from '../ws/ws-session.js';

/** The HTTP request and response behind an execution context. */
export interface RequestResponse {
  req: Request;
  res: Response;
}

interface GqlContextShape {
  req?: Request;
  res?: Response;
}

/**
 * The one place that turns an ExecutionContext into Express' req/res: plain HTTP, GraphQL
 * (the context object conventionally carries `req`/`res`) and WebSocket gateways (the handshake
 * request, no response). Fastify's request/response are unwrapped to their Node objects (`.raw`).
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
  return { req: unwrap(req) as Request, res: unwrap(res) as Response };
}

const unwrap = (value: unknown): unknown =>
  typeof value === 'object' && value !== null && 'raw' in value ? value.raw : value;
