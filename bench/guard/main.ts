import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { median } from '../shared.js';

/**
 * The cost of AuthModule on a request, on Express and on Fastify, measured on the server (one
 * process per platform): the same handler unprotected, behind a guard that only returns true (the
 * floor of any Nest guard), behind AuthGuard with a valid session, behind supertokens-node's own
 * verifySession on the bare platform without Nest, and unprotected in an app without AuthModule.
 * All targets of both platforms run interleaved in one run, several rounds; medians are
 * reported. Prints one JSON line.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 16;
const ALL_PLATFORMS = ['express', 'fastify'] as const;
type Platform = (typeof ALL_PLATFORMS)[number];
/** `BENCH_PLATFORMS=fastify` measures one platform only (both by default). */
const PLATFORMS = ALL_PLATFORMS.filter((p) =>
  (process.env.BENCH_PLATFORMS ?? 'express,fastify').split(',').includes(p),
);
const KINDS = ['openWithoutAuth', 'openWithAuth', 'noopGuard', 'guarded', 'sdkOwn'] as const;
type Kind = (typeof KINDS)[number];

interface Stats {
  cpu: NodeJS.CpuUsage;
  coreCalls: number;
}
interface Ready {
  ports: Record<'openWithAuth' | 'openWithoutAuth' | 'sdkOwn', number>;
  accessToken: string;
}
interface Server {
  process: ChildProcess;
  ready: Ready;
  stats(): Promise<Stats>;
}
interface Target {
  platform: Platform;
  kind: Kind;
  server: Server;
  port: number;
  path: string;
  headers: Record<string, string>;
}
interface Measured {
  rps: number[];
  cpuMicros: number[];
  errors: number;
  coreCalls: number;
}

async function startServer(platform: Platform): Promise<Server> {
  const child = fork(fileURLToPath(new URL('./server.js', import.meta.url)), {
    stdio: 'inherit',
    env: { ...process.env, BENCH_PLATFORM: platform },
  });
  const ready = await new Promise<Ready>((resolve) =>
    child.once('message', (m) => resolve(m as Ready)),
  );
  const stats = () =>
    new Promise<Stats>((resolve) => {
      child.once('message', (m) => resolve(m as Stats));
      child.send('stats');
    });
  return { process: child, ready, stats };
}

function targetsOf(platform: Platform, server: Server): Target[] {
  const { ports, accessToken } = server.ready;
  const auth = { authorization: `Bearer ${accessToken}` };
  const routes: Record<Kind, { port: number; path: string; headers: Record<string, string> }> = {
    openWithoutAuth: { port: ports.openWithoutAuth, path: '/open', headers: {} },
    openWithAuth: { port: ports.openWithAuth, path: '/open', headers: {} },
    noopGuard: { port: ports.openWithAuth, path: '/noop-guarded', headers: auth },
    guarded: { port: ports.openWithAuth, path: '/guarded', headers: auth },
    sdkOwn: { port: ports.sdkOwn, path: '/sdk-own', headers: auth },
  };
  return KINDS.map((kind) => ({ platform, kind, server, ...routes[kind] }));
}

async function main(): Promise<void> {
  const servers = {} as Record<Platform, Server>;
  for (const platform of PLATFORMS) servers[platform] = await startServer(platform);
  const targets = PLATFORMS.flatMap((platform) => targetsOf(platform, servers[platform]));
  const results = new Map<Target, Measured>(
    targets.map((t) => [t, { rps: [], cpuMicros: [], errors: 0, coreCalls: 0 }]),
  );
  const run = (target: Target, duration: number) =>
    autocannon({
      url: `http://127.0.0.1:${target.port}${target.path}`,
      connections: CONNECTIONS,
      duration,
      headers: target.headers,
    });

  for (const target of targets) await run(target, 1); // warm-up (JIT, JWKS cache)
  for (let round = 0; round < ROUNDS; round++) {
    // Each round starts with another target, so no target always runs first (or last).
    const order = targets.map((_, i) => targets[(i + round) % targets.length]);
    for (const target of order) {
      const before = await target.server.stats();
      const result = await run(target, SECONDS);
      const after = await target.server.stats();
      const cpu = after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system;
      const r = results.get(target)!;
      r.rps.push(result.requests.average);
      r.cpuMicros.push(cpu / Math.max(1, result.requests.total));
      r.errors += result.errors + result.non2xx;
      r.coreCalls += after.coreCalls - before.coreCalls;
    }
  }
  for (const server of Object.values(servers)) server.process.send('stop');

  const report = Object.fromEntries(
    PLATFORMS.map((platform) => {
      const summary = Object.fromEntries(
        targets
          .filter((t) => t.platform === platform)
          .map((t) => {
            const r = results.get(t)!;
            return [
              t.kind,
              {
                reqPerSec: Math.round(median(r.rps)),
                serverCpuMicrosPerReq: Number(median(r.cpuMicros).toFixed(1)),
                errors: r.errors,
                coreCalls: r.coreCalls,
              },
            ];
          }),
      ) as Record<
        Kind,
        { reqPerSec: number; serverCpuMicrosPerReq: number; errors: number; coreCalls: number }
      >;
      const ratio = (a: Kind, b: Kind) =>
        Number((summary[a].reqPerSec / summary[b].reqPerSec).toFixed(2));
      const cpuRatio = (a: Kind, b: Kind) =>
        Number((summary[b].serverCpuMicrosPerReq / summary[a].serverCpuMicrosPerReq).toFixed(2));
      const addedCpu = (a: Kind, b: Kind) =>
        Number((summary[a].serverCpuMicrosPerReq - summary[b].serverCpuMicrosPerReq).toFixed(1));
      return [
        platform,
        {
          ...summary,
          openWithAuthVsWithout: ratio('openWithAuth', 'openWithoutAuth'),
          guardedVsOpen: ratio('guarded', 'openWithAuth'),
          guardedVsOpenByServerCpu: cpuRatio('guarded', 'openWithAuth'),
          noopGuardVsOpen: ratio('noopGuard', 'openWithAuth'),
          guardedVsNoopGuard: ratio('guarded', 'noopGuard'),
          guardAddedCpuMicrosPerReq: addedCpu('guarded', 'openWithAuth'),
          guardAddedCpuOverNoopGuardMicrosPerReq: addedCpu('guarded', 'noopGuard'),
          sdkOwnVsOpen: ratio('sdkOwn', 'openWithAuth'),
          coreCallsDuringGuardedRuns: summary.guarded.coreCalls,
        },
      ];
    }),
  );
  console.log(
    JSON.stringify({
      bench: 'guard',
      connections: CONNECTIONS,
      seconds: SECONDS,
      rounds: ROUNDS,
      ...report,
    }),
  );
}

void main();
