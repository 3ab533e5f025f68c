import type { AuthModuleOptions } from './auth-options.interface.js';
import {
  webauthnProblems,
  webauthnSettings,
  webauthnWarnings,
} from './webauthn-options.validation.js';

const appInfo = {
  appName: 'Acme',
  apiDomain: 'https://api.example.com',
  websiteDomain: 'https://app.example.com',
};
const options = (
  webauthn: AuthModuleOptions['webauthn'],
  info: Partial<AuthModuleOptions['appInfo']> = {},
): AuthModuleOptions => ({ appInfo: { ...appInfo, ...info }, webauthn });

describe('webauthn options', () => {
  it("defaults the relying party id to the website's host, not the API's", () => {
    expect(webauthnProblems(options(true))).toEqual([]);
    expect(webauthnSettings(options(true))).toEqual({
      relyingPartyId: 'app.example.com',
      origins: undefined,
    });
  });

  it('accepts a parent domain covering several origins, and lower-cases the id', () => {
    const several = options({
      relyingPartyId: 'Example.com',
      origin: ['https://app.example.com/', 'https://admin.example.com'],
    });
    expect(webauthnProblems(several)).toEqual([]);
    expect(webauthnSettings(several)).toEqual({
      relyingPartyId: 'example.com',
      origins: ['https://app.example.com', 'https://admin.example.com'],
    });
  });

  it('refuses a suffix that is not at a dot boundary', () => {
    expect(webauthnProblems(options({ relyingPartyId: 'le.com' }))).toEqual([
      expect.stringContaining("webauthn.relyingPartyId 'le.com' does not cover"),
    ]);
  });

  it('takes http on localhost (any port, *.localhost, 127.0.0.1, [::1]) and schemeless domains', () => {
    for (const websiteDomain of [
      'http://localhost:3001',
      'localhost:3001',
      'http://acme.localhost:3001',
      'http://127.0.0.1:3001',
      'http://[::1]:3001',
    ]) {
      expect([websiteDomain, webauthnProblems(options(true, { websiteDomain }))]).toEqual([
        websiteDomain,
        [],
      ]);
    }
    expect(webauthnSettings(options(true, { websiteDomain: 'app.example.com' }))).toMatchObject({
      relyingPartyId: 'app.example.com',
    });
  });

  it('warns about an IP address as relying party id (browsers refuse it)', () => {
    const settings = webauthnSettings(options(true, { websiteDomain: 'http://127.0.0.1:3001' }))!;
    expect(settings.relyingPartyId).toBe('127.0.0.1');
    expect(webauthnWarnings(settings)).toHaveLength(1);
    const ipv6 = webauthnSettings(options(true, { websiteDomain: 'http://[::1]:3001' }))!;
    expect(webauthnWarnings(ipv6)).toHaveLength(1);
  });

  it("keeps an Android app's origin as it is, beside the web origins", () => {
    const android = `android:apk-key-hash:${'A'.repeat(43)}`;
    const mixed = options({ origin: ['https://app.example.com', android] });
    expect(webauthnProblems(mixed)).toEqual([]);
    expect(webauthnSettings(mixed)?.origins).toEqual(['https://app.example.com', android]);
  });

  it('needs a relying party id when appInfo.origin is a function and there is no websiteDomain', () => {
    const dynamic = options(true, {
      websiteDomain: undefined,
      origin: () => 'https://app.example.com',
    });
    expect(webauthnProblems(dynamic)).toEqual([
      expect.stringContaining('- webauthn.relyingPartyId is needed'),
    ]);
    expect(
      webauthnProblems(
        options({ relyingPartyId: 'example.com' }, { websiteDomain: undefined, origin: () => '' }),
      ),
    ).toEqual([]);
  });

  it('names unknown keys and wrong types', () => {
    expect(webauthnProblems(options({ rpId: 'example.com' } as never))).toEqual([
      expect.stringMatching(/^- webauthn\.rpId is not an option \(they are relyingPartyId, /),
    ]);
    expect(webauthnProblems(options('yes' as never))).toEqual([
      '- webauthn must be true, false or { relyingPartyId?, relyingPartyName?, origin? }',
    ]);
    expect(webauthnProblems(options({ relyingPartyName: '' }))).toEqual([
      "- webauthn.relyingPartyName must be a non-empty string, e.g. 'Acme'",
    ]);
    expect(webauthnProblems(options({ origin: [] }))).toEqual([
      "- webauthn.origin must name at least one origin, e.g. 'https://app.example.com'",
    ]);
    expect(webauthnProblems(options(false))).toEqual([]);
  });
});
