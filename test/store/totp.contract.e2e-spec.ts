// Holds TotpStorage (authenticator devices, the codes tried with them) to the store contract.
import { randomUUID } from 'node:crypto';
import type { TotpDeviceRecord, TotpUsedCodeRecord } from '../../src/core/index.js';
import { describeStoreContract } from './store-subjects.js';

const device = (userId: string, name: string, verified = false): TotpDeviceRecord => ({
  userId,
  name,
  secretKey: 'JBSWY3DPEHPK3PXP',
  period: 30,
  skew: 1,
  verified,
  createdAt: Date.now(),
});

const tried = (code: string, isValid: boolean, createdTime: number): TotpUsedCodeRecord => ({
  code,
  isValid,
  expiryTime: createdTime + 90_000,
  createdTime,
});

describeStoreContract('TotpStorage', (subject) => {
  it('replaces an unfinished enrolment, never a verified device, and keeps user ids exactly', async () => {
    const { store, other } = subject();
    const userId = `totp-${randomUUID()} `;
    expect(await store.createTotpDevice('public', device(userId, 'Phone'))).toBe('OK');
    const replaced = { ...device(userId, 'Phone'), secretKey: 'NEWSECRET234' };
    expect(await other.createTotpDevice('public', replaced)).toBe('OK');
    expect(await store.listTotpDevices('public', userId)).toEqual([replaced]);
    expect(await store.listTotpDevices('public', userId.trimEnd())).toEqual([]);
    expect(await store.createTotpDevice('public', device(userId, 'Key', true))).toBe('OK');
    expect(await other.createTotpDevice('public', device(userId, 'Key'))).toBe(
      'DEVICE_ALREADY_EXISTS',
    );
    const byUser = await other.listTotpDevicesOfUsers('public', [userId, 'nobody']);
    expect([...byUser.keys()]).toEqual([userId]);
    expect(byUser.get(userId)?.map((d) => [d.name, d.verified])).toEqual([
      ['Phone', false],
      ['Key', true],
    ]);
  });

  it('renames and removes devices; the last one takes the tried codes with it', async () => {
    const { store, other } = subject();
    const userId = randomUUID();
    await store.createTotpDevice('public', device(userId, 'A', true));
    await store.createTotpDevice('public', device(userId, 'B', true));
    expect(await other.renameTotpDevice('public', userId, 'A', 'B')).toBe('DEVICE_ALREADY_EXISTS');
    expect(await other.renameTotpDevice('public', userId, 'X', 'Y')).toBe('UNKNOWN_DEVICE');
    expect(await other.renameTotpDevice('public', userId, 'A', 'C')).toBe('OK');
    await store.recordTotpAttempt('public', 'public', userId, () => ({
      result: undefined,
      usedCode: tried('123456', false, 1_000),
    }));
    expect(await store.removeTotpDevice('public', userId, 'C')).toBe(true);
    expect(await store.removeTotpDevice('public', userId, 'C')).toBe(false);
    expect(await other.removeTotpDevice('public', userId, 'B')).toBe(true);
    await store.createTotpDevice('public', device(userId, 'D', true));
    const seen = await store.recordTotpAttempt('public', 'public', userId, (state) => ({
      result: state.usedCodes,
    }));
    expect(seen).toEqual([]);
  });

  it('records tries per tenant, newest first, and marks a device verified', async () => {
    const { store, other } = subject();
    const userId = randomUUID();
    await store.createTotpDevice('public', device(userId, 'Phone'));
    for (const [at, valid] of [
      [1_000, false],
      [2_000, true],
    ] as const) {
      await store.recordTotpAttempt('public', 'public', userId, () => ({
        result: undefined,
        usedCode: tried(`c${at}`, valid, at),
        verifiedDevice: valid ? 'Phone' : undefined,
      }));
    }
    const state = await other.recordTotpAttempt('public', 'public', userId, (s) => ({ result: s }));
    expect(state.usedCodes.map((c) => [c.code, c.isValid, c.createdTime])).toEqual([
      ['c2000', true, 2_000],
      ['c1000', false, 1_000],
    ]);
    expect(state.devices).toEqual([
      { ...device(userId, 'Phone'), createdAt: state.devices[0].createdAt, verified: true },
    ]);
    // A user without a device has nothing to record.
    const unknown = await store.recordTotpAttempt('public', 'public', 'nobody', (s) => ({
      result: s.devices.length,
      usedCode: tried('1', false, 1),
    }));
    expect(unknown).toBe(0);
    expect(await store.listTotpDevices('public', 'nobody')).toEqual([]);
  });

  it('lets one of several racing checks of one user see the others (one code, one use)', async () => {
    const { store, other } = subject();
    const userId = randomUUID();
    await store.createTotpDevice('public', device(userId, 'Phone', true));
    // Each check accepts the code unless a try with it is recorded: only one may accept it.
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? other : store).recordTotpAttempt('public', 'public', userId, ({ usedCodes }) => {
          const used = usedCodes.some((c) => c.code === '246810' && c.isValid);
          return {
            result: !used,
            usedCode: tried('246810', !used, (usedCodes[0]?.createdTime ?? 0) + 1),
          };
        }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('drops tried codes that expired before the cut-off, keeping the others', async () => {
    const { store } = subject();
    const userId = randomUUID();
    await store.createTotpDevice('public', device(userId, 'Phone', true));
    for (const at of [1_000, 500_000]) {
      await store.recordTotpAttempt('public', 'public', userId, () => ({
        result: undefined,
        usedCode: tried(`c${at}`, false, at),
      }));
    }
    await store.deleteExpired(1, { codesCreatedBefore: 0, totpCodesExpiredBefore: 200_000 });
    const left = await store.recordTotpAttempt('public', 'public', userId, (s) => ({
      result: s.usedCodes.map((c) => c.code),
    }));
    expect(left).toEqual(['c500000']);
  });
});
