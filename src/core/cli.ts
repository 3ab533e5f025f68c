#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startEmbeddedCore } from './embedded-core.js';

const USAGE = `Usage: nest-supertokens-core [--port 3567] [--host 127.0.0.1] [--api-key KEY] [--app ID ...]

Runs the embedded SuperTokens-compatible core (CDI 5.4, in memory) until Ctrl-C.
  --port     port to listen on (0 picks a free one)          default 3567
  --host     interface to listen on                            default 127.0.0.1
  --api-key  require this key in the api-key header            default none (or SUPERTOKENS_API_KEY)
  --app      create an app for connection URIs ending in /appid-<ID>; repeatable`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '3567' },
      host: { type: 'string', default: '127.0.0.1' },
      'api-key': { type: 'string' },
      app: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be an integer from 0 to 65535, got '${values.port}'.`);
  }
  const core = await startEmbeddedCore({
    host: values.host,
    port,
    apiKey: values['api-key'] ?? process.env.SUPERTOKENS_API_KEY,
    apps: values.app,
  });
  console.log(`SuperTokens embedded core (CDI 5.4, in-memory) listening: ${core.connectionURI}`);
  for (const app of values.app ?? [])
    console.log(`  app '${app}': ${core.connectionURI}/appid-${app}`);
  const stop = (signal: string) => {
    console.log(`${signal}: stopping the embedded core`);
    core.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  console.error(USAGE);
  process.exit(1);
});
