import type { TotpDeviceRecord, TotpUsedCodeRecord } from '../store/records.js';
import { matchesCode } from './totp-code.js';

/** A code check's answer, in the real core's words. */
export type TotpCheck =
  | { status: 'OK'; device: TotpDeviceRecord }
  | {
      status: 'INVALID_TOTP_ERROR';
      currentNumberOfFailedAttempts: number;
      maxNumberOfFailedAttempts: number;
    }
  | {
      status: 'LIMIT_REACHED_ERROR';
      retryAfterMs: number;
      currentNumberOfFailedAttempts: number;
      maxNumberOfFailedAttempts: number;
    };

export interface TotpAttemptRules {
  maxAttempts: number;
  cooldownMs: number;
  now: number;
}

/** The longest a code stays valid on a device: its whole skew window. */
const windowMs = (d: TotpDeviceRecord) => d.period * (2 * d.skew + 1) * 1000;

/**
 * The real core's `Totp.checkAndStoreCode`, as a decision over the codes the user tried in the
 * tenant (newest first): the attempt limit (the last `maxAttempts` tries all wrong, within one
 * cool-down: refused, not recorded, until the cool-down from the newest has passed), then the
 * code against `devices`, then replay (a code that was accepted and whose window is still open
 * is wrong now). Returns the answer and the try to record (none when refused by the limit).
 */
export function checkTotpAttempt(
  code: string,
  devices: TotpDeviceRecord[],
  usedCodes: TotpUsedCodeRecord[],
  { maxAttempts, cooldownMs, now }: TotpAttemptRules,
): { check: TotpCheck; record?: TotpUsedCodeRecord } {
  const failedRun: TotpUsedCodeRecord[] = [];
  for (const used of usedCodes.slice(0, maxAttempts)) {
    if (used.isValid) break;
    failedRun.push(used);
  }
  const newest = failedRun[0];
  // Wrong tries in a row, counted back from the newest while within one cool-down of it.
  let failed = 0;
  for (const used of failedRun) {
    if (used.createdTime <= newest.createdTime - cooldownMs) break;
    failed++;
  }
  if (newest && failed === maxAttempts) {
    const since = now - newest.createdTime;
    if (since < cooldownMs) {
      return {
        check: {
          status: 'LIMIT_REACHED_ERROR',
          retryAfterMs: cooldownMs - since,
          currentNumberOfFailedAttempts: failed,
          maxNumberOfFailedAttempts: maxAttempts,
        },
      };
    }
    failed = 0;
  }
  const invalid = {
    status: 'INVALID_TOTP_ERROR' as const,
    currentNumberOfFailedAttempts: failed + 1,
    maxNumberOfFailedAttempts: maxAttempts,
  };
  // The official table keeps at most 8 characters: a longer code is wrong and not recorded.
  if (code.length > 8) return { check: invalid };
  const device = devices.find((d) => matchesCode(d, code, now));
  const replayed =
    device !== undefined &&
    usedCodes.some((c) => c.code === code && c.isValid && c.expiryTime > now);
  const accepted = device !== undefined && !replayed;
  const expiresIn = device ? windowMs(device) : Math.max(0, ...devices.map(windowMs));
  const record: TotpUsedCodeRecord = {
    code,
    isValid: accepted,
    expiryTime: now + expiresIn,
    // Unique per user and tenant (the official key): one try per millisecond.
    createdTime: Math.max(now, (usedCodes[0]?.createdTime ?? 0) + 1),
  };
  return { check: accepted ? { status: 'OK', device } : invalid, record };
}
