import supertokens from 'supertokens-node';
import EmailPassword from 'supertokens-node/recipe/emailpassword';
import MultiFactorAuth from 'supertokens-node/recipe/multifactorauth';
import Session from 'supertokens-node/recipe/session';
import Multitenancy from 'supertokens-node/recipe/multitenancy';
import TOTP from 'supertokens-node/recipe/totp';
import { currentCode } from '../../src/core/totp/totp-code.js';
import { coreClient } from '../support/core-client.js';
import { coreWithSdk, type CoreStorage } from '../support/sdk.js';

const PERIOD = 30;
const MINUTE = 60_000;

/**
 * Embedded core, TOTP (supertokens-core 11.4's totp/ handlers) through supertokens-node, on
 * every store. The core's clock is the test's: codes, the skew window and the attempt limit's
 * cool-down are checked at times the test sets, never against a slow run's real time.
 */
describe.each<CoreStorage>(['memory', 'pglite', 'postgres'])(
  'TOTP on the embedded core (%s)',
  (storage) => {
    // Mid-period, so the codes one period either side are the skew window's.
    let clock = Math.floor(Date.now() / 30_000) * 30_000 + 10_000;
    const { core } = coreWithSdk(
      storage,
      () => [
        EmailPassword.init(),
        Session.init(),
        MultiFactorAuth.init(),
        TOTP.init({ issuer: 'Acme' }),
      ],
      { now: () => clock },
    );
    const cdi: ReturnType<typeof coreClient> = (...args) => coreClient(core())(...args);
    const code = (secret: string, at = clock) =>
      currentCode({ secretKey: secret, period: PERIOD }, at);
    let n = 0;
    const newUser = async () => {
      const signedUp = await EmailPassword.signUp(
        'public',
        `totp-${storage}-${n++}@example.com`,
        'pw-123456',
      );
      if (signedUp.status !== 'OK') throw new Error(signedUp.status);
      return signedUp.user.id;
    };
    /** A user with one verified device: its id and the device's secret. */
    const enrolled = async () => {
      const userId = await newUser();
      const device = await TOTP.createDevice(userId);
      if (device.status !== 'OK') throw new Error(device.status);
      expect(
        await TOTP.verifyDevice('public', userId, device.deviceName, code(device.secret)),
      ).toEqual({
        status: 'OK',
        wasAlreadyVerified: false,
      });
      clock += PERIOD * 1000 * 3; // past the enrolment code's window
      return { userId, secret: device.secret, deviceName: device.deviceName };
    };

    it('enrols a device: a secret and an otpauth URI, unverified until its code is given', async () => {
      const userId = await newUser();
      const device = await TOTP.createDevice(userId, 'me@example.com');
      if (device.status !== 'OK') throw new Error(device.status);
      expect(device.deviceName).toBe('TOTP Device 0');
      expect(device.secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(device.qrCodeString).toBe(
        `otpauth://totp/Acme:me@example.com?secret=${device.secret}&issuer=Acme&digits=6&period=30`,
      );
      expect(await TOTP.listDevices(userId)).toEqual({
        status: 'OK',
        devices: [{ name: 'TOTP Device 0', period: 30, skew: 1, verified: false }],
      });
      // An unverified device signs nobody in, and a second enrolment replaces it (a new secret).
      expect(await TOTP.verifyTOTP('public', userId, code(device.secret))).toMatchObject({
        status: 'INVALID_TOTP_ERROR',
      });
      const again = await TOTP.createDevice(userId);
      if (again.status !== 'OK') throw new Error(again.status);
      expect(again.deviceName).toBe('TOTP Device 0');
      expect(again.secret).not.toBe(device.secret);
      expect(await TOTP.verifyDevice('public', userId, 'TOTP Device 0', '000000')).toEqual({
        status: 'INVALID_TOTP_ERROR',
        currentNumberOfFailedAttempts: 2,
        maxNumberOfFailedAttempts: 5,
      });
      expect(
        await TOTP.verifyDevice('public', userId, 'TOTP Device 0', code(again.secret)),
      ).toEqual({
        status: 'OK',
        wasAlreadyVerified: false,
      });
      // A verified device answers at once, whatever the code.
      expect(await TOTP.verifyDevice('public', userId, 'TOTP Device 0', 'nope')).toEqual({
        status: 'OK',
        wasAlreadyVerified: true,
      });
      expect(await TOTP.createDevice(userId, undefined, 'TOTP Device 0')).toEqual({
        status: 'DEVICE_ALREADY_EXISTS_ERROR',
      });
      // The next default name counts the verified devices.
      expect(await TOTP.createDevice(userId)).toMatchObject({
        status: 'OK',
        deviceName: 'TOTP Device 1',
      });
      expect(await TOTP.verifyDevice('public', userId, 'Phone', '123456')).toEqual({
        status: 'UNKNOWN_DEVICE_ERROR',
      });
    });

    it('accepts a code once, within the skew window only', async () => {
      const { userId, secret } = await enrolled();
      const now = code(secret);
      expect(await TOTP.verifyTOTP('public', userId, now)).toEqual({ status: 'OK' });
      // Replay: wrong, and it counts as a failed attempt.
      expect(await TOTP.verifyTOTP('public', userId, now)).toEqual({
        status: 'INVALID_TOTP_ERROR',
        currentNumberOfFailedAttempts: 1,
        maxNumberOfFailedAttempts: 5,
      });
      expect(await TOTP.verifyTOTP('public', userId, code(secret, clock + PERIOD * 1000))).toEqual({
        status: 'OK',
      });
      expect(await TOTP.verifyTOTP('public', userId, code(secret, clock - PERIOD * 1000))).toEqual({
        status: 'OK',
      });
      for (const periods of [2, -2]) {
        const outside = code(secret, clock + periods * PERIOD * 1000);
        expect((await TOTP.verifyTOTP('public', userId, outside)).status).toBe(
          'INVALID_TOTP_ERROR',
        );
      }
      expect(await TOTP.verifyTOTP('public', await newUser(), '123456')).toEqual({
        status: 'UNKNOWN_USER_ID_ERROR',
      });
    });

    it('stops guessing after 5 wrong codes for the cool-down, then lets the right code in', async () => {
      const { userId, secret } = await enrolled();
      for (let attempt = 1; attempt <= 5; attempt++) {
        clock += 1_000;
        expect(await TOTP.verifyTOTP('public', userId, '000000')).toEqual({
          status: 'INVALID_TOTP_ERROR',
          currentNumberOfFailedAttempts: attempt,
          maxNumberOfFailedAttempts: 5,
        });
      }
      const lastWrong = clock;
      clock += MINUTE;
      // Even the right code is refused now, and nothing is recorded.
      expect(await TOTP.verifyTOTP('public', userId, code(secret))).toEqual({
        status: 'LIMIT_REACHED_ERROR',
        retryAfterMs: 15 * MINUTE - (clock - lastWrong),
        currentNumberOfFailedAttempts: 5,
        maxNumberOfFailedAttempts: 5,
      });
      // The tries of another tenant are its own: the limit is per tenant.
      await Multitenancy.createOrUpdateTenant('totp-other', { firstFactors: ['emailpassword'] });
      expect(await TOTP.verifyTOTP('totp-other', userId, code(secret))).toEqual({ status: 'OK' });
      clock = lastWrong + 15 * MINUTE;
      expect(await TOTP.verifyTOTP('public', userId, code(secret))).toEqual({ status: 'OK' });
      expect(await TOTP.verifyTOTP('public', userId, '000000')).toMatchObject({
        currentNumberOfFailedAttempts: 1,
      });
    });

    it('lets exactly one of two concurrent uses of a code through', async () => {
      const { userId, secret } = await enrolled();
      const now = code(secret);
      const results = await Promise.all(
        Array.from({ length: 6 }, () => TOTP.verifyTOTP('public', userId, now)),
      );
      expect(results.filter((r) => r.status === 'OK')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'INVALID_TOTP_ERROR')).toHaveLength(5);
    });

    it('renames and removes devices; the last one takes the TOTP state with it', async () => {
      const { userId, deviceName } = await enrolled();
      expect(await TOTP.updateDevice(userId, deviceName, 'Phone')).toEqual({ status: 'OK' });
      expect(await TOTP.updateDevice(userId, 'Nope', 'Other')).toEqual({
        status: 'UNKNOWN_DEVICE_ERROR',
      });
      await TOTP.createDevice(userId, undefined, 'Tablet');
      expect(await TOTP.updateDevice(userId, 'Tablet', 'Phone')).toEqual({
        status: 'DEVICE_ALREADY_EXISTS_ERROR',
      });
      expect((await TOTP.listDevices(userId)).devices.map((d) => d.name)).toEqual([
        'Phone',
        'Tablet',
      ]);
      expect(await TOTP.removeDevice(userId, 'Phone')).toEqual({
        status: 'OK',
        didDeviceExist: true,
      });
      expect(await TOTP.removeDevice(userId, 'Phone')).toEqual({
        status: 'OK',
        didDeviceExist: false,
      });
      expect(await TOTP.removeDevice(userId, 'Tablet')).toEqual({
        status: 'OK',
        didDeviceExist: true,
      });
      expect(await TOTP.verifyTOTP('public', userId, '123456')).toEqual({
        status: 'UNKNOWN_USER_ID_ERROR',
      });
    });

    it('imports a verified device with its own secret, and deleting the user deletes its devices', async () => {
      const userId = await newUser();
      const secretKey = 'JBSWY3DPEHPK3PXP';
      const imported = await cdi('POST', '/recipe/totp/device/import', {
        userId,
        deviceName: 'Old app',
        skew: 0,
        period: 30,
        secretKey,
      });
      expect(imported.json).toEqual({ status: 'OK', deviceName: 'Old app' });
      expect(await TOTP.verifyTOTP('public', userId, code(secretKey))).toEqual({ status: 'OK' });
      const status = await cdi('POST', '/recipe/totp/device/status/bulk', {
        userIds: [userId, 'nobody', userId],
      });
      expect(status.json).toEqual({
        status: 'OK',
        users: [
          { userId, hasVerifiedDevice: true },
          { userId: 'nobody', hasVerifiedDevice: null },
          { userId, hasVerifiedDevice: true },
        ],
      });
      await supertokens.deleteUser(userId);
      expect(await TOTP.listDevices(userId)).toEqual({ status: 'OK', devices: [] });
    });

    it('lists MFA among the features it serves as a licensed core would', async () => {
      const flags = await cdi('GET', '/ee/featureflag');
      expect(flags.json).toEqual({
        features: ['account_linking', 'multi_tenancy', 'dashboard_login', 'mfa'],
        usageStats: {},
        status: 'OK',
      });
      expect((await cdi('GET', '/totp-other/ee/featureflag')).status).toBe(403);
    });

    it("refuses bad input with the real core's texts", async () => {
      const device = (body: Record<string, unknown>) => cdi('POST', '/recipe/totp/device', body);
      for (const [body, text] of [
        [{ userId: '', skew: 1, period: 30 }, 'userId cannot be empty'],
        [{ userId: 'u', deviceName: '', skew: 1, period: 30 }, 'deviceName cannot be empty'],
        [{ userId: 'u', skew: -1, period: 30 }, 'skew must be >= 0'],
        [{ userId: 'u', skew: 1, period: 0 }, 'period must be > 0'],
        [{ userId: 'u', skew: 'x', period: 30 }, "Field name 'skew' is invalid in JSON input"],
        [
          { userId: 'u', deviceName: null, skew: 1, period: 30 },
          "Field name 'deviceName' is invalid in JSON input",
        ],
      ] as const) {
        const reply = await device(body);
        expect([reply.status, reply.text]).toEqual([400, text]);
      }
      const importNoSecret = await cdi('POST', '/recipe/totp/device/import', {
        userId: 'u',
        skew: 1,
        period: 30,
        secretKey: '',
      });
      expect([importNoSecret.status, importNoSecret.text]).toEqual([
        400,
        'secretKey cannot be empty',
      ]);
      const tooMany = await cdi('POST', '/recipe/totp/device/status/bulk', {
        userIds: Array.from({ length: 501 }, (_, i) => `u${i}`),
      });
      expect([tooMany.status, tooMany.text]).toEqual([
        400,
        'You can only query up to 500 users at a time.',
      ]);
      const list = await cdi('GET', '/recipe/totp/device/list');
      expect([list.status, list.text]).toEqual([
        400,
        "Field name 'userId' is missing in GET request",
      ]);
    });
  },
);
