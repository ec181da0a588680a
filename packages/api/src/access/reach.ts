import { can, canAsPlatform, effectivePermissions } from '../core/authorization.js';
import { knownPermissions, type PlatformPermission, platformPermissions } from '../core/permissions.js';
import type { Principal } from '../core/principal.js';

/**
 * What a caller reaches, asked by services that filter or shape an answer (never to admit a call:
 * that is the procedure chain's). The decisions themselves stay in core/authorization.ts.
 */

/** Null: every project of the organization (projects:read on it); else the ids its bindings open. */
export function readableProjects(principal: Principal, organizationId: string): string[] | null {
  if (can(principal, 'projects:read', organizationId)) return null;
  const ids = (principal.bindings ?? []).map((b) => b.projectId);
  return [
    ...new Set(ids.filter((id): id is string => id !== null && can(principal, 'projects:read', organizationId, id))),
  ];
}

/** Whether the caller reads the organization's members (an external collaborator does not). */
export const readsMembers = (principal: Principal, organizationId: string) =>
  can(principal, 'members:read', organizationId);

/** Whether the caller may bring someone from outside into the organization (a project invitation to an outsider). */
export const invitesOutsiders = (principal: Principal, organizationId: string) =>
  can(principal, 'members:invite', organizationId);

/** The platform permissions among `scopes` the caller does not hold (nobody grants what they lack). */
export const platformScopesLacking = (principal: Principal, scopes: readonly PlatformPermission[]) =>
  scopes.filter((scope) => !canAsPlatform(principal, scope));

/** The platform permissions a platform credential holds. */
export const heldPlatformPermissions = (principal: Principal): PlatformPermission[] =>
  platformPermissions.filter((p) => canAsPlatform(principal, p));

/** The caller's permission map in their current organization: resource → action → allowed. */
export function permissionMap(
  principal: Principal,
  projectId: string | null = null,
): Record<string, Record<string, boolean>> {
  const held = new Set<string>(effectivePermissions(principal, projectId));
  const map: Record<string, Record<string, boolean>> = {};
  // Built-in and registered alike (`workflows: { read: true }`).
  for (const permission of knownPermissions()) {
    const [resource = '', action = ''] = permission.split(':');
    map[resource] ??= {};
    map[resource][action] = held.has(permission);
  }
  return map;
}
