import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The CDI versions core 11.4 offers (`WebserverAPI.supportedVersions`). */
export const CORE_11_4_VERSIONS = [
  ...['2.7', '2.8', '2.9', '2.10', '2.11', '2.12', '2.13', '2.14', '2.15', '2.16', '2.17'],
  ...['2.18', '2.19', '2.20', '2.21', '3.0', '3.1', '4.0', '5.0', '5.1', '5.2', '5.3', '5.4'],
];

/** A fake core started by `startFakeCore`. */
export interface FakeCore {
  readonly connectionURI: string;
  /** The paths asked, in order. */
  readonly asked: string[];
  stop(): Promise<void>;
}

/**
 * An official SuperTokens core as the start-up check sees it, on 127.0.0.1: `/hello`, and, with
 * the api key, `/apiversion` and `/ee/featureflag`. By default it is core 11.4 on PostgreSQL
 * without a licence key: its `/ee/featureflag` lists no feature and only the monthly active
 * users (`EEFeatureFlagAPI`, `EEFeatureFlag.getPaidFeatureStats`).
 */
export async function startFakeCore(
  options: { apiKey?: string; versions?: string[]; features?: string[] } = {},
): Promise<FakeCore> {
  const asked: string[] = [];
  const server: Server = createServer((req, res) => {
    asked.push(req.url ?? '');
    const text = (status: number, body: string) =>
      res.writeHead(status, { 'content-type': 'text/html;charset=UTF-8' }).end(body);
    const json = (body: object) =>
      res
        .writeHead(200, { 'content-type': 'application/json;charset=UTF-8' })
        .end(JSON.stringify(body));
    if (req.url === '/hello') return text(200, 'Hello');
    if (options.apiKey !== undefined && req.headers['api-key'] !== options.apiKey) {
      return text(401, 'Invalid API key');
    }
    if (req.url === '/apiversion')
      return json({ versions: options.versions ?? CORE_11_4_VERSIONS });
    if (req.url === '/ee/featureflag') {
      return json({
        features: options.features ?? [],
        usageStats: { maus: Array.from({ length: 31 }, () => 0) },
        status: 'OK',
      });
    }
    return text(404, 'Not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    connectionURI: `http://127.0.0.1:${port}`,
    asked,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
