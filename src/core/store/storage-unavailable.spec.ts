import { connectionFailure } from './storage-unavailable.js';

describe('connectionFailure', () => {
  it.each([
    [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      'ECONNREFUSED',
    ],
    [
      Object.assign(new Error('terminating connection due to administrator command'), {
        code: '57P01',
      }),
      '57P01',
    ],
    [Object.assign(new Error('the database system is starting up'), { code: '57P03' }), '57P03'],
    [Object.assign(new Error('connection failure'), { code: '08006' }), '08006'],
    [new Error('Connection terminated unexpectedly'), 'connection lost'],
    [new Error('timeout exceeded when trying to connect'), 'connection lost'],
    // A socket error from another realm is still one.
    [{ code: 'ECONNRESET', message: 'read ECONNRESET' }, 'ECONNRESET'],
  ])('%s is the server being unreachable', (error, cause) => {
    expect(connectionFailure(error)).toBe(cause);
  });

  it.each([
    [Object.assign(new Error('duplicate key value'), { code: '23505' })],
    [Object.assign(new Error('syntax error'), { code: '42601' })],
    [new Error('boom')],
    ['ECONNREFUSED'],
    [null],
  ])('%s is not', (error) => {
    expect(connectionFailure(error)).toBeUndefined();
  });
});
