import { currentCode } from '../core/totp/totp-code.js';

/** How `totpCode` computes: the device's period, and when. */
export interface TotpCodeOptions {
  /** Seconds per code, as the device was created with. @default 30 */
  period?: number;
  /** The time the code is for (epoch ms). @default Date.now() */
  at?: number;
}

/**
 * The current code of a TOTP device from its secret (what `TOTP.createDevice` and
 * `<apiBasePath>/totp/device` answer): what an authenticator app would show, so a test can pass
 * the second factor as a user would.
 * @example
 * const device = await request(server).post('/auth/totp/device').set(auth).send({});
 * await request(server).post('/auth/totp/device/verify').set(auth)
 *   .send({ deviceName: device.body.deviceName, totp: totpCode(device.body.secret) });
 */
export function totpCode(secret: string, options: TotpCodeOptions = {}): string {
  return currentCode({ secretKey: secret, period: options.period ?? 30 }, options.at ?? Date.now());
}
