#!/usr/bin/env node
// Runs a command with CHROMIUM_PATH pointing at a Chromium for playwright-core: yours when
// CHROMIUM_PATH is set, else Debian's `chromium` package, installed with apt when missing (CI
// starts on a fresh machine). Nothing is downloaded from a browser CDN.
import { existsSync } from 'node:fs';
import { aptInstall, commandLine, runWithService } from './lib/test-service.mjs';

const commandToRun = commandLine('with-chromium.mjs');

function chromium() {
  const binary = '/usr/bin/chromium';
  if (!existsSync(binary)) aptInstall('with-chromium', 'chromium');
  return { url: binary, stop: () => undefined };
}

await runWithService('CHROMIUM_PATH', () => Promise.resolve(chromium()), commandToRun);
