import { newId } from '@gatehouse/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { bindRole, type Holder, unbindRole } from '../access/grants.js';
import { invitesOutsiders, permissionMap, readableProjects, readsMembers } from '../access/reach.js';
import { normalizeEmail } from '../accounts/email.js';
import { changesOf, record } from '../core/audit.js';
import { assertHolds } from '../core/authorization.js';
import { AppError } from '../core/errors.js';
import { projectRoles } from '../core/permissions.js';
import { actorOf, type Caller } from '../infra/caller.js';
import { type AfterCommit, transaction } from '../infra/transaction.js';
import { inviterOf, issueInvitation, pendingFor } from '../invitations/issue.js';
import { inviteBudget, takeAttempt } from '../limits/budgets.js';
import { organizationSettings } from '../settings/service.js';
import { findProjectIn } from '../teams/service.js';
import type {
  TAddCollaboratorInput,
  TCollaborator,
  TCreateProjectInput,
  TProject,
  TProjectRef,
  TRemoveCollaboratorInput,
  TUpdateProjectInput,
} from './schema.js';

interface ProjectRow {
  id: string;
  organization_id: string;
  name: string;
  description: string | null;
  created_at: string;
  updated_at: string;
}

const PROJECT_SELECT =
  'select p.id, p.organization_id, p.name, p.description, p.created_at, p.updated_at from projects p';

