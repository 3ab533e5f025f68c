// What scripts/with-postgres.mjs and scripts/with-redis.mjs share: the command line, Debian
// packages installed when missing, a free port on 127.0.0.1, and running the command with the
// service's URL in the environment, stopping the service whatever way the command ends.
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** The command to run, from `node scripts/<script> <command> [args...]`. */
export function commandLine(script) {
  const [command, ...args] = process.argv.slice(2);
  if (!command) {
    console.error(`usage: node scripts/${script} <command> [args...]`);
    process.exit(2);
  }
  return { command, args };
}

/** apt-get installs `pkg` (CI starts on a fresh machine). */
export function aptInstall(tag, pkg) {
  console.log(`[${tag}] installing Debian ${pkg} (apt-get)…`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', pkg], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

export const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/**
 * Runs the command with `variable` set: to the value already in the environment (a server of
 * your own, left alone), else to the URL of the server `start()` returns ({ url, stop }).
 */
export async function runWithService(variable, start, { command, args }) {
  const server = process.env[variable] ? undefined : await start();
  const env = { ...process.env, [variable]: process.env[variable] ?? server.url };
  const child = spawn(command, args, { stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    try {
      server?.stop();
    } finally {
      process.exit(code ?? (signal ? 1 : 0));
    }
  });
}
