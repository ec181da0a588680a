import { newId } from '@gatehouse/db';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { lockActor, lockMemberTarget } from '../access/authority.js';
import { assertHoldsTeamRoles, bindRole, unbindRole } from '../access/grants.js';
import { permissionMap } from '../access/reach.js';
import { changesOf, record } from '../core/audit.js';
import { AppError } from '../core/errors.js';
import { escapeLike } from '../core/schema.js';
import { actorOf, type Caller } from '../infra/caller.js';
import { transaction } from '../infra/transaction.js';
import type {
  TAddTeamMemberInput,
  TCreateTeamInput,
  TGrantRoleInput,
  TListTeamsInput,
  TRevokeRoleInput,
  TTeam,
  TTeamMember,
  TTeamRef,
  TUpdateTeamInput,
} from './schema.js';

const EVERYONE = 'everyone';

interface TeamRow {
  id: string;
  organization_id: string;
  name: string;
  description: string | null;
  is_everyone: boolean;
  member_count: number;
  roles: { role: string; projectId: string | null }[];
  created_at: string;
  updated_at: string;
}

// The everyone team's members are the organization's, derived, never stored.
const TEAM_SELECT = `select t.id, t.organization_id, t.name, t.description, t.is_everyone, t.created_at, t.updated_at,
    (case when t.is_everyone then (select count(*) from memberships m where m.organization_id = t.organization_id)
          else (select count(*) from team_members tm where tm.team_id = t.id) end)::int as member_count,
    coalesce((select json_agg(json_build_object('role', b.role, 'projectId', b.project_id) order by b.id)
                from role_bindings b where b.team_id = t.id), '[]') as roles
  from teams t`;

