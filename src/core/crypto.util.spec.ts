import { newOpaqueToken, normaliseEmail } from './crypto.util.js';

describe('normaliseEmail', () => {
  it('trims ASCII white space and lower-cases, like the real core', () => {
    expect(normaliseEmail(' \tAlice@Example.COM\r\n')).toBe('alice@example.com');
  });

  it('keeps a non-breaking space, which Java String.trim keeps too', () => {
    expect(normaliseEmail('\u00a0a@b.co')).toBe('\u00a0a@b.co');
  });
});

describe('newOpaqueToken', () => {
  it('is 128 alphanumeric characters and never repeats', () => {
    const tokens = new Set(Array.from({ length: 100 }, newOpaqueToken));
    expect(tokens.size).toBe(100);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9]{128}$/);
  });
});
