import { runCoreCli } from './core-command.js';

describe('the standalone core command', () => {
  it('starts on the given port and interface, prints the URI, and answers until stopped', async () => {
    const lines: string[] = [];
    const core = await runCoreCli(
      ['--port', '0', '--storage', 'memory', '--app', 'shop'],
      (l) => lines.push(l),
      {},
    );
    expect(core).toBeDefined();
    expect(lines[0]).toBe(`SuperTokens embedded core (CDI 5.4) listening: ${core!.connectionURI}`);
    expect(lines[1]).toBe('  storage: in memory (data is lost on restart)');
    // No key given: one is generated, printed once, and required.
    expect(lines[2]).toBe(`  api key (generated for this run): ${core!.apiKey}`);
    expect(core!.apiKey).toMatch(/^[0-9a-f]{48}$/);
    expect((await fetch(`${core!.connectionURI}/apiversion`)).status).toBe(401);
    expect(lines[3]).toBe(`  app 'shop': ${core!.connectionURI}/appid-shop`);
    expect(core!.host).toBe('127.0.0.1');
    expect(await (await fetch(`${core!.connectionURI}/appid-shop/hello`)).text()).toBe('Hello');
    await core!.stop();
    await expect(fetch(`${core!.connectionURI}/hello`)).rejects.toThrow();
  });

  it('takes the api key from the flag or SUPERTOKENS_API_KEY', async () => {
    const key = 'cli-api-key-0123456789abcdef';
    const lines: string[] = [];
    const core = await runCoreCli(['--port', '0', '--storage', 'memory'], (l) => lines.push(l), {
      SUPERTOKENS_API_KEY: key,
    });
    expect(lines.join('\n')).not.toContain(key);
    try {
      expect((await fetch(`${core!.connectionURI}/apiversion`)).status).toBe(401);
      expect(
        (await fetch(`${core!.connectionURI}/apiversion`, { headers: { 'api-key': key } })).status,
      ).toBe(200);
    } finally {
      await core!.stop();
    }
  });

  it('refuses bad arguments with a message, and prints usage for --help', async () => {
    await expect(runCoreCli(['--port', '99999'], () => undefined, {})).rejects.toThrow(
      "--port must be an integer from 0 to 65535, got '99999'.",
    );
    await expect(runCoreCli(['--bogus'], () => undefined, {})).rejects.toThrow(
      /Unknown option '--bogus'/,
    );
    const lines: string[] = [];
    expect(await runCoreCli(['--help'], (l) => lines.push(l), {})).toBeUndefined();
    expect(lines[0]).toMatch(/^Usage: nest-supertokens-core/);
  });
});
