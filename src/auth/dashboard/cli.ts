#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { text } from 'node:stream/consumers';
import { runDashboardCli } from './dashboard-command.js';

/** `nest-supertokens-dashboard` / `npm run dashboard -- users ...`. */
if (existsSync('.env')) process.loadEnvFile('.env');
runDashboardCli(process.argv.slice(2), {
  print: (line) => console.log(line),
  env: process.env,
  readStdin: () => text(process.stdin),
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
