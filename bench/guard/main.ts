import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { median } from '../shared.js';

/**
 * The cost of AuthModule on a request, measured on the server (its own process): the same
 * handler unprotected, behind a guard that only returns true (the floor of any Nest guard),
 * behind AuthGuard with a valid session, behind supertokens-node's own verifySession Express
 * middleware without Nest, and unprotected in an app without AuthModule.
 * Targets run interleaved, several rounds; medians are reported. Prints one JSON line.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 16;

interface Stats {
  cpu: NodeJS.CpuUsage;
  coreCalls: number;
}
interface Ready {
  ports: Record<'openWithAuth' | 'openWithoutAuth' | 'sdkExpress', number>;
  accessToken: string;
}

async function main(): Promise<void> {
  const server = fork(fileURLToPath(new URL('./server.js', import.meta.url)), { stdio: 'inherit' });
  const ready = await new Promise<Ready>((resolve) =>
    server.once('message', (m) => resolve(m as Ready)),
  );
  const stats = () =>
    new Promise<Stats>((resolve) => {
      server.once('message', (m) => resolve(m as Stats));
      server.send('stats');
    });
  const auth = { authorization: `Bearer ${ready.accessToken}` };
  const targets = {
    openWithoutAuth: { port: ready.ports.openWithoutAuth, path: '/open', headers: {} },
    openWithAuth: { port: ready.ports.openWithAuth, path: '/open', headers: {} },
    noopGuard: { port: ready.ports.openWithAuth, path: '/noop-guarded', headers: auth },
    guarded: { port: ready.ports.openWithAuth, path: '/guarded', headers: auth },
    sdkExpress: { port: ready.ports.sdkExpress, path: '/sdk-express', headers: auth },
  };
  type Name = keyof typeof targets;
  const results: Record<
    Name,
    { rps: number[]; cpuMicros: number[]; errors: number; coreCalls: number }
  > = {
    openWithoutAuth: { rps: [], cpuMicros: [], errors: 0, coreCalls: 0 },
    openWithAuth: { rps: [], cpuMicros: [], errors: 0, coreCalls: 0 },
    noopGuard: { rps: [], cpuMicros: [], errors: 0, coreCalls: 0 },
    guarded: { rps: [], cpuMicros: [], errors: 0, coreCalls: 0 },
    sdkExpress: { rps: [], cpuMicros: [], errors: 0, coreCalls: 0 },
  };
  const run = (name: Name, duration: number) =>
    autocannon({
      url: `http://127.0.0.1:${targets[name].port}${targets[name].path}`,
      connections: CONNECTIONS,
      duration,
      headers: targets[name].headers,
    });

  for (const name of Object.keys(targets) as Name[]) await run(name, 1); // warm-up (JIT, JWKS cache)
  const names = Object.keys(targets) as Name[];
  for (let round = 0; round < ROUNDS; round++) {
    // Each round starts with another target, so no target always runs first (or last).
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) {
      const before = await stats();
      const result = await run(name, SECONDS);
      const after = await stats();
      const cpu = after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system;
      const r = results[name];
      r.rps.push(result.requests.average);
      r.cpuMicros.push(cpu / Math.max(1, result.requests.total));
      r.errors += result.errors + result.non2xx;
      r.coreCalls += after.coreCalls - before.coreCalls;
    }
  }
  server.send('stop');

  const summary = Object.fromEntries(
    (Object.keys(results) as Name[]).map((name) => [
      name,
      {
        reqPerSec: Math.round(median(results[name].rps)),
        serverCpuMicrosPerReq: Math.round(median(results[name].cpuMicros)),
        errors: results[name].errors,
        coreCalls: results[name].coreCalls,
      },
    ]),
  ) as Record<
    Name,
    { reqPerSec: number; serverCpuMicrosPerReq: number; errors: number; coreCalls: number }
  >;
  const ratio = (a: Name, b: Name) =>
    Number((summary[a].reqPerSec / summary[b].reqPerSec).toFixed(2));
  const cpuRatio = (a: Name, b: Name) =>
    Number((summary[b].serverCpuMicrosPerReq / summary[a].serverCpuMicrosPerReq).toFixed(2));
  console.log(
    JSON.stringify({
      bench: 'guard',
      connections: CONNECTIONS,
      seconds: SECONDS,
      rounds: ROUNDS,
      ...summary,
      openWithAuthVsWithout: ratio('openWithAuth', 'openWithoutAuth'),
      guardedVsOpen: ratio('guarded', 'openWithAuth'),
      guardedVsOpenByServerCpu: cpuRatio('guarded', 'openWithAuth'),
      guardedVsNoopGuard: ratio('guarded', 'noopGuard'),
      sdkExpressVsOpen: ratio('sdkExpress', 'openWithAuth'),
      coreCallsDuringGuardedRuns: summary.guarded.coreCalls,
    }),
  );
}

void main();
