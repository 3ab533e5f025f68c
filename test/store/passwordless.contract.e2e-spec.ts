// Holds PasswordlessStorage (devices, codes and one-time-code sign-ins) to the store contract.
import { randomUUID } from 'node:crypto';
import { describeStoreContract } from './store-subjects.js';

describeStoreContract('PasswordlessStorage', (subject) => {
  it('lets one of several racing consumers claim a passwordless device, and one sign-up win', async () => {
    const { store, other } = subject();
    const phoneNumber = `+1555${Math.floor(Math.random() * 1e7)}`;
    const device = {
      preAuthSessionId: randomUUID().replace(/-/g, '').padEnd(43, 'x'),
      tenantId: 'public',
      phoneNumber,
      linkCodeSalt: Buffer.alloc(32, 7).toString('base64'),
      failedAttempts: 0,
      codes: [],
    };
    const code = {
      codeId: randomUUID(),
      linkCodeHash: Buffer.alloc(32, 1).toString('base64'),
      timeCreated: Date.now(),
    };
    expect(await store.addPasswordlessCode('public', device.preAuthSessionId, code, device)).toBe(
      'OK',
    );
    const again = { ...code, codeId: randomUUID() };
    expect(await store.addPasswordlessCode('public', device.preAuthSessionId, again)).toBe(
      'CODE_ALREADY_USED',
    );
    expect(
      await store.addPasswordlessCode('public', 'unknown', { ...again, linkCodeHash: 'x' }),
    ).toBe('UNKNOWN_DEVICE');
    expect(await store.addFailedAttempt('public', device.preAuthSessionId)).toBe(1);
    expect(await store.findDeviceByLinkCodeHash('public', code.linkCodeHash)).toEqual({
      ...device,
      failedAttempts: 1,
      codes: [code],
    });
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? other : store).deletePasswordlessDevices('public', [device.preAuthSessionId]),
      ),
    );
    expect(claims.flat()).toEqual([device.preAuthSessionId]);
    const signIns = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? other : store).signInUpPasswordlessUser('public', 'public', {
          recipeUserId: randomUUID(),
          recipeId: 'passwordless',
          tenantIds: ['public'],
          timeJoined: Date.now(),
          phoneNumber,
        }),
      ),
    );
    expect(signIns.filter((s) => s.createdNewUser)).toHaveLength(1);
    expect(new Set(signIns.map((s) => s.user.id)).size).toBe(1);
  });
});
