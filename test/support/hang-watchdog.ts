import { spawn } from 'node:child_process';

/**
 * Catches a hang that no test timeout can: an input that makes in-process server code loop
 * synchronously (a backtracking regex, say) blocks the event loop, so jest's own timers never
 * fire and the run would sit until CI gives up. A separate process expects a heartbeat every
 * second and, after `limitMs` without one, says so and kills this (jest worker) process, which
 * fails the suite at once. Returns the function that stops it.
 */
export function startHangWatchdog(limitMs = 60_000): () => void {
  const script = `
    let last = Date.now();
    process.on('message', () => (last = Date.now()));
    process.on('disconnect', () => process.exit(0));
    setInterval(() => {
      if (Date.now() - last < ${limitMs}) return;
      console.error('hang watchdog: the test process was blocked for ${limitMs} ms (an endpoint ' +
        'looped on some input); killing it');
      try { process.kill(${process.pid}, 'SIGKILL'); } catch {}
      process.exit(1);
    }, 1000);`;
  const child = spawn(process.execPath, ['-e', script], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const beat = setInterval(() => child.connected && child.send('beat'), 1000);
  beat.unref();
  child.unref();
  return () => {
    clearInterval(beat);
    if (child.connected) child.disconnect();
    child.kill();
  };
}
