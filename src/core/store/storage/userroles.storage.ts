/**
 * Roles, permissions and role assignments (official tables `roles`, `role_permissions`,
 * `user_roles`): the plugin interface's `UserRolesStorage`.
 */
export interface UserRolesStorage {
  getUserRoles(appId: string, tenantId: string, userId: string): Promise<string[]>;
  /** undefined when the role does not exist. */
  getRolePermissions(appId: string, role: string): Promise<string[] | undefined>;
  /** Creates the role or adds (never removes) permissions; true if it was created. */
  upsertRole(appId: string, role: string, permissions: string[]): Promise<boolean>;
  /** Deletes the role and takes it from every user in every tenant; false if it did not exist. */
  deleteRole(appId: string, role: string): Promise<boolean>;
  listRoles(appId: string): Promise<string[]>;
  /** Removes these permissions (all when undefined); false if the role does not exist. */
  removeRolePermissions(appId: string, role: string, permissions?: string[]): Promise<boolean>;
  rolesWithPermission(appId: string, permission: string): Promise<string[]>;
  /** Whether the user already had the role; undefined when the role does not exist. */
  addUserRole(
    appId: string,
    tenantId: string,
    userId: string,
    role: string,
  ): Promise<boolean | undefined>;
  /** Whether the user had the role; undefined when the role does not exist. */
  removeUserRole(
    appId: string,
    tenantId: string,
    userId: string,
    role: string,
  ): Promise<boolean | undefined>;
  /** undefined when the role does not exist. */
  usersWithRole(appId: string, tenantId: string, role: string): Promise<string[] | undefined>;
}
