import { AppError } from './errors.js';
import {
  allPermissions,
  builtInRoles,
  isBuiltInRole,
  isPermission,
  isPlatformOnly,
  type Permission,
  type PlatformPermission,
} from './permissions.js';
import type { Grant, Principal } from './principal.js';

/**
 * What a role grants: a built-in role's fixed set, or a custom role's stored permissions (read
 * with the membership). The platform-only permissions are never an organization role's to give.
 */
export function rolePermissions(role: string | null, customPermissions?: readonly string[] | null): Permission[] {
  if (!role) return [];
  if (isBuiltInRole(role)) return [...builtInRoles[role]];
  return (customPermissions ?? []).filter((p): p is Permission => isPermission(p) && !isPlatformOnly(p));
}

/** The credential's scopes: an API key's (null: all of its owner's), or a service account token's. */
const scoped = (principal: Pick<Grant, 'apiKey' | 'serviceAccount'>, permission: string) => {
  const scopes = principal.serviceAccount ? principal.serviceAccount.scopes : principal.apiKey?.scopes;
  return scopes == null || (scopes as readonly string[]).includes(permission);
};

/**
 * The only place that decides whether a principal may do something in an organization:
 * the permissions of its role there, intersected with the credential's scopes. The platform-only
 * permissions (credits:grant, credits:refund) come from the deployment-wide platform role instead.
 */
export function can(principal: Grant, permission: Permission, organizationId: string): boolean {
  if (principal.organizationId !== organizationId) return false;
  const granted = isPlatformOnly(permission)
    ? principal.platformRole === 'admin'
    : principal.rolePermissions.includes(permission);
  return granted && scoped(principal, permission);
}

/**
 * Platform authority, for the platform router and the platform-only permissions on an organization the
 * caller does not belong to: a platform admin's session or platform key (scoped to `permission`).
 * A key bound to an organization acts in that organization only.
 */
export function canAsPlatform(principal: Grant, permission: PlatformPermission): boolean {
  if (principal.platformRole !== 'admin') return false;
  if (principal.apiKey && !principal.apiKey.platform) return false;
  return scoped(principal, permission);
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

/** A member as the hierarchy sees them: their role in the organization and what it grants. */
export interface Rank {
  role: string | null;
  permissions: readonly Permission[];
}

/**
 * The hierarchy, the one rule for acting on another member (role change, removal, status, profile,
 * password reset, deletion, their keys): the actor holds every permission the target holds in the
 * organization (their credential's scopes included), and only owners act on owners. Custom roles
 * are ranked by what they grant, like built-in ones. FORBIDDEN `OUTRANKED` otherwise.
 */
export function assertOutranks(actor: Grant & Pick<Principal, 'role'>, target: Rank, verb: string): void {
  if (target.role === 'owner' && actor.role !== 'owner') {
    throw new AppError('OUTRANKED', `Only an owner can ${verb} an owner`, { missing: [] });
  }
  const held = new Set(effectivePermissions(actor));
  const missing = target.permissions.filter((p) => !held.has(p));
  if (missing.length) {
    throw new AppError('OUTRANKED', `Cannot ${verb} this member: they hold ${missing.join(', ')}, which you do not`, {
      missing,
    });
  }
}
