import type { IncomingMessage, ServerResponse } from 'node:http';
import * as express from 'supertokens-node/framework/express';
import * as fastify from 'supertokens-node/framework/fastify';

/**
 * Express and Fastify in one place. Nest hands the module either platform's request and response
 * (Express' `req`/`res`, Fastify's `FastifyRequest`/`FastifyReply`) or, in Fastify middleware and
 * WebSocket handshakes, Node's own objects. Everything here works on all three, so the
 * middleware, the guard and the exception filter never ask which platform they run on: a Fastify
 * object is recognised by its shape (its Node object under `raw`), anything else is Express-like.
 */

/** The request as any of the platforms passes it. */
export type PlatformRequest = object;
/** The response as any of the platforms passes it. */
export type PlatformResponse = object;

type SdkRequest = ReturnType<typeof express.wrapRequest>;
type SdkResponse = ReturnType<typeof express.wrapResponse>;

interface FastifyRequestShape {
  raw: IncomingMessage;
  body?: unknown;
  originalUrl?: string;
  url: string;
}

interface FastifyReplyShape {
  raw: ServerResponse;
  sent: boolean;
  code(status: number): FastifyReplyShape;
  header(name: string, value: string): FastifyReplyShape;
  getHeader(name: string): unknown;
  send(body: unknown): FastifyReplyShape;
  hijack(): FastifyReplyShape;
}

interface ExpressRequestShape extends IncomingMessage {
  body?: unknown;
  originalUrl?: string;
}

/** A Fastify request or reply: the wrapper object with Node's own under `raw`. */
const isFastify = (value: object): boolean =>
  'raw' in value && typeof (value as { raw?: unknown }).raw === 'object' && 'server' in value;

/** Node's `IncomingMessage` behind a request of either platform. */
export function nodeRequest(req: PlatformRequest): IncomingMessage {
  return isFastify(req) ? (req as FastifyRequestShape).raw : (req as IncomingMessage);
}

/** Node's `ServerResponse` behind a response of either platform. */
function nodeResponse(res: PlatformResponse): ServerResponse {
  return isFastify(res) ? (res as FastifyReplyShape).raw : (res as ServerResponse);
}

/** The parsed body, if the platform parsed one. */
export const requestBody = (req: PlatformRequest): unknown =>
  (req as FastifyRequestShape | ExpressRequestShape).body;

/** The URL as the client sent it (before any mount point was stripped). */
export function originalUrl(req: PlatformRequest): string {
  const shaped = req as FastifyRequestShape | ExpressRequestShape;
  return shaped.originalUrl ?? nodeRequest(req).url ?? '/';
}

/** The request as supertokens-node's request wrapper for its platform. */
export const sdkRequest = (req: PlatformRequest): SdkRequest =>
  isFastify(req) ? fastify.wrapRequest(req) : express.wrapRequest(req);

/** The response as supertokens-node's response wrapper for its platform. */
export const sdkResponse = (res: PlatformResponse): SdkResponse =>
  isFastify(res) ? fastify.wrapResponse(res) : express.wrapResponse(res);

/** Whether the response has been sent (or is being written). */
export const responseStarted = (res: PlatformResponse): boolean =>
  isFastify(res) ? (res as FastifyReplyShape).sent : nodeResponse(res).headersSent;

/** Sets a response header on either platform (kept when the platform sends its answer). */
export function setResponseHeader(res: PlatformResponse, name: string, value: string): void {
  if (isFastify(res)) (res as FastifyReplyShape).header(name, value);
  else nodeResponse(res).setHeader(name, value);
}

/** A response header set so far, on either platform. */
export function responseHeader(res: PlatformResponse, name: string): unknown {
  return isFastify(res)
    ? (res as FastifyReplyShape).getHeader(name)
    : nodeResponse(res).getHeader(name);
}

/** Answers `status` with a JSON body on either platform. */
export function sendJson(res: PlatformResponse, status: number, body: unknown): void {
  if (isFastify(res)) {
    const reply = res as FastifyReplyShape;
    reply.code(status).header('content-type', 'application/json; charset=utf-8');
    reply.send(JSON.stringify(body));
    return;
  }
  const express = res as { status?: (code: number) => { json(body: unknown): void } };
  if (typeof express.status === 'function') {
    express.status(status).json(body);
    return;
  }
  const raw = nodeResponse(res);
  raw.statusCode = status;
  raw.setHeader('Content-Type', 'application/json; charset=utf-8');
  raw.end(JSON.stringify(body));
}

/**
 * Node's response, for code that writes it directly (a streamed file): Fastify is told first
 * (`hijack()`), so it neither sends an answer of its own nor complains that none was sent.
 */
export function takeOverResponse(res: PlatformResponse): ServerResponse {
  if (isFastify(res)) (res as FastifyReplyShape).hijack();
  return nodeResponse(res);
}
