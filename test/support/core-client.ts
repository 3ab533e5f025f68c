import type { EmbeddedCore } from '../../src/core/index.js';

export interface CoreReply {
  status: number;
  type: string;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies of many shapes, checked by the assertions
  json: any;
}

/** Raw CDI calls, the way supertokens-node makes them (with the core's key unless one is given). */
export function coreClient(
  core: Pick<EmbeddedCore, 'connectionURI' | 'apiKey'>,
  key: string | undefined = core.apiKey,
) {
  return async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<CoreReply> => {
    const response = await fetch(`${core.connectionURI}${path}`, {
      method,
      // A core that never answers fails the test here instead of hanging it.
      signal: AbortSignal.timeout(10_000),
      headers: {
        'cdi-version': '5.4',
        ...(key && { 'api-key': key }),
        ...(body !== undefined && { 'content-type': 'application/json; charset=utf-8' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      type,
      text,
      json: type.startsWith('application/json') ? JSON.parse(text) : undefined,
    };
  };
}
