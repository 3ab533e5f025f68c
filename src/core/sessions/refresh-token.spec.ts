import { MemoryStore } from '../store/memory/memory.store.js';
import { RefreshTokens } from './refresh-token.js';

describe('RefreshTokens', () => {
  const store = new MemoryStore();
  const tokens = new RefreshTokens(store);

  it('round-trips its payload in the real core V2 shape', async () => {
    const payload = {
      sessionHandle: 'h',
      userId: 'u',
      parentRefreshTokenHash1: 'p',
      antiCsrfToken: 'c',
    };
    const token = await tokens.create('public', payload);
    expect(token).toMatch(/^[A-Za-z0-9+/=]+\.[0-9a-f]{64}\.V2$/);
    await expect(tokens.open('public', token)).resolves.toEqual({
      ...payload,
      tenantId: undefined,
    });
  });

  it('refuses tampered, truncated and foreign-app tokens', async () => {
    await store.createApp('other');
    const token = await tokens.create('public', { sessionHandle: 'h', userId: 'u' });
    const [sealed, nonce] = token.split('.');
    const flipped = `${sealed.slice(0, 10)}${sealed[10] === 'A' ? 'B' : 'A'}${sealed.slice(11)}`;
    for (const bad of [
      `${flipped}.${nonce}.V2`,
      `${sealed}.${'0'.repeat(64)}.V2`,
      token.slice(0, 20),
      'x.y.V2',
      '',
    ]) {
      await expect(tokens.open('public', bad)).resolves.toBeUndefined();
    }
    await expect(tokens.open('other', token)).resolves.toBeUndefined();
  });
});
