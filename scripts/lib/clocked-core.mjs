// A second embedded core in a process of its own, for test/durable/instances.e2e-spec.ts: the
// built core (dist/) on the PostgreSQL database, API key and config it is given in CLOCKED_CORE,
// with a clock the test moves over IPC ({ offset } in ms, acknowledged), as a real deploy's
// second instance would run (its own process, its own caches), minus the waiting for hours.
import { startEmbeddedCore } from '../../dist/core/index.js';

const { postgres, apiKey, config } = JSON.parse(process.env.CLOCKED_CORE ?? '{}');
let offset = 0;
const core = await startEmbeddedCore({
  storage: { postgres },
  apiKey,
  config,
  now: () => Date.now() + offset,
});
const stop = () => core.stop().then(() => process.exit(0), () => process.exit(1));
process.on('message', (message) => {
  if (typeof message?.offset === 'number') {
    offset = message.offset;
    process.send({ offset });
  }
  if (message?.stop) void stop();
});
// The test process went away without stopping us: do not outlive it.
process.on('disconnect', () => void stop());
process.send({ connectionURI: core.connectionURI });
