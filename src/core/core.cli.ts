import { parseArgs } from 'node:util';
import { startEmbeddedCore, type EmbeddedCore } from './embedded-core.js';

export const USAGE = `Usage: nest-supertokens-core [--port 3567] [--host 127.0.0.1] [--api-key KEY] [--app ID ...]

Runs the embedded SuperTokens-compatible core (CDI 5.4, in memory) until Ctrl-C.
  --port     port to listen on (0 picks a free one)          default 3567
  --host     interface to listen on                            default 127.0.0.1
  --api-key  require this key in the api-key header            default none (or SUPERTOKENS_API_KEY)
  --app      create an app for connection URIs ending in /appid-<ID>; repeatable`;

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
  const core = await startEmbeddedCore({
    host: values.host,
    port,
    apiKey: values['api-key'] ?? (env.SUPERTOKENS_API_KEY || undefined),
    apps: values.app,
  });
  print(`SuperTokens embedded core (CDI 5.4, in-memory) listening: ${core.connectionURI}`);
  for (const app of values.app ?? []) print(`  app '${app}': ${core.connectionURI}/appid-${app}`);
  return core;
}
