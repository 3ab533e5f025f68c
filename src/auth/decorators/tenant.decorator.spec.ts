import { subdomainOf } from './tenant.decorator.js';

describe('subdomainOf (the tenant of @RequireTenant({ subdomain: true }))', () => {
  it.each([
    ['acme.example.com', 'acme'],
    ['ACME.Example.com:8443', 'acme'],
    ['acme.eu.example.com', 'acme'],
    ['acme.localhost', 'acme'],
    ['acme.localhost:3000', 'acme'],
    ['acme.example.com.', 'acme'],
  ])('%s → %s', (host, tenant) => {
    expect(subdomainOf(host)).toBe(tenant);
  });

  it.each([
    'example.com',
    'localhost',
    'localhost:3000',
    '127.0.0.1',
    '10.0.0.1:80',
    '[::1]:3000',
    '.example.com',
    '',
  ])('names no tenant for %j', (host) => {
    expect(subdomainOf(host)).toBeUndefined();
  });
});
