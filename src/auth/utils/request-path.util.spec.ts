import { sdkRequestPath } from './request-path.util.js';

describe('sdkRequestPath (the path the SDK routes by)', () => {
  it.each([
    ['/auth/dashboard/api/user/password?x=/api/signout', '/auth/dashboard/api/user/password'],
    ['/auth/dashboard/api/user/metadata#/api/signout', '/auth/dashboard/api/user/metadata'],
    ['/auth/./dashboard', '/auth/dashboard'],
    ['/auth/x/../dashboard/', '/auth/dashboard'],
    ['/auth/%2e/dashboard', '/auth/dashboard'],
    ['/auth/.%2E/auth/dashboard', '/auth/dashboard'],
    ['/auth\\dashboard', '/auth/dashboard'],
    ['/auth/dash\tboard', '/auth/dashboard'],
    ['//evil.example/auth/dashboard', '//evil.example/auth/dashboard'],
    ['/auth/dashboard/api/signout%3Fx', '/auth/dashboard/api/signout%3Fx'],
    ['  /auth/dashboard  ', '/auth/dashboard'],
  ])('%s → %s', (url, path) => {
    expect(sdkRequestPath(url)).toBe(path);
  });
});
