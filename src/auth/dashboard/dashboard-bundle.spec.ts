import { pathSegments } from './dashboard-bundle.js';

describe('pathSegments', () => {
  it('decodes each segment once', () => {
    expect(pathSegments('static/js/bundle.js')).toEqual(['static', 'js', 'bundle.js']);
    expect(pathSegments('static/media/a%20b.svg')).toEqual(['static', 'media', 'a b.svg']);
    expect(pathSegments('static/%252e%252e')).toEqual(['static', '%2e%2e']);
  });

  it.each([
    ['..', /"\.\."/],
    ['static/../x', /"\.\."/],
    ['static/%2e%2e/x', /"\.\."/],
    ['static//x', /Empty/],
    ['..%2fsecret', /Encoded "\/"/],
    ['static%5cx', /Encoded/],
    ['x%00.js', /NUL/],
    ['.env', /Hidden/],
    ['static/%zz', /percent-encoding/],
  ])('refuses %s with a reason', (path, reason) => {
    expect(pathSegments(path)).toMatch(reason);
  });
});