function toTeam(row: TeamRow): TTeam {
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    description: row.description,
    isEveryone: row.is_everyone,
    memberCount: row.member_count,
    roles: row.roles.map((r) => ({
      role: r.role,
      resource: r.projectId
        ? { type: 'project' as const, id: r.projectId }
        : { type: 'organization' as const, id: row.organization_id },
    })),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

/**
 * The organization's built-in everyone team, made the first time anyone asks (organizations made before
 * it were backfilled). Any conflict means it exists: parallel first askers collide on the partial
 * everyone index or on the (organization, name) one, whichever PostgreSQL checks first.
 */
export async function ensureEveryone(em: EntityManager, organizationId: string): Promise<void> {
  await em.execute(
    `insert into teams (id, organization_id, name, description, is_everyone, created_at, updated_at)
     values (?, ?, ?, 'Every member of the organization', true, now(), now())
     on conflict do nothing`,
    [newId('team'), organizationId, EVERYONE],
  );
}

async function findTeam(em: EntityManager, organizationId: string, teamId: string): Promise<TeamRow> {
  const [row] = await em.execute<TeamRow[]>(`${TEAM_SELECT} where t.id = ? and t.organization_id = ?`, [
    teamId,
    organizationId,
  ]);
  if (!row) throw new AppError('NOT_FOUND', 'Team not found');
  return row;
}

function assertNotEveryone(team: TeamRow, what: string): void {
  if (team.is_everyone) {
    throw new AppError('CONFLICT', `The everyone team ${what}: its membership follows the organization's`);
  }
}

function assertNameFree(name: string): void {
  if (name.toLowerCase() === EVERYONE) throw new AppError('CONFLICT', 'everyone is the built-in team');
}

const nameTaken = (error: unknown): never => {
  throw error instanceof UniqueConstraintViolationException
    ? new AppError('CONFLICT', 'A team with this name already exists')
    : error;
};

export async function createTeam(caller: Caller, input: TCreateTeamInput): Promise<TTeam> {
  const { organizationId } = input;
  assertNameFree(input.name);
  const id = newId('team');
  await transaction(caller, async (tx) => {
    await tx.execute(
      `insert into teams (id, organization_id, name, description, is_everyone, created_at, updated_at)
         values (?, ?, ?, ?, false, now(), now())`,
      [id, organizationId, input.name, input.description ?? null],
    );
    record(tx, actorOf(caller), {
      organizationId,
      action: 'team.created',
      target: { type: 'team', id },
      changes: { name: { from: null, to: input.name } },
    });
  }).catch(nameTaken);
  return findTeam(caller.em, organizationId, id).then(toTeam);
}

export async function listTeams(caller: Caller, input: TListTeamsInput) {
  const { cursors } = caller.runtime;
  const scope = `teams:${JSON.stringify([input.organizationId, input.search])}`;
  const after = input.cursor ? cursors.decode(scope, input.cursor) : null;
  await ensureEveryone(caller.em, input.organizationId);
  const params: unknown[] = [input.organizationId];
  let where = 't.organization_id = ?';
  if (input.search) {
    where += ` and t.name ilike ? escape '\\'`;
    params.push(`%${escapeLike(input.search)}%`);
  }
  if (after) {
    where += ' and t.id > ?';
    params.push(after);
  }
  const rows = await caller.em.execute<TeamRow[]>(`${TEAM_SELECT} where ${where} order by t.id limit ?`, [
    ...params,
    input.limit + 1,
  ]);
  return cursors.page(scope, rows, input.limit, (r) => r.id, toTeam);
}

export async function retrieveTeam(
  caller: Caller,
  input: TTeamRef & { expand?: 'permissions'[] | undefined },
): Promise<TTeam> {
  const team = toTeam(await findTeam(caller.em, input.organizationId, input.teamId));
  return input.expand?.includes('permissions') ? { ...team, permissions: permissionMap(caller.principal) } : team;
}

export async function updateTeam(caller: Caller, input: TUpdateTeamInput): Promise<TTeam> {
  const { organizationId, teamId } = input;
  await transaction(caller, async (tx) => {
    const team = await findTeam(tx, organizationId, teamId);
    const changes = changesOf(
      { name: team.name, description: team.description },
      { name: input.name, description: input.description },
    );
    if (changes.name) {
      assertNotEveryone(team, 'keeps its name');
      assertNameFree(input.name as string);
    }
    if (Object.keys(changes).length === 0) return;
    await tx.execute(
      'update teams set name = ?, description = ?, updated_at = now() where id = ? and organization_id = ?',
      [
        input.name ?? team.name,
        input.description !== undefined ? input.description : team.description,
        teamId,
        organizationId,
      ],
    );
    record(tx, actorOf(caller), {
      organizationId,
      action: 'team.updated',
      target: { type: 'team', id: teamId },
      changes,
    });
  }).catch(nameTaken);
  return findTeam(caller.em, organizationId, teamId).then(toTeam);
}

/** Deletes a team; its memberships and role bindings go in the same statement (on delete cascade). */
export async function deleteTeam(caller: Caller, input: TTeamRef): Promise<{ id: string; deleted: true }> {
  const { organizationId, teamId } = input;
  await transaction(caller, async (tx, after) => {
    after.invalidate({ organizationId });
    const actor = await lockActor(tx, caller, organizationId);
    const team = await findTeam(tx, organizationId, teamId);
    assertNotEveryone(team, 'cannot be deleted');
    await assertHoldsTeamRoles(tx, actor, teamId, 'delete this team');
    await tx.execute('delete from teams where id = ? and organization_id = ?', [teamId, organizationId]);
    record(tx, actorOf(caller), {
      organizationId,
      action: 'team.deleted',
      target: { type: 'team', id: teamId },
      changes: { name: { from: team.name, to: null }, roles: { from: team.roles, to: null } },
    });
  });
  return { id: teamId, deleted: true };
}

/**
 * Adds a member of the organization to a team (or changes their team role). Acting on a member follows
 * the hierarchy, and the actor must hold every role the team holds: joining grants them.
 */
export async function addTeamMember(caller: Caller, input: TAddTeamMemberInput): Promise<TTeamMember> {
  const { organizationId, teamId, userId, role } = input;
  await transaction(caller, async (tx, after) => {
    after.invalidate({ userId });
    const { target, actor } = await lockMemberTarget(tx, caller, organizationId, userId, 'add to a team');
    const team = await findTeam(tx, organizationId, teamId);
    assertNotEveryone(team, 'has every member already');
    await assertHoldsTeamRoles(tx, actor, teamId, 'add members to this team');
    const [before] = await tx.execute<{ role: string }[]>(
      'select role from team_members where team_id = ? and user_id = ? for update',
      [teamId, userId],
    );
    if (before?.role === role) return;
    await tx.execute(
      `insert into team_members (team_id, user_id, membership_id, organization_id, role, created_at, updated_at)
       values (?, ?, ?, ?, ?, now(), now())
       on conflict (team_id, user_id) do update set role = excluded.role, updated_at = now()`,
      [teamId, userId, target.membershipId, organizationId, role],
    );
    record(tx, actorOf(caller), {
      organizationId,
      action: before ? 'team.member_role_changed' : 'team.member_added',
      target: { type: 'user', id: userId },
      changes: { team: { from: null, to: teamId }, role: { from: before?.role ?? null, to: role } },
    });
  });
  const [member] = await teamMemberRows(caller.em, { organizationId, teamId, userId });
  if (!member) throw new AppError('NOT_FOUND', 'User not found');
  return toTeamMember(member);
}

/** Takes a member off a team (who may: teams/router.ts; a member may leave on their own). */
export async function removeTeamMember(caller: Caller, input: TTeamRef & { userId: string }): Promise<{ ok: true }> {
  const { organizationId, teamId, userId } = input;
  await transaction(caller, async (tx, after) => {
    after.invalidate({ userId });
    await lockMemberTarget(tx, caller, organizationId, userId, 'remove from a team');
    const team = await findTeam(tx, organizationId, teamId);
    assertNotEveryone(team, 'keeps every member');
    const removed = await tx.execute<{ role: string }[]>(
      'delete from team_members where team_id = ? and user_id = ? returning role',
      [teamId, userId],
    );
    if (removed.length === 0) throw new AppError('NOT_FOUND', 'Not a member of this team');
    record(tx, actorOf(caller), {
      organizationId,
      action: 'team.member_removed',
      target: { type: 'user', id: userId },
      changes: { team: { from: teamId, to: null } },
    });
  });
  return { ok: true };
}

interface TeamMemberRow {
  key: string;
  user_id: string;
  email: string;
  name: string;
  role: 'maintainer' | 'member';
  joined_at: string;
}

function teamMemberRows(
  em: EntityManager,
  q: { organizationId: string; teamId: string; userId?: string; after?: string | null; limit?: number },
) {
  return em.execute<TeamMemberRow[]>(
    `select * from (
       select m.user_id as key, m.user_id, u.email, u.name, 'member' as role, m.created_at as joined_at
         from teams t join memberships m on m.organization_id = t.organization_id join users u on u.id = m.user_id
        where t.is_everyone and t.id = ? and t.organization_id = ?
       union all
       select tm.user_id, tm.user_id, u.email, u.name, tm.role, tm.created_at
         from team_members tm join users u on u.id = tm.user_id
        where tm.team_id = ? and tm.organization_id = ?
     ) x where (?::text is null or x.user_id = ?) and (?::text is null or x.key > ?)
     order by x.key limit ?`,
    [
      q.teamId,
      q.organizationId,
      q.teamId,
      q.organizationId,
      q.userId ?? null,
      q.userId ?? null,
      q.after ?? null,
      q.after ?? null,
      q.limit ?? 1,
    ],
  );
}

const toTeamMember = (row: TeamMemberRow): TTeamMember => ({
  userId: row.user_id,
  email: row.email,
  name: row.name,
  role: row.role,
  joinedAt: new Date(row.joined_at),
});

export async function listTeamMembers(
  caller: Caller,
  input: TTeamRef & { limit: number; cursor?: string | undefined },
) {
  const { cursors } = caller.runtime;
  const scope = `team-members:${input.teamId}`;
  const after = input.cursor ? cursors.decode(scope, input.cursor) : null;
  await findTeam(caller.em, input.organizationId, input.teamId);
  const rows = await teamMemberRows(caller.em, { ...input, after, limit: input.limit + 1 });
  return cursors.page(scope, rows, input.limit, (r) => r.key, toTeamMember);
}

/** The team's members inherit `role` on the organization, or on the project. */
export async function grantTeamRole(caller: Caller, input: TGrantRoleInput): Promise<TTeam> {
  const { organizationId, teamId } = input;
  await transaction(caller, async (tx, after) => {
    after.invalidate({ organizationId });
    const actor = await lockActor(tx, caller, organizationId);
    await findTeam(tx, organizationId, teamId);
    if (input.projectId) await findProjectIn(tx, organizationId, input.projectId);
    await bindRole(tx, caller, actor, {
      organizationId,
      holder: { teamId },
      projectId: input.projectId ?? null,
      role: input.role,
    });
  });
  return findTeam(caller.em, organizationId, teamId).then(toTeam);
}

export async function revokeTeamRole(caller: Caller, input: TRevokeRoleInput): Promise<TTeam> {
  const { organizationId, teamId } = input;
  await transaction(caller, async (tx, after) => {
    after.invalidate({ organizationId });
    const actor = await lockActor(tx, caller, organizationId);
    await findTeam(tx, organizationId, teamId);
    await unbindRole(tx, caller, actor, { organizationId, holder: { teamId }, projectId: input.projectId ?? null });
  });
  return findTeam(caller.em, organizationId, teamId).then(toTeam);
}

/** A project of the organization (NOT_FOUND for another's). */
export async function findProjectIn(em: EntityManager, organizationId: string, projectId: string) {
  const [row] = await em.execute<{ id: string; name: string }[]>(
    'select id, name from projects where id = ? and organization_id = ?',
    [projectId, organizationId],
  );
  if (!row) throw new AppError('NOT_FOUND', 'Project not found');
  return row;
}
