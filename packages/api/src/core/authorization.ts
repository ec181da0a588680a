import { AppError } from './errors.js';
import {
  builtInRolePermissions,
  isBuiltInRole,
  isKnownPermission,
  isPlatformOnly,
  knownPermissions,
  type PermissionKey,
  type PlatformPermission,
} from './permissions.js';
import type { Grant, Principal } from './principal.js';

/**
 * What a role grants: a built-in role's set (with the registered permissions it holds), or a custom
 * role's stored permissions (read with the membership) that are still in the catalogue. The
 * platform-only permissions are never an organization role's to give.
 */
export function rolePermissions(role: string | null, customPermissions?: readonly string[] | null): PermissionKey[] {
  if (!role) return [];
  if (isBuiltInRole(role)) return builtInRolePermissions(role);
  return (customPermissions ?? []).filter((p) => isKnownPermission(p) && !isPlatformOnly(p));
}

/** The credential's scopes: an API key's (null: all of its owner's), or a service account token's. */
const scopesOf = (principal: Pick<Grant, 'apiKey' | 'serviceAccount'>): readonly string[] | null =>
  (principal.serviceAccount ? principal.serviceAccount.scopes : principal.apiKey?.scopes) ?? null;

const scoped = (principal: Pick<Grant, 'apiKey' | 'serviceAccount'>, permission: string) => {
  const scopes = scopesOf(principal);
  return scopes == null || scopes.includes(permission);
};

/** One link of the chain that grants a permission: a role held directly, through a team, or on a project. */
export interface Link {
  via: 'role' | 'team' | 'project';
  role: string;
  teamId?: string;
  projectId?: string;
  /** The credential's scope that lets the permission through (absent: the credential is not scoped). */
  scope?: string;
}

/**
 * Whether the principal may, and why: every role that grants the permission (`chain`), or what is
 * missing — `organization` (it does not act there), `role` (nothing grants it) or `scope` (granted,
 * but the credential is scoped without it).
 */
export interface Explanation {
  allowed: boolean;
  chain: Link[];
  missing?: 'organization' | 'role' | 'scope';
}

/**
 * The only place that decides whether a principal may do something in an organization, or on one of
 * its projects (`projectId`): the permissions of its role there, of the roles its teams hold on the
 * organization, and (on a project) of the roles it or its teams hold on that project, intersected with
 * the credential's scopes. A project role never reaches beyond its project. The platform-only
 * permissions (credits:grant, credits:refund) come from the deployment-wide platform role instead.
 * `can` and every explanation are this one function, so they cannot disagree.
 */
export function explain(
  principal: Grant,
  permission: PermissionKey,
  organizationId: string,
  projectId: string | null = null,
): Explanation {
  if (principal.organizationId !== organizationId) return { allowed: false, chain: [], missing: 'organization' };
  const chain: Link[] = [];
  if (isPlatformOnly(permission)) {
    if (principal.platformRole === 'admin') chain.push({ via: 'role', role: 'platform:admin' });
  } else {
    if (principal.rolePermissions.includes(permission)) chain.push({ via: 'role', role: principal.role ?? '' });
    for (const binding of principal.bindings ?? []) {
      if (binding.projectId !== null && binding.projectId !== projectId) continue;
      if (!binding.permissions.includes(permission)) continue;
      chain.push({
        via: binding.teamId ? 'team' : 'project',
        role: binding.role,
        ...(binding.teamId ? { teamId: binding.teamId } : {}),
        ...(binding.projectId ? { projectId: binding.projectId } : {}),
      });
    }
  }
  if (chain.length === 0) return { allowed: false, chain, missing: 'role' };
  if (scopesOf(principal) === null) return { allowed: true, chain };
  if (!scoped(principal, permission)) return { allowed: false, chain, missing: 'scope' };
  return { allowed: true, chain: chain.map((link) => ({ ...link, scope: permission })) };
}

export function can(
  principal: Grant,
  permission: PermissionKey,
  organizationId: string,
  projectId: string | null = null,
): boolean {
  return explain(principal, permission, organizationId, projectId).allowed;
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

/** Everything `can` would allow the principal in its own organization (or on one of its projects). */
export function effectivePermissions(principal: Grant, projectId: string | null = null): PermissionKey[] {
  const { organizationId } = principal;
  if (!organizationId) return [];
  return knownPermissions().filter((p) => can(principal, p, organizationId, projectId));
}

/**
 * Nobody grants, or handles a credential or role granting, a permission they do not hold
 * (their key's scopes included): FORBIDDEN naming what is missing.
 */
export function assertHolds(
  principal: Grant,
  permissions: readonly PermissionKey[],
  what: string,
  projectId: string | null = null,
): void {
  const held = new Set(effectivePermissions(principal, projectId));
  const missing = permissions.filter((p) => !held.has(p));
  if (missing.length) {
    throw new AppError('FORBIDDEN', `Cannot ${what}: you do not hold ${missing.join(', ')}`, { missing });
  }
}

/** A member as the hierarchy sees them: their role in the organization and what it grants. */
export interface Rank {
  role: string | null;
  permissions: readonly PermissionKey[];
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
