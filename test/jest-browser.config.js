/** Browser suites (`npm run test:browser`): headless Chromium through playwright-core. */
import e2e from './jest-e2e.config.js';

export default {
  ...e2e,
  testRegex: '.*\\.browser-spec\\.ts$',
  testTimeout: 60000,
  maxWorkers: 1,
};
