import { allPermissions, builtInRoles, isBuiltInRole, type Permission } from './permissions.js';
import type { Grant } from './principal.js';

/** The role's permissions in the principal's organization. Custom roles arrive with issue #6. */
export function rolePermissions(role: string | null): readonly Permission[] {
  return role && isBuiltInRole(role) ? builtInRoles[role] : [];
}

/**
 * The only place that decides whether a principal may do something in an organization:
 * the permissions of its role there, intersected with the credential's scopes.
 * `credits:grant` comes from the deployment-wide platform role, never from an organization role.
 */
export function can(principal: Grant, permission: Permission, organizationId: string): boolean {
  if (principal.organizationId !== organizationId) return false;
  const granted =
    permission === 'credits:grant'
      ? principal.platformRole === 'admin'
      : rolePermissions(principal.role).includes(permission);
  const scopes = principal.apiKey?.scopes;
  return granted && (scopes == null || scopes.includes(permission));
}

/** Everything `can` would allow the principal in its own organization. */
export function effectivePermissions(principal: Grant): Permission[] {
  const { organizationId } = principal;
  if (!organizationId) return [];
  return allPermissions.filter((p) => can(principal, p, organizationId));
}
