import type { EntityManager } from '@mikro-orm/postgresql';
import { rolePermissions } from '../core/authorization.js';
import { isProjectRole, type PermissionKey, projectRoles } from '../core/permissions.js';
import type { Binding, Principal } from '../core/principal.js';
import type { Runtime } from '../infra/caller.js';
import { bindingReaches, joinRole } from './sql.js';

/** What a role grants, wherever it is bound: a project role's fixed set, or an organization role's. */
export function bindingPermissions(role: string, customPermissions: readonly string[] | null): PermissionKey[] {
  return isProjectRole(role) ? [...projectRoles[role]] : rolePermissions(role, customPermissions);
}

/**
 * The roles `userId` holds in the organization besides their membership's: those of their teams (the
 * `everyone` team for an active member) and their own project collaborations. Cached like principals
 * per user and organization, so a request costs no query once warm; evicted by any announcement for
 * the user (team membership changes) or the organization (bindings, teams, projects).
 */
export async function bindingsOf(
  runtime: Runtime,
  em: EntityManager,
  organizationId: string,
  userId: string,
): Promise<Binding[]> {
  const cacheKey = `b:${organizationId}:${userId}`;
  const cached = runtime.principals.get(cacheKey) as { bindings: Binding[] } | undefined;
  if (cached) return cached.bindings;
  const generation = runtime.principals.generation;
  const rows = await em.execute<
    { team_id: string | null; project_id: string | null; role: string; permissions: string[] | null }[]
  >(
    `select b.team_id, b.project_id, b.role, r.permissions
       from role_bindings b
       left join teams t on t.id = b.team_id
       ${joinRole('r', 'b')}
      where b.organization_id = ?
        and ${bindingReaches(
          '?',
          "exists (select 1 from memberships m where m.organization_id = b.organization_id and m.user_id = ? and m.status = 'active')",
        )}
      order by b.id`,
    [organizationId, userId, userId, userId],
  );
  const bindings = rows.map(
    (row): Binding => ({
      role: row.role,
      permissions: bindingPermissions(row.role, row.permissions),
      teamId: row.team_id,
      projectId: row.project_id,
    }),
  );
  runtime.principals.set(cacheKey, { bindings }, { userId, organizationId }, generation);
  return bindings;
}

/**
 * The principal with its bindings in the organization it acts in, for the decision (authorization.ts).
 * Service accounts hold their role only.
 */
export async function withBindings(
  ctx: { runtime: Runtime; em: EntityManager },
  principal: Principal,
): Promise<Principal> {
  if (principal.bindings || principal.kind !== 'user' || !principal.organizationId) return principal;
  return { ...principal, bindings: await bindingsOf(ctx.runtime, ctx.em, principal.organizationId, principal.userId) };
}
