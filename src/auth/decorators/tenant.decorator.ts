import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { requestSession } from '../guard/request-session.js';
import { getRequestResponse } from '../utils/execution-context.util.js';

export const REQUIRED_TENANT = 'nest-supertokens:tenant';

/** Which tenant a route belongs to: a fixed one, or the one a route parameter names. */
export type TenantRequirement = { tenantId: string } | { param: string };

/**
 * Only sessions of one tenant (needs `multitenancy: true`): a session from another tenant gets
 * 403 (`invalid claim`, validator id `st-tenant`), as a failed claim does. The tenant is fixed,
 * or named by a route parameter.
 * @example
 * \@Get('orgs/:tenantId/invoices')
 * \@UseGuards(AuthGuard)
 * \@RequireTenant({ param: 'tenantId' })
 * invoices(@Tenant() tenantId: string) {}
 */
export const RequireTenant = (
  tenant: string | { param: string },
): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_TENANT, typeof tenant === 'string' ? { tenantId: tenant } : tenant);

/**
 * The tenant id of the verified session (its `tId`, `public` for apps without tenants), or
 * undefined on a route where the session is optional and the request has none.
 */
export const Tenant = createParamDecorator((_: unknown, context: ExecutionContext) =>
  requestSession.get(getRequestResponse(context).req)?.getTenantId(),
);
