import { parseArgs } from 'node:util';
import { startEmbeddedCore, type EmbeddedCore } from './embedded-core.js';
import type { EmbeddedCoreStorage } from './store/open-store.js';

export const USAGE = `Usage: nest-supertokens-core [--port 3567] [--host 127.0.0.1] [--api-key KEY]
                             [--storage DIR|memory|postgres://...] [--allowed-host HOST:PORT ...] [--app ID ...]

Runs the embedded SuperTokens-compatible core (CDI 5.4) until Ctrl-C.
  --port          port to listen on (0 picks a free one)       default 3567
  --host          interface to listen on                       default 127.0.0.1
  --api-key       require this key in the api-key header       default SUPERTOKENS_API_KEY, else a
                                                               random key, printed once
  --storage       a directory (PGlite), memory, or a PostgreSQL URL   default .supertokens
  --allowed-host  another Host header to accept (a proxy's name); repeatable
  --app           create an app for connection URIs ending in /appid-<ID>; repeatable`;

function storageFrom(value: string): EmbeddedCoreStorage {
  if (value === 'memory') return 'memory';
  if (/^postgres(ql)?:\/\//.test(value)) return { postgres: value };
  return { dir: value };
}

/**
 * The standalone command: parses `argv`, starts the core and prints its connection URI.
 * Returns undefined for `--help`; throws (with a message for the user) on bad arguments.
 */
export async function runCoreCli(
  argv: string[],
  print: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<EmbeddedCore | undefined> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '3567' },
      host: { type: 'string', default: '127.0.0.1' },
      'api-key': { type: 'string' },
      storage: { type: 'string', default: '.supertokens' },
      'allowed-host': { type: 'string', multiple: true },
      app: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    print(USAGE);
    return undefined;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be an integer from 0 to 65535, got '${values.port}'.`);
  }
  const givenKey = values['api-key'] ?? (env.SUPERTOKENS_API_KEY || undefined);
  const core = await startEmbeddedCore({
    host: values.host,
    port,
    apiKey: givenKey,
    storage: storageFrom(values.storage),
    allowedHosts: values['allowed-host'],
    apps: values.app,
  });
  print(`SuperTokens embedded core (CDI 5.4) listening: ${core.connectionURI}`);
  print(`  storage: ${core.storage}`);
  // A generated key is shown once, here, so the user can hand it to the backend.
  if (givenKey === undefined) print(`  api key (generated for this run): ${core.apiKey}`);
  for (const app of values.app ?? []) print(`  app '${app}': ${core.connectionURI}/appid-${app}`);
  return core;
}
