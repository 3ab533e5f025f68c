import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import type { INestApplication } from '@nestjs/common';

/** A request sent with its target exactly as written (no client-side URL normalisation). */
export function rawRequest(
  app: INestApplication,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: object,
): Promise<{ status: number; body: string; headers: IncomingHttpHeaders }> {
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { ...headers, ...(payload && { 'content-type': 'application/json' }) },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
