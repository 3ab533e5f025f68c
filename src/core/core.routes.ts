import { accountLinkingRoutes } from './accountlinking/account-linking.routes.js';
import { bulkImportRoutes } from './bulkimport/bulk-import.routes.js';
import type { CoreContext } from './core.context.js';
import { dashboardRoutes } from './dashboard/dashboard.routes.js';
import { emailPasswordRoutes } from './emailpassword/emailpassword.routes.js';
import { emailVerificationRoutes } from './emailverification/emailverification.routes.js';
import { metaRoutes } from './http/meta.routes.js';
import type { CoreRoute } from './http/route.js';
import { tenantRoutes } from './multitenancy/tenant.routes.js';
import { passwordlessRoutes } from './passwordless/passwordless.routes.js';
import { sessionRoutes } from './sessions/session.routes.js';
import { thirdPartyRoutes } from './thirdparty/thirdparty.routes.js';
import { totpRoutes } from './totp/totp.routes.js';
import { userMetadataRoutes } from './userdata/usermetadata.routes.js';
import { userRolesRoutes } from './userdata/userroles.routes.js';
import { userIdMappingRoutes } from './userid/userid-mapping.routes.js';
import { userListRoutes } from './users/user-list.routes.js';
import { usersRoutes } from './users/users.routes.js';
import { webAuthnRoutes } from './webauthn/webauthn.routes.js';

/** Every API the embedded core serves, feature by feature. */
export function coreRoutes(ctx: CoreContext): CoreRoute[] {
  return [
    ...metaRoutes(),
    ...tenantRoutes(ctx),
    ...usersRoutes(ctx),
    ...accountLinkingRoutes(ctx),
    ...userListRoutes(ctx),
    ...dashboardRoutes(ctx),
    ...emailPasswordRoutes(ctx),
    ...passwordlessRoutes(ctx),
    ...thirdPartyRoutes(ctx),
    ...totpRoutes(ctx),
    ...webAuthnRoutes(ctx),
    ...sessionRoutes(ctx),
    ...emailVerificationRoutes(ctx),
    ...userRolesRoutes(ctx),
    ...userMetadataRoutes(ctx),
    ...userIdMappingRoutes(ctx),
    ...bulkImportRoutes(ctx),
  ];
}
