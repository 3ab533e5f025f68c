#!/usr/bin/env node
import { runCoreCli, USAGE } from './core-command.js';

/** `nest-supertokens-core` / `npm run core`: runs until SIGINT or SIGTERM, then stops cleanly. */
runCoreCli(process.argv.slice(2), (line) => console.log(line)).then(
  (core) => {
    if (!core) return;
    const stop = (signal: string) => {
      console.log(`${signal}: stopping the embedded core`);
      core.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    console.error(USAGE);
    process.exit(1);
  },
);
