import type { TotpUsedCodeRecord } from '../store/records.js';
import { checkTotpAttempt } from './totp-attempts.js';
import { currentCode } from './totp-code.js';

const SECRET = 'JBSWY3DPEHPK3PXP';
const device = {
  userId: 'u',
  name: 'd',
  secretKey: SECRET,
  period: 30,
  skew: 1,
  verified: true,
  createdAt: 0,
};
const NOW = 1_700_000_010_000;
const rules = { maxAttempts: 5, cooldownMs: 900_000, now: NOW };
const wrong = (createdTime: number): TotpUsedCodeRecord => ({
  code: '000000',
  isValid: false,
  expiryTime: createdTime,
  createdTime,
});

describe('the TOTP attempt limit (the real core arithmetic)', () => {
  it('counts wrong tries in a row since the last right one, this one included', () => {
    const tries = [wrong(NOW - 3), wrong(NOW - 2), wrong(NOW - 1)].reverse();
    expect(checkTotpAttempt('111111', [device], tries, rules).check).toEqual({
      status: 'INVALID_TOTP_ERROR',
      currentNumberOfFailedAttempts: 4,
      maxNumberOfFailedAttempts: 5,
    });
    const afterRight = [wrong(NOW - 1), { ...wrong(NOW - 2), isValid: true }, wrong(NOW - 3)];
    expect(checkTotpAttempt('111111', [device], afterRight, rules).check).toMatchObject({
      currentNumberOfFailedAttempts: 2,
    });
  });

  it('refuses every try for the cool-down after 5 wrong ones, without recording it', () => {
    const five = [1, 2, 3, 4, 5].map((i) => wrong(NOW - 60_000 - i));
    const right = currentCode(device, NOW);
    expect(checkTotpAttempt(right, [device], five, rules)).toEqual({
      check: {
        status: 'LIMIT_REACHED_ERROR',
        retryAfterMs: 900_000 - 60_001,
        currentNumberOfFailedAttempts: 5,
        maxNumberOfFailedAttempts: 5,
      },
    });
    // 5 wrong tries spread over more than one cool-down do not lock.
    const spread = [wrong(NOW - 1), ...[2, 3, 4, 5].map((i) => wrong(NOW - 1_000_000 - i))];
    expect(checkTotpAttempt(right, [device], spread, rules).check.status).toBe('OK');
    // Once the cool-down is over, the count starts again.
    const later = { ...rules, now: NOW + 900_000 };
    const afterCooldown = checkTotpAttempt('111111', [device], five, later);
    expect(afterCooldown.check).toMatchObject({ currentNumberOfFailedAttempts: 1 });
  });

  it('records a right code until its whole skew window has passed, and refuses its replay', () => {
    const right = currentCode(device, NOW);
    const first = checkTotpAttempt(right, [device], [], rules);
    expect(first.check.status).toBe('OK');
    expect(first.record).toEqual({
      code: right,
      isValid: true,
      expiryTime: NOW + 90_000,
      createdTime: NOW,
    });
    const replay = checkTotpAttempt(right, [device], [first.record!], rules);
    expect(replay.check).toMatchObject({ status: 'INVALID_TOTP_ERROR' });
    expect(replay.record).toMatchObject({ isValid: false, createdTime: NOW + 1 });
  });

  it('does not record a code longer than the official column (8 characters)', () => {
    expect(checkTotpAttempt('123456789', [device], [], rules)).toEqual({
      check: {
        status: 'INVALID_TOTP_ERROR',
        currentNumberOfFailedAttempts: 1,
        maxNumberOfFailedAttempts: 5,
      },
    });
  });
});