const toProject = (row: ProjectRow): TProject => ({
  id: row.id,
  organizationId: row.organization_id,
  name: row.name,
  description: row.description,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

async function findProject(em: EntityManager, organizationId: string, projectId: string): Promise<ProjectRow> {
  const [row] = await em.execute<ProjectRow[]>(`${PROJECT_SELECT} where p.id = ? and p.organization_id = ?`, [
    projectId,
    organizationId,
  ]);
  if (!row) throw new AppError('NOT_FOUND', 'Project not found');
  return row;
}

export async function createProject(caller: Caller, input: TCreateProjectInput): Promise<TProject> {
  const { organizationId } = input;
  const id = newId('prj');
  await transaction(caller, async (tx) => {
    await tx.execute(
      `insert into projects (id, organization_id, name, description, created_at, updated_at)
       values (?, ?, ?, ?, now(), now())`,
      [id, organizationId, input.name, input.description ?? null],
    );
    record(tx, actorOf(caller), {
      organizationId,
      action: 'project.created',
      target: { type: 'project', id },
      changes: { name: { from: null, to: input.name } },
    });
  });
  return toProject(await findProject(caller.em, organizationId, id));
}

/**
 * The projects the caller reaches: every one with projects:read on the organization, else (an
 * external collaborator, a member whose role reads no projects) those their bindings open.
 */
export async function listProjects(
  caller: Caller,
  input: { organizationId: string; limit: number; cursor?: string | undefined },
) {
  const { principal, runtime } = caller;
  const { organizationId } = input;
  const reachable = readableProjects(principal, organizationId);
  const scope = `projects:${organizationId}:${principal.userId}:${principal.apiKey?.id ?? ''}`;
  const after = input.cursor ? runtime.cursors.decode(scope, input.cursor) : null;
  const rows = await caller.em.execute<ProjectRow[]>(
    `${PROJECT_SELECT} where p.organization_id = ?
       and (?::jsonb is null or p.id in (select jsonb_array_elements_text(?::jsonb)))
       and (?::text is null or p.id > ?)
     order by p.id limit ?`,
    [
      organizationId,
      reachable && JSON.stringify(reachable),
      reachable && JSON.stringify(reachable),
      after,
      after,
      input.limit + 1,
    ],
  );
  return runtime.cursors.page(scope, rows, input.limit, (r) => r.id, toProject);
}

export async function retrieveProject(
  caller: Caller,
  input: TProjectRef & { expand?: 'permissions'[] | undefined },
): Promise<TProject> {
  const project = toProject(await findProject(caller.em, input.organizationId, input.projectId));
  return input.expand?.includes('permissions')
    ? { ...project, permissions: permissionMap(caller.principal, input.projectId) }
    : project;
}

export async function updateProject(caller: Caller, input: TUpdateProjectInput): Promise<TProject> {
  const { organizationId, projectId } = input;
  await transaction(caller, async (tx) => {
    const project = await findProject(tx, organizationId, projectId);
    const changes = changesOf(
      { name: project.name, description: project.description },
      { name: input.name, description: input.description },
    );
    if (Object.keys(changes).length === 0) return;
    await tx.execute(
      'update projects set name = ?, description = ?, updated_at = now() where id = ? and organization_id = ?',
      [
        input.name ?? project.name,
        input.description !== undefined ? input.description : project.description,
        projectId,
        organizationId,
      ],
    );
    record(tx, actorOf(caller), {
      organizationId,
      action: 'project.updated',
      target: { type: 'project', id: projectId },
      changes,
    });
  });
  return toProject(await findProject(caller.em, organizationId, projectId));
}

/** Deletes a project; every role binding on it goes in the same statement (on delete cascade). */
export async function deleteProject(caller: Caller, input: TProjectRef): Promise<{ id: string; deleted: true }> {
  const { organizationId, projectId } = input;
  await transaction(caller, async (tx, after) => {
    after.invalidate({ organizationId });
    const project = await findProject(tx, organizationId, projectId);
    await tx.execute('delete from projects where id = ? and organization_id = ?', [projectId, organizationId]);
    record(tx, actorOf(caller), {
      organizationId,
      action: 'project.deleted',
      target: { type: 'project', id: projectId },
      changes: { name: { from: project.name, to: null } },
    });
  });
  return { id: projectId, deleted: true };
}

/**
 * Who is named as a collaborator: a team of the organization, or a member of it (by id, or by a verified
 * email). Null for an email no member has: that person is invited (consent), see addCollaborator.
 */
async function holderFor(
  em: EntityManager,
  caller: Caller,
  input: {
    organizationId: string;
    projectId: string;
    userId?: string | undefined;
    email?: string | undefined;
    teamId?: string | undefined;
  },
): Promise<Holder | null> {
  const { organizationId } = input;
  if (input.teamId) {
    const [team] = await em.execute<{ id: string }[]>('select id from teams where id = ? and organization_id = ?', [
      input.teamId,
      organizationId,
    ]);
    if (!team) throw new AppError('NOT_FOUND', 'Team not found');
    return { teamId: team.id };
  }
  // Who cannot read the organization's members (an external collaborator) finds only the project's
  // own collaborators this way: anyone else answers as someone with no membership, so naming people
  // reveals nobody's membership.
  const readsMembersHere = readsMembers(caller.principal, organizationId);
  const [user] = await em.execute<{ id: string }[]>(
    `select u.id from users u join memberships m on m.user_id = u.id and m.organization_id = ?
      where ${input.userId ? 'u.id = ?' : 'lower(u.email) = lower(?) and u.email_verified'}
        and (?::boolean or exists (select 1 from role_bindings b
              where b.project_id = ? and b.user_id = u.id and b.organization_id = m.organization_id))`,
    [organizationId, input.userId ?? input.email, readsMembersHere, input.projectId],
  );
  if (user) return { userId: user.id };
  // An id the organization has no member by is none of its business (the same NOT_FOUND as another tenant's).
  if (input.userId) throw new AppError('NOT_FOUND', 'User not found');
  return null;
}

/**
 * Gives a user or team a role on the project; nobody grants more than they hold there. Someone outside
 * the organization, named by email, joins only by their own act: they get a project invitation (through
 * the organization's invitation mail and `invitations.accept`), and the result shows `status: 'invited'`
 * with no user id. Inviting outsiders takes members:invite on the organization, as its invitations do
 * (and as `invitations.accept` re-checks).
 */
export async function addCollaborator(caller: Caller, input: TAddCollaboratorInput): Promise<TCollaborator> {
  const { organizationId, projectId } = input;
  const outcome = await transaction(caller, async (tx, after) => {
    after.invalidate({ organizationId });
    const project = await findProjectIn(tx, organizationId, projectId);
    const found = await holderFor(tx, caller, input);
    if (found) {
      await bindRole(tx, caller, caller.principal, { organizationId, holder: found, projectId, role: input.role });
      return { holder: found };
    }
    const invitation = await inviteToProject(tx, after, caller, { ...input, email: input.email as string, project });
    return { invitation };
  });
  if (outcome.invitation) return outcome.invitation;
  const [row] = await collaboratorRows(caller.em, { projectId, holder: outcome.holder, limit: 1 });
  if (!row) throw new AppError('NOT_FOUND', 'Collaborator not found');
  return toCollaborator(row);
}

async function inviteToProject(
  tx: EntityManager,
  after: AfterCommit,
  caller: Caller,
  input: { organizationId: string; email: string; role: TCollaborator['role']; project: { id: string; name: string } },
): Promise<TCollaborator> {
  const { organizationId, project } = input;
  if (!invitesOutsiders(caller.principal, organizationId)) {
    throw new AppError('FORBIDDEN', 'Inviting someone from outside the organization requires members:invite on it');
  }
  assertHolds(caller.principal, [...projectRoles[input.role]], `grant role ${input.role}`, project.id);
  // Invitation mail from the organization, whatever it invites to: the budget its own invitations spend.
  await takeAttempt(tx, [inviteBudget(caller.runtime, organizationId)]);
  const email = normalizeEmail(input.email);
  const settings = await organizationSettings(tx, organizationId, { lock: false });
  const existing = await pendingFor(tx, organizationId, email, project.id);
  const { invitation } = issueInvitation(
    tx,
    after,
    caller.runtime,
    {
      organizationId,
      organizationName: `${caller.principal.organizationName ?? ''} · ${project.name}`,
      email,
      role: input.role,
      inviter: inviterOf(caller.principal),
      ttlDays: settings.invitationTtlDays,
      sendEmail: true,
      projectId: project.id,
    },
    existing ?? undefined,
  );
  record(tx, actorOf(caller), {
    organizationId,
    action: existing ? 'invitation.refreshed' : 'invitation.created',
    target: { type: 'invitation', id: invitation.id },
    changes: {
      email: { from: null, to: email },
      role: { from: null, to: input.role },
      project: { from: null, to: project.id },
    },
  });
  return {
    type: 'user',
    id: null,
    invitationId: invitation.id,
    status: 'invited',
    name: '',
    email,
    role: input.role,
    external: true,
    createdAt: invitation.createdAt ?? new Date(),
  };
}

export async function removeCollaborator(caller: Caller, input: TRemoveCollaboratorInput): Promise<{ ok: true }> {
  const { organizationId, projectId } = input;
  await transaction(caller, async (tx, after) => {
    after.invalidate({ organizationId });
    await findProjectIn(tx, organizationId, projectId);
    const holder: Holder = input.teamId ? { teamId: input.teamId } : { userId: input.userId as string };
    await unbindRole(tx, caller, caller.principal, { organizationId, holder, projectId });
  });
  return { ok: true };
}

interface CollaboratorRow {
  binding_id: string;
  type: 'user' | 'team';
  id: string;
  name: string;
  email: string | null;
  role: TCollaborator['role'];
  external: boolean;
  created_at: string;
}

function collaboratorRows(
  em: EntityManager,
  q: { projectId: string; holder?: Holder; after?: string | null; limit: number },
) {
  return em.execute<CollaboratorRow[]>(
    `select b.id as binding_id, case when b.team_id is null then 'user' else 'team' end as type,
            coalesce(b.team_id, b.user_id) as id, coalesce(t.name, u.name) as name, u.email, b.role, b.created_at,
            (b.user_id is not null and not exists (select 1 from memberships m
               where m.organization_id = b.organization_id and m.user_id = b.user_id)) as external
       from role_bindings b
       left join teams t on t.id = b.team_id
       left join users u on u.id = b.user_id
      where b.project_id = ?
        and (?::text is null or b.team_id = ?) and (?::text is null or b.user_id = ?)
        and (?::text is null or b.id > ?)
      order by b.id limit ?`,
    [
      q.projectId,
      q.holder?.teamId ?? null,
      q.holder?.teamId ?? null,
      q.holder?.userId ?? null,
      q.holder?.userId ?? null,
      q.after ?? null,
      q.after ?? null,
      q.limit,
    ],
  );
}

const toCollaborator = (row: CollaboratorRow): TCollaborator => ({
  type: row.type,
  id: row.id,
  invitationId: null,
  status: 'active',
  name: row.name,
  email: row.email,
  role: row.role,
  external: row.external,
  createdAt: new Date(row.created_at),
});

export async function listCollaborators(
  caller: Caller,
  input: TProjectRef & { limit: number; cursor?: string | undefined },
) {
  const { cursors } = caller.runtime;
  const scope = `collaborators:${input.projectId}`;
  const after = input.cursor ? cursors.decode(scope, input.cursor) : null;
  await findProject(caller.em, input.organizationId, input.projectId);
  const rows = await collaboratorRows(caller.em, { projectId: input.projectId, after, limit: input.limit + 1 });
  return cursors.page(scope, rows, input.limit, (r) => r.binding_id, toCollaborator);
}
