import type { EntityManager } from '@mikro-orm/postgresql';
import { type Explanation, explain } from '../core/authorization.js';
import { AppError } from '../core/errors.js';
import { knownPermissions, type PermissionKey, type Scope } from '../core/permissions.js';
import type { Binding, Grant } from '../core/principal.js';
import type { Caller, Runtime } from '../infra/caller.js';
import { bindingsOf } from './bindings.js';
import { membershipOf } from './membership.js';
import { findServiceAccountRank } from './service-accounts.js';

/**
 * What the decision would see of a user acting in the organization: their membership's role and
 * their bindings there (none if their membership is deactivated or the organization suspended: they act
 * there not at all). NOT_FOUND for a user who neither belongs to it nor collaborates on its projects.
 */
export async function userGrant(
  runtime: Runtime,
  em: EntityManager,
  organizationId: string,
  userId: string,
  apiKey: Grant['apiKey'] = null,
): Promise<Grant> {
  const [membership, bindings, [user]] = await Promise.all([
    membershipOf(runtime, em, userId, organizationId),
    bindingsOf(runtime, em, organizationId, userId),
    em.execute<{ platform_role: 'user' | 'admin' }[]>('select platform_role from users where id = ?', [userId]),
  ]);
  if (!user || (!membership && bindings.length === 0)) throw new AppError('NOT_FOUND', 'Principal not found');
  const barred = membership?.barred != null;
  return {
    organizationId,
    role: barred ? null : (membership?.role ?? null),
    rolePermissions: barred ? [] : (membership?.rolePermissions ?? []),
    platformRole: user.platform_role,
    apiKey,
    bindings: barred ? [] : bindings,
  };
}

/** A user, an API key (its holder's grant ∩ its scopes) or a service account of the organization. */
async function grantOf(caller: Caller, organizationId: string, principalId: string): Promise<Grant> {
  const { em, runtime } = caller;
  if (principalId.startsWith('usr_')) return userGrant(runtime, em, organizationId, principalId);
  if (principalId.startsWith('key_')) {
    const [key] = await em.execute<
      { user_id: string; key_prefix: string; scopes: Scope[] | null; expires_at: Date | null }[]
    >(
      `select user_id, key_prefix, scopes, expires_at from api_keys
        where id = ? and organization_id = ? and revoked_at is null`,
      [principalId, organizationId],
    );
    if (!key) throw new AppError('NOT_FOUND', 'Principal not found');
    return userGrant(runtime, em, organizationId, key.user_id, {
      id: principalId,
      keyPrefix: key.key_prefix,
      scopes: key.scopes,
      platform: false,
      expiresAt: key.expires_at,
    });
  }
  const account = principalId.startsWith('sa_') ? await findServiceAccountRank(em, organizationId, principalId) : null;
  if (!account) throw new AppError('NOT_FOUND', 'Principal not found');
  return {
    organizationId,
    role: account.role,
    rolePermissions: account.permissions,
    platformRole: 'user',
    apiKey: null,
  };
}

/** permissions.explain: the decision itself, on the principal as it stands, with its chain or the missing link. */
export async function explainFor(
  caller: Caller,
  input: { organizationId: string; principalId: string; permission: PermissionKey; resourceId?: string | undefined },
): Promise<Explanation> {
  const { organizationId, resourceId } = input;
  let projectId: string | null = null;
  if (resourceId && resourceId !== organizationId) {
    const [project] = await caller.em.execute<{ id: string }[]>(
      'select id from projects where id = ? and organization_id = ?',
      [resourceId, organizationId],
    );
    if (!project) throw new AppError('NOT_FOUND', 'Resource not found');
    projectId = project.id;
  }
  const grant = await grantOf(caller, organizationId, input.principalId);
  return explain(grant, input.permission, organizationId, projectId);
}

/**
 * Every permission a grant holds, on the organization and on each project its bindings name, each with
 * the link that grants it (users.getPermissions): the decision's own chains, so the list cannot disagree.
 * Each resource is explained with the bindings that can reach it only (a project's own, and on the
 * organization those without a project), which is what keeps a user in many teams cheap.
 */
export function permissionsWithSources(grant: Grant, organizationId: string) {
  const onProject = new Map<string, Binding[]>();
  for (const binding of grant.bindings ?? []) {
    if (binding.projectId) onProject.set(binding.projectId, [...(onProject.get(binding.projectId) ?? []), binding]);
  }
  const resources = [
    {
      resource: { type: 'organization' as const, id: organizationId },
      projectId: null,
      grant: { ...grant, bindings: (grant.bindings ?? []).filter((b) => !b.projectId) },
    },
    // On a project, only what the project adds: the organization-wide grants are listed once, above.
    ...[...onProject].map(([id, bindings]) => ({
      resource: { type: 'project' as const, id },
      projectId: id,
      grant: { ...grant, role: null, rolePermissions: [], bindings },
    })),
  ];
  return resources.flatMap(({ resource, projectId, grant: scoped }) =>
    knownPermissions().flatMap((permission) => {
      const { allowed, chain } = explain(scoped, permission, organizationId, projectId);
      return allowed ? chain.map(({ scope: _scope, ...link }) => ({ permission, resource, ...link })) : [];
    }),
  );
}
