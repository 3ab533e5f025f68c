import { prefixSetCookie, unprefixCookies } from './cookie-prefix.middleware.js';

describe('session cookie prefixes', () => {
  it('names the access cookie __Host- unless it has a Domain (then __Secure-), the refresh cookie __Secure-', () => {
    expect(prefixSetCookie('sAccessToken=a; Path=/; Secure; HttpOnly')).toBe(
      '__Host-sAccessToken=a; Path=/; Secure; HttpOnly',
    );
    expect(prefixSetCookie('sAccessToken=a; Domain=example.com; Path=/; Secure')).toBe(
      '__Secure-sAccessToken=a; Domain=example.com; Path=/; Secure',
    );
    expect(prefixSetCookie('sRefreshToken=r; Path=/auth/session/refresh; Secure')).toBe(
      '__Secure-sRefreshToken=r; Path=/auth/session/refresh; Secure',
    );
    expect(prefixSetCookie('other=x; Path=/')).toBe('other=x; Path=/');
    expect(prefixSetCookie('__Host-sAccessToken=a; Path=/')).toBe('__Host-sAccessToken=a; Path=/');
  });

  it('hands the SDK the prefixed cookies under their plain names and drops plain-named ones', () => {
    expect(
      unprefixCookies(
        'sAccessToken=planted; __Host-sAccessToken=real; theme=dark; __Secure-sRefreshToken=r',
      ),
    ).toBe('sAccessToken=real; theme=dark; sRefreshToken=r');
    expect(unprefixCookies('theme=dark')).toBe('theme=dark');
  });
});
