import { AppError } from './errors.js';
import { allPermissions, builtInRoles, isBuiltInRole, isPermission, type Permission } from './permissions.js';
import type { Grant } from './principal.js';

/**
 * What a role grants: a built-in role's fixed set, or a custom role's stored permissions (read
 * with the membership). credits:grant is never an organization role's to give.
 */
export function rolePermissions(role: string | null, customPermissions?: readonly string[] | null): Permission[] {
  if (!role) return [];
  if (isBuiltInRole(role)) return [...builtInRoles[role]];
  return (customPermissions ?? []).filter((p): p is Permission => isPermission(p) && p !== 'credits:grant');
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
      : principal.rolePermissions.includes(permission);
  const scopes = principal.apiKey?.scopes;
  return granted && (scopes == null || scopes.includes(permission));
}

/** Everything `can` would allow the principal in its own organization. */
export function effectivePermissions(principal: Grant): Permission[] {
  const { organizationId } = principal;
  if (!organizationId) return [];
  return allPermissions.filter((p) => can(principal, p, organizationId));
}

/**
 * Nobody grants, or handles a credential or role granting, a permission they do not hold
 * (their key's scopes included): FORBIDDEN naming what is missing.
 */
export function assertHolds(principal: Grant, permissions: readonly Permission[], what: string): void {
  const held = new Set(effectivePermissions(principal));
  const missing = permissions.filter((p) => !held.has(p));
  if (missing.length) {
    throw new AppError('FORBIDDEN', `Cannot ${what}: you do not hold ${missing.join(', ')}`, { missing });
  }
}
