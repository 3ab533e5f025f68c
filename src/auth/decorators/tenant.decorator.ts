import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { requestSession } from '../guard/request-session.js';
import { getRequestResponse } from '../utils/execution-context.util.js';

export const REQUIRED_TENANT = 'nest-supertokens:tenant';

/**
 * Which tenant a route belongs to: a fixed one, the one a route parameter names, or the one the
 * request's host names (`acme.example.com` → `acme`, or your own mapping of the host name).
 */
export type TenantRequirement =
  | { tenantId: string }
  | { param: string }
  | { subdomain: true | ((hostname: string) => string | undefined) };

/**
 * Only sessions of one tenant (needs `multitenancy: true`): a session from another tenant gets
 * 403 (`invalid claim`, validator id `st-tenant`), as a failed claim does. The tenant is fixed,
 * named by a route parameter, or by the host: `{ subdomain: true }` takes the host name's first
 * label when there is a subdomain (`acme.example.com`, `acme.localhost`; an IP address or a bare
 * domain names no tenant, so every session is refused there), `{ subdomain: (hostname) => id }`
 * maps it yourself. The host name is the platform's (`req.hostname`: behind a proxy, set Express'
 * or Fastify's `trust proxy` for `X-Forwarded-Host`).
 * @example
 * \@Get('orgs/:tenantId/invoices')
 * \@UseGuards(AuthGuard)
 * \@RequireTenant({ param: 'tenantId' })
 * invoices(@Tenant() tenantId: string) {}
 */
export const RequireTenant = (
  tenant: string | Exclude<TenantRequirement, { tenantId: string }>,
): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_TENANT, typeof tenant === 'string' ? { tenantId: tenant } : tenant);

/** The first label of a host name that has a subdomain, lower-cased; undefined otherwise. */
export function subdomainOf(hostname: string): string | undefined {
  const host = hostname.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  if (/^[\d.]+$/.test(host) || host.startsWith('[')) return undefined;
  const labels = host.split('.');
  const minimum = labels[labels.length - 1] === 'localhost' ? 2 : 3;
  return labels.length >= minimum && labels[0] !== '' ? labels[0] : undefined;
}

/**
 * The tenant id of the verified session (its `tId`, `public` for apps without tenants), or
 * undefined on a route where the session is optional and the request has none.
 */
export const Tenant = createParamDecorator((_: unknown, context: ExecutionContext) =>
  requestSession.get(getRequestResponse(context).req)?.getTenantId(),
);
