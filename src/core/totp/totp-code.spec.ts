import { currentCode, matchesCode, newTotpSecret } from './totp-code.js';

/** RFC 6238 appendix B's SHA-1 key ("12345678901234567890") in Base32. */
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const device = (skew: number, secretKey = RFC_SECRET) => ({
  userId: 'u',
  name: 'd',
  secretKey,
  period: 30,
  skew,
  verified: true,
  createdAt: 0,
});

describe('TOTP codes', () => {
  it("computes RFC 6238's SHA-1 test vectors (their last 6 digits)", () => {
    expect(currentCode(device(0), 59_000)).toBe('287082');
    expect(currentCode(device(0), 1_111_111_109_000)).toBe('081804');
    expect(currentCode(device(0), 2_000_000_000_000)).toBe('279037');
  });

  it('accepts the codes of skew periods either side, and no others', () => {
    const now = 1_111_111_109_000;
    const at = (periods: number) => currentCode(device(0), now + periods * 30_000);
    for (const periods of [-1, 0, 1]) expect(matchesCode(device(1), at(periods), now)).toBe(true);
    for (const periods of [-2, 2]) expect(matchesCode(device(1), at(periods), now)).toBe(false);
    expect(matchesCode(device(0), at(1), now)).toBe(false);
    expect(matchesCode(device(1), '81804', now)).toBe(false);
  });

  it("reads a secret as the real core's lenient Base32 does (case, spaces, padding)", () => {
    const now = 59_000;
    const messy = `${RFC_SECRET.toLowerCase().match(/.{4}/g)!.join(' ')}====`;
    expect(matchesCode(device(0, messy), '287082', now)).toBe(true);
    expect(matchesCode(device(0, '!!!'), '287082', now)).toBe(false);
  });

  it('makes 20-byte secrets (32 Base32 characters), never the same twice', () => {
    const secrets = new Set(Array.from({ length: 50 }, newTotpSecret));
    expect(secrets.size).toBe(50);
    for (const secret of secrets) expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  });
});
