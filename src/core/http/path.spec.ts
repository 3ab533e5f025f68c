import { resolvePath } from './path.js';

const api = new Set(['/user/id', '/recipe/signup', '/recipe/session', '/apiversion']);
const resolve = (path: string) => resolvePath(path, (p) => api.has(p));

describe('resolvePath (the real core path grammar)', () => {
  it.each([
    ['/user/id', { appId: 'public', tenantId: undefined, apiPath: '/user/id' }],
    ['/public/recipe/signup', { appId: 'public', tenantId: 'public', apiPath: '/recipe/signup' }],
    ['/appid-public/public/user/id', { appId: 'public', tenantId: 'public', apiPath: '/user/id' }],
    ['/appid-/user/id', { appId: 'public', tenantId: undefined, apiPath: '/user/id' }],
    [
      '/appid-shop/t1/recipe/session',
      { appId: 'shop', tenantId: 't1', apiPath: '/recipe/session' },
    ],
    ['/USER/ID/', { appId: 'public', tenantId: undefined, apiPath: '/user/id' }],
  ])('%s', (path, expected) => {
    expect(resolve(path)).toEqual(expected);
  });

  it.each([
    '/hello/user/id',
    '/users/user/id',
    '/recipe/recipe/signup',
    '/nope',
    '/a/b/user/id',
    '/appid-a_b/user/id',
  ])('does not resolve %s (reserved words are never tenants)', (path) => {
    expect(resolve(path)).toBeUndefined();
  });
});
