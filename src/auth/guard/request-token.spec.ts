import type { Request } from 'express';
import { unambiguousAccessToken } from './request-token.js';

const request = (method: string, headers: Record<string, string>) =>
  ({ method, headers }) as unknown as Request;

describe('unambiguousAccessToken', () => {
  it('takes a Bearer token when no cookie is sent', () => {
    expect(
      unambiguousAccessToken(request('POST', { authorization: 'Bearer abc.def.ghi ' })),
    ).toEqual({
      token: 'abc.def.ghi',
      transferMethod: 'header',
    });
  });

  it('takes the sAccessToken cookie on GET only', () => {
    const headers = { cookie: 'theme=dark; sAccessToken=abc%2Edef; other=1' };
    expect(unambiguousAccessToken(request('GET', headers))).toEqual({
      token: 'abc.def',
      transferMethod: 'cookie',
    });
    expect(unambiguousAccessToken(request('POST', headers))).toBeUndefined();
  });

  it.each([
    [
      'header and cookie both present',
      'GET',
      { authorization: 'Bearer a', cookie: 'sAccessToken=b' },
    ],
    ['a non-Bearer Authorization', 'GET', { authorization: 'Basic Zm9vOmJhcg==' }],
    ['an empty Bearer token', 'GET', { authorization: 'Bearer   ' }],
    ['the legacy sIdRefreshToken cookie', 'GET', { cookie: 'sAccessToken=a; sIdRefreshToken=b' }],
    ['no session cookie', 'GET', { cookie: 'theme=dark' }],
    ['a malformed cookie value', 'GET', { cookie: 'sAccessToken=%E0%A4%A' }],
    ['nothing at all', 'GET', {}],
  ])('leaves the decision to the SDK for %s', (_name, method, headers) => {
    expect(unambiguousAccessToken(request(method, headers))).toBeUndefined();
  });
});
