import type { EntityManager } from '@mikro-orm/postgresql';
import { type Actor, record } from '../core/audit.js';
import { explain, rolePermissions } from '../core/authorization.js';
import { isProjectRole, type PermissionKey, projectRoles } from '../core/permissions.js';
import type { Grant } from '../core/principal.js';
import { bindingPermissions } from './bindings.js';
import { bindingReaches, joinRole } from './sql.js';

interface AuthorityRow {
  id: string;
  organization_id: string;
  role: string;
  role_permissions: string[] | null;
  inviter_role: string | null;
  inviter_permissions: string[] | null;
  inviter_membership: string | null;
  inviter_account: string | null;
  project_id: string | null;
  /** A project invitation's: the roles reaching the inviter there (theirs and their teams', on the project or the organization). */
  inviter_bindings:
    | { role: string; team_id: string | null; project_id: string | null; permissions: string[] | null }[]
    | null;
}

const AUTHORITY_SELECT = `select i.id, i.organization_id, i.role, ir.permissions as role_permissions,
         m.role as inviter_role, mr.permissions as inviter_permissions, m.status as inviter_membership,
         u.status as inviter_account, i.project_id,
         case when i.project_id is not null then coalesce((
           select json_agg(json_build_object('role', b.role, 'team_id', b.team_id, 'project_id', b.project_id,
                                             'permissions', br.permissions))
             from role_bindings b
             left join teams t on t.id = b.team_id
             ${joinRole('br', 'b')}
            where b.organization_id = i.organization_id and (b.project_id is null or b.project_id = i.project_id)
              and ${bindingReaches('i.inviter_id', "m.status = 'active'")}), '[]') end as inviter_bindings
    from invitations i
    ${joinRole('ir', 'i')}
    left join memberships m on m.organization_id = i.organization_id and m.user_id = i.inviter_id
    ${joinRole('mr', 'm')}
    left join users u on u.id = i.inviter_id`;

/**
 * What the inviter holds now, as the decision sees it: their membership's role and (for a project
 * invitation) the roles reaching them on the organization and that project. Null when they could issue
 * nothing: no longer an active member with an active account.
 */
function inviterGrant(row: AuthorityRow): Grant | null {
  if (!row.inviter_role || row.inviter_membership !== 'active' || row.inviter_account !== 'active') return null;
  return {
    organizationId: row.organization_id,
    role: row.inviter_role,
    rolePermissions: rolePermissions(row.inviter_role, row.inviter_permissions),
    platformRole: 'user',
    apiKey: null,
    bindings: (row.inviter_bindings ?? []).map((b) => ({
      role: b.role,
      permissions: bindingPermissions(b.role, b.permissions),
      teamId: b.team_id,
      projectId: b.project_id,
    })),
  };
}

/**
 * An invitation is valid only while its inviter could still issue it: an active member who holds, by
 * `explain`, members:invite on the organization and every permission of the role it grants (an owner's,
 * for ownership). A project role is no organization role: it is held on that project, where what the
 * inviter holds there counts, as projects.addCollaborator decided when issuing.
 */
function inviterCouldIssue(row: AuthorityRow): boolean {
  const grant = inviterGrant(row);
  if (!grant) return false;
  if (row.role === 'owner' && row.inviter_role !== 'owner') return false;
  const projectId = row.project_id;
  if (projectId && !isProjectRole(row.role)) return false;
  const granted: readonly PermissionKey[] =
    projectId && isProjectRole(row.role) ? projectRoles[row.role] : rolePermissions(row.role, row.role_permissions);
  const holds = (p: PermissionKey, on: string | null) => explain(grant, p, row.organization_id, on).allowed;
  return holds('members:invite', null) && granted.every((p) => holds(p, projectId));
}

/**
 * Cancels the pending invitations (of an organization, or sent by one inviter, or both) that their
 * inviter could no longer send: run in the transaction that removes, demotes or deactivates someone,
 * or changes what a role grants.
 */
export async function cancelInvitationsBeyondAuthority(
  tx: EntityManager,
  actor: Actor,
  scope: { organizationId?: string; inviterId?: string },
): Promise<number> {
  const where = ["i.status = 'pending'"];
  const params: string[] = [];
  if (scope.organizationId) {
    where.push('i.organization_id = ?');
    params.push(scope.organizationId);
  }
  if (scope.inviterId) {
    where.push('i.inviter_id = ?');
    params.push(scope.inviterId);
  }
  const rows = await tx.execute<AuthorityRow[]>(`${AUTHORITY_SELECT} where ${where.join(' and ')}`, params);
  const void_ = rows.filter((r) => !inviterCouldIssue(r));
  if (void_.length === 0) return 0;
  await tx.execute(
    `update invitations set status = 'cancelled', updated_at = now()
      where id in (select jsonb_array_elements_text(?::jsonb))`,
    [JSON.stringify(void_.map((r) => r.id))],
  );
  for (const row of void_) {
    record(tx, actor, {
      organizationId: row.organization_id,
      action: 'invitation.cancelled',
      target: { type: 'invitation', id: row.id },
      changes: { status: { from: 'pending', to: 'cancelled' }, inviterAuthority: { from: true, to: false } },
    });
  }
  return void_.length;
}

/** Whether the invitation's inviter could still issue it (accepting re-checks their authority). */
export async function inviterStillAuthorized(tx: EntityManager, invitationId: string): Promise<boolean> {
  const [row] = await tx.execute<AuthorityRow[]>(`${AUTHORITY_SELECT} where i.id = ?`, [invitationId]);
  return row ? inviterCouldIssue(row) : false;
}
