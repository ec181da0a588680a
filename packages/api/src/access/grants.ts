import { newId } from '@gatehouse/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { record } from '../core/audit.js';
import { assertHolds } from '../core/authorization.js';
import { AppError } from '../core/errors.js';
import { isProjectRole, type PermissionKey, projectRoles } from '../core/permissions.js';
import type { Principal } from '../core/principal.js';
import { actorOf, type Caller } from '../infra/caller.js';
import { roleOrFail } from './authority.js';
import { bindingPermissions } from './bindings.js';
import { joinRole } from './sql.js';

/** Who holds a binding: a team, or (on a project only) a user. */
export type Holder = { teamId: string; userId?: never } | { userId: string; teamId?: never };

/**
 * What `role` grants on the resource, checked for it: project roles on a project only, organization
 * roles on the organization only, and never ownership, which is held by a membership alone.
 */
export async function bindableRole(
  tx: EntityManager,
  organizationId: string,
  role: string,
  projectId: string | null,
): Promise<PermissionKey[]> {
  if (projectId) {
    if (!isProjectRole(role)) {
      throw new AppError('BAD_REQUEST', 'On a project the role is project_admin, project_editor or project_viewer', {
        field: 'role',
      });
    }
    return [...projectRoles[role]];
  }
  if (isProjectRole(role)) throw new AppError('BAD_REQUEST', `${role} is held on a project: give projectId`);
  if (role === 'owner') throw new AppError('BAD_REQUEST', 'Ownership is held by a member, never through a team');
  return (await roleOrFail(tx, organizationId, role)).permissions;
}

interface BindingRow {
  id: string;
  role: string;
  permissions: string[] | null;
}

async function currentBinding(
  tx: EntityManager,
  organizationId: string,
  holder: Holder,
  projectId: string | null,
): Promise<BindingRow | null> {
  const [row] = await tx.execute<BindingRow[]>(
    `select b.id, b.role, r.permissions from role_bindings b
       ${joinRole('r', 'b')}
      where b.organization_id = ? and b.team_id is not distinct from ? and b.user_id is not distinct from ?
        and b.project_id is not distinct from ?
      for update of b`,
    [organizationId, holder.teamId ?? null, holder.userId ?? null, projectId],
  );
  return row ?? null;
}

const targetOf = (holder: Holder) =>
  holder.teamId ? { type: 'team', id: holder.teamId } : { type: 'user', id: holder.userId as string };
const resourceOf = (organizationId: string, projectId: string | null) =>
  projectId ? { type: 'project', id: projectId } : { type: 'organization', id: organizationId };

/**
 * Gives the holder `role` on the organization or a project (replacing the role it held there). Nobody
 * grants more than they hold on that resource, nor takes away a role above their own. Audited; the
 * caller announces the organization so every process drops the cached bindings.
 */
export async function bindRole(
  tx: EntityManager,
  caller: Caller,
  actor: Principal,
  input: { organizationId: string; holder: Holder; projectId: string | null; role: string },
): Promise<void> {
  const { organizationId, holder, projectId, role } = input;
  const granted = await bindableRole(tx, organizationId, role, projectId);
  assertHolds(actor, granted, `grant role ${role}`, projectId);
  const existing = await currentBinding(tx, organizationId, holder, projectId);
  if (existing?.role === role) return;
  if (existing) {
    assertHolds(
      actor,
      bindingPermissions(existing.role, existing.permissions),
      `replace role ${existing.role}`,
      projectId,
    );
    await tx.execute('update role_bindings set role = ?, updated_at = now() where id = ?', [role, existing.id]);
  } else {
    await tx.execute(
      `insert into role_bindings (id, organization_id, team_id, user_id, project_id, role, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, now(), now())`,
      [newId('rbd'), organizationId, holder.teamId ?? null, holder.userId ?? null, projectId, role],
    );
  }
  record(tx, actorOf(caller), {
    organizationId,
    action: 'role_binding.granted',
    target: targetOf(holder),
    changes: {
      role: { from: existing?.role ?? null, to: role },
      resource: { from: null, to: resourceOf(organizationId, projectId) },
    },
  });
}

/** Takes the holder's role on the resource away (NOT_FOUND if it holds none there), under the same rule. */
export async function unbindRole(
  tx: EntityManager,
  caller: Caller,
  actor: Principal,
  input: { organizationId: string; holder: Holder; projectId: string | null },
): Promise<void> {
  const { organizationId, holder, projectId } = input;
  const existing = await currentBinding(tx, organizationId, holder, projectId);
  if (!existing) throw new AppError('NOT_FOUND', 'No such role binding');
  assertHolds(
    actor,
    bindingPermissions(existing.role, existing.permissions),
    `revoke role ${existing.role}`,
    projectId,
  );
  await tx.execute('delete from role_bindings where id = ?', [existing.id]);
  record(tx, actorOf(caller), {
    organizationId,
    action: 'role_binding.revoked',
    target: targetOf(holder),
    changes: {
      role: { from: existing.role, to: null },
      resource: { from: resourceOf(organizationId, projectId), to: null },
    },
  });
}

/** The roles a team holds, each checked against the actor: adding a member grants them all, as deleting the team takes them. */
export async function assertHoldsTeamRoles(tx: EntityManager, actor: Principal, teamId: string, verb: string) {
  const rows = await tx.execute<{ role: string; project_id: string | null; permissions: string[] | null }[]>(
    `select b.role, b.project_id, r.permissions from role_bindings b
       ${joinRole('r', 'b')}
      where b.team_id = ?`,
    [teamId],
  );
  for (const row of rows) {
    assertHolds(actor, bindingPermissions(row.role, row.permissions), `${verb} (it holds ${row.role})`, row.project_id);
  }
}
