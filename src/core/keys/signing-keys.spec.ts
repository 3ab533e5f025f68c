import { resolveCoreConfig } from '../core.config.js';
import { MemoryStore } from '../store/memory/memory.store.js';
import { SigningKeys } from './signing-keys.js';

const HOUR = 3_600_000;

describe('SigningKeys rotation', () => {
  it('rotates dynamic keys on the interval, signs with a new key after 60 s, keeps old ones verifiable', async () => {
    let now = Date.UTC(2026, 0, 1);
    const config = resolveCoreConfig({
      accessTokenDynamicSigningKeyUpdateInterval: 1,
      accessTokenValidity: 600,
    });
    const keys = new SigningKeys(new MemoryStore(), config, () => now);
    const first = await keys.signingKey('public', 'dynamic');
    expect(first.record.kid).toBe(`d-${now}`);

    now += HOUR - 60_000 + 1; // due: a new key is made and listed, the old one still signs
    expect((await keys.signingKey('public', 'dynamic')).record.kid).toBe(first.record.kid);
    const kids = (
      JSON.parse((await keys.jwks('public')).body) as { keys: { kid: string }[] }
    ).keys.map((k) => k.kid);
    expect(kids).toHaveLength(2);
    const second = kids.find((kid) => kid !== first.record.kid)!;

    now += 60_000; // the new key is now old enough to sign
    expect((await keys.signingKey('public', 'dynamic')).record.kid).toBe(second);
    expect(await keys.verificationKey('public', first.record.kid)).toBeDefined();

    now = Date.UTC(2026, 0, 1) + HOUR + 2 * 600_000 + 1; // past interval + 2 × validity
    await keys.signingKey('public', 'dynamic');
    expect(await keys.verificationKey('public', first.record.kid)).toBeUndefined();
  });

  it('creates one static key lazily and never rotates it', async () => {
    const keys = new SigningKeys(new MemoryStore(), resolveCoreConfig());
    const [a, b] = await Promise.all([
      keys.signingKey('public', 'static'),
      keys.signingKey('public', 'static'),
    ]);
    expect(a.record.kid).toMatch(/^s-/);
    expect(b.record.kid).toBe(a.record.kid);
  });
});
