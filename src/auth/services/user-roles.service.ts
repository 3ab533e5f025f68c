import { Injectable } from '@nestjs/common';
import Session from 'supertokens-node/recipe/session';
import UserRoles, { PermissionClaim, UserRoleClaim } from 'supertokens-node/recipe/userroles';

/**
 * Roles and permissions management (needs `roles: true`), wrapping supertokens-node's UserRoles
 * functions; override it in tests with `overrideProvider(UserRolesService)`. Role assignments are
 * per tenant (`public` by default); sessions see changes after `refreshSessionClaims()` (or when
 * the claim is refetched, every 5 minutes by default).
 */
@Injectable()
export class UserRolesService {
  /** Creates the role, or adds these permissions to it. */
  async createRole(role: string, permissions: string[] = []): Promise<{ createdNewRole: boolean }> {
    const { createdNewRole } = await UserRoles.createNewRoleOrAddPermissions(role, permissions);
    return { createdNewRole };
  }

  async deleteRole(role: string): Promise<{ didRoleExist: boolean }> {
    const { didRoleExist } = await UserRoles.deleteRole(role);
    return { didRoleExist };
  }

  async getAllRoles(): Promise<string[]> {
    return (await UserRoles.getAllRoles()).roles;
  }

  /** The role's permissions, or undefined when the role does not exist. */
  async getPermissions(role: string): Promise<string[] | undefined> {
    const result = await UserRoles.getPermissionsForRole(role);
    return result.status === 'OK' ? result.permissions : undefined;
  }

  /** Removes these permissions from the role (all of them when omitted). */
  async removePermissions(
    role: string,
    permissions?: string[],
  ): Promise<'OK' | 'UNKNOWN_ROLE_ERROR'> {
    const current = permissions ?? (await this.getPermissions(role)) ?? [];
    return (await UserRoles.removePermissionsFromRole(role, current)).status;
  }

  async addRoleToUser(
    userId: string,
    role: string,
    tenantId = 'public',
  ): Promise<'OK' | 'ALREADY_HAD_ROLE' | 'UNKNOWN_ROLE_ERROR'> {
    const result = await UserRoles.addRoleToUser(tenantId, userId, role);
    if (result.status !== 'OK') return result.status;
    return result.didUserAlreadyHaveRole ? 'ALREADY_HAD_ROLE' : 'OK';
  }

  async removeRoleFromUser(
    userId: string,
    role: string,
    tenantId = 'public',
  ): Promise<'OK' | 'DID_NOT_HAVE_ROLE' | 'UNKNOWN_ROLE_ERROR'> {
    const result = await UserRoles.removeUserRole(tenantId, userId, role);
    if (result.status !== 'OK') return result.status;
    return result.didUserHaveRole ? 'OK' : 'DID_NOT_HAVE_ROLE';
  }

  async getRolesForUser(userId: string, tenantId = 'public'): Promise<string[]> {
    return (await UserRoles.getRolesForUser(tenantId, userId)).roles;
  }

  /** Users having the role, or undefined when the role does not exist. */
  async getUsersWithRole(role: string, tenantId = 'public'): Promise<string[] | undefined> {
    const result = await UserRoles.getUsersThatHaveRole(tenantId, role);
    return result.status === 'OK' ? result.users : undefined;
  }

  /**
   * Re-reads the roles and permissions into a session's stored claims: the client's next
   * refreshed (or database-checked) access token carries them.
   */
  async refreshSessionClaims(sessionHandle: string): Promise<boolean> {
    const roles = await Session.fetchAndSetClaim(sessionHandle, UserRoleClaim);
    const permissions = await Session.fetchAndSetClaim(sessionHandle, PermissionClaim);
    return roles && permissions;
  }
}
