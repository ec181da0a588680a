import { Membership, newId, Organization, Role, ServiceAccount } from '@gatehouse/db';
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { cancelInvitationsBeyondAuthority } from '../access/inviters.js';
import { resolveRole } from '../access/roles.js';
import { changesOf, record } from '../core/audit.js';
import { assertHolds, rolePermissions } from '../core/authorization.js';
import { AppError } from '../core/errors.js';
import {
  type BuiltInRole,
  builtInRoles,
  knownPermissions,
  type PermissionKey,
  type ProjectRole,
  projectRoles,
} from '../core/permissions.js';
import { actorOf, type Caller } from '../infra/caller.js';
import { transaction } from '../infra/transaction.js';
import type {
  TCreateRoleInput,
  TCustomRole,
  TDeletedRole,
  TDeleteRoleInput,
  TRole,
  TUpdateRoleInput,
} from './schema.js';

const builtInDescriptions: Record<BuiltInRole, { name: string; description: string }> = {
  owner: { name: 'Owner', description: 'Full access, including deleting the organization' },
  admin: { name: 'Admin', description: 'Full access except deleting the organization' },
  member: { name: 'Member', description: 'Reads the organization and works on its projects' },
  viewer: { name: 'Viewer', description: 'Reads the organization' },
};

const projectRoleDescriptions: Record<ProjectRole, { name: string; description: string }> = {
  project_admin: { name: 'Project admin', description: 'Works on the project and manages its collaborators' },
  project_editor: { name: 'Project editor', description: 'Reads and changes the project' },
  project_viewer: { name: 'Project viewer', description: 'Reads the project' },
};

// `user` is the seed's spelling of member and is accepted as member wherever a role is given, so a
// custom role by that key could never be assigned.
const reservedKeys = new Set<string>([...Object.keys(builtInRoles), 'user']);

/** The organization the caller acts in (orgProcedure made it the input's); any other is NOT_FOUND. */
function assertActsIn(caller: Caller, organizationId: string): void {
  if (caller.principal.organizationId !== organizationId) throw new AppError('NOT_FOUND', 'Organization not found');
}

/** Catalogue order, so that equal sets compare (and read) the same. */
function normalize(permissions: readonly PermissionKey[]): PermissionKey[] {
  const set = new Set(permissions);
  return knownPermissions().filter((p) => set.has(p));
}

const sameSet = (a: readonly PermissionKey[], b: readonly PermissionKey[]) =>
  a.length === b.length && a.every((p) => b.includes(p));

function toRole(role: Role, memberCount: number): TCustomRole {
  return {
    id: role.id,
    key: role.key,
    name: role.name,
    description: role.description ?? null,
    permissions: rolePermissions(role.key, role.permissions),
    builtIn: false,
    scope: 'organization',
    memberCount,
  };
}

const countMembers = (em: EntityManager, organizationId: string, key: string) =>
  em.count(Membership, { organizationId, role: key });

async function findRole(tx: EntityManager, organizationId: string, roleId: string): Promise<Role> {
  // Locked: two edits of one role check the caller against what the other wrote, not a stale read.
  const role = await tx.findOne(Role, { id: roleId, organizationId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!role) throw new AppError('NOT_FOUND', 'Role not found');
  return role;
}

/** The organization's roles, built-in first, each with how many members hold it. */
export async function listRoles(
  caller: Caller,
  organizationId: string,
  scope: 'organization' | 'project' = 'organization',
): Promise<TRole[]> {
  assertActsIn(caller, organizationId);
  if (scope === 'project') {
    const held = await caller.em.execute<{ role: string; count: number }[]>(
      `select role, count(*)::int as count from role_bindings
        where organization_id = ? and project_id is not null group by role`,
      [organizationId],
    );
    const holders = new Map(held.map((h) => [h.role, h.count]));
    return (Object.keys(projectRoles) as ProjectRole[]).map((key) => ({
      id: null,
      key,
      ...projectRoleDescriptions[key],
      permissions: [...projectRoles[key]],
      builtIn: true,
      scope: 'project',
      // Collaborators and teams holding it on one of the organization's projects.
      memberCount: holders.get(key) ?? 0,
    }));
  }
  const custom = await caller.em.find(Role, { organizationId }, { orderBy: { key: 'asc' } });
  const counts = await caller.em.execute<{ role: string; count: number }[]>(
    'select role, count(*)::int as count from memberships where organization_id = ? group by role',
    [organizationId],
  );
  const membersOf = new Map(counts.map((c) => [c.role, c.count]));
  const builtIn = (Object.keys(builtInRoles) as BuiltInRole[]).map(
    (key): TRole => ({
      id: null,
      key,
      ...builtInDescriptions[key],
      permissions: rolePermissions(key),
      builtIn: true,
      scope: 'organization',
      memberCount: membersOf.get(key) ?? 0,
    }),
  );
  return [...builtIn, ...custom.map((role) => toRole(role, membersOf.get(role.key) ?? 0))];
}

export const MAX_CUSTOM_ROLES = 100;

export async function createRole(caller: Caller, input: TCreateRoleInput): Promise<TCustomRole> {
  const { organizationId, key } = input;
  assertActsIn(caller, organizationId);
  const permissions = normalize(input.permissions);
  assertHolds(caller.principal, permissions, 'grant these permissions');
  const taken = () => new AppError('CONFLICT', `A role with key ${key} already exists`);
  if (reservedKeys.has(key)) throw new AppError('CONFLICT', `${key} is a built-in role key`);
  return transaction(caller, async (tx) => {
    if (await tx.count(Role, { organizationId, key })) throw taken();
    // Bounded, so roles.list can stay one unpaged answer.
    if ((await tx.count(Role, { organizationId })) >= MAX_CUSTOM_ROLES) {
      throw new AppError('CONFLICT', `An organization has at most ${MAX_CUSTOM_ROLES} custom roles`);
    }
    const role = tx.create(Role, {
      id: newId('role'),
      organizationId,
      key,
      name: input.name,
      description: input.description ?? null,
      permissions,
    });
    record(tx, actorOf(caller), {
      organizationId,
      action: 'role.created',
      target: { type: 'role', id: role.id },
      changes: {
        key: { from: null, to: key },
        name: { from: null, to: role.name },
        ...(role.description ? { description: { from: null, to: role.description } } : {}),
        permissions: { from: null, to: permissions },
      },
    });
    return toRole(role, 0);
  }).catch((error: unknown) => {
    // Two creates racing for one key: the unique index decides, the loser hears the same answer.
    throw error instanceof UniqueConstraintViolationException ? taken() : error;
  });
}

/**
 * Renames, redescribes or changes what a role grants. Its members gain or lose permissions at once,
 * in every process: cached principals of the organization are evicted when the change commits.
 */
export async function updateRole(caller: Caller, input: TUpdateRoleInput): Promise<TCustomRole> {
  const { organizationId } = input;
  assertActsIn(caller, organizationId);
  return transaction(caller, async (tx, after) => {
    const role = await findRole(tx, organizationId, input.roleId);
    const before = rolePermissions(role.key, role.permissions);
    assertHolds(caller.principal, before, `edit role ${role.key}`);
    const granted = input.permissions && normalize(input.permissions);
    if (granted) assertHolds(caller.principal, granted, 'grant these permissions');
    const changes = changesOf(
      { permissions: before, name: role.name, description: role.description ?? null },
      {
        // A set: the same permissions in another order change nothing.
        permissions: granted && !sameSet(before, granted) ? granted : undefined,
        name: input.name,
        description: input.description,
      },
    );
    if (changes.permissions && granted) role.permissions = granted;
    if (input.name !== undefined) role.name = input.name;
    if (input.description !== undefined) role.description = input.description;
    if (Object.keys(changes).length > 0) {
      record(tx, actorOf(caller), {
        organizationId,
        action: 'role.updated',
        target: { type: 'role', id: role.id },
        changes,
      });
    }
    // A name or description is not part of any cached principal; permissions are.
    if (changes.permissions) {
      after.invalidate({ organizationId });
      // Its holders' pending invitations are worth only what they could still send.
      await tx.flush();
      await cancelInvitationsBeyondAuthority(tx, actorOf(caller), { organizationId });
    }
    return toRole(role, await countMembers(tx, organizationId, role.key));
  });
}

/** The key members of a deleted role move to; the caller must hold everything it grants. */
async function reassignmentTarget(
  tx: EntityManager,
  caller: Caller,
  organizationId: string,
  from: string,
  key: string,
): Promise<string> {
  if (key === 'owner') {
    throw new AppError('BAD_REQUEST', 'Members cannot be reassigned to owner; transfer ownership instead', {
      field: 'reassignTo',
    });
  }
  if (key === from) throw new AppError('BAD_REQUEST', 'reassignTo must be another role', { field: 'reassignTo' });
  const target = await resolveRole(tx, organizationId, key);
  if (!target) throw new AppError('NOT_FOUND', `Role ${key} not found`);
  assertHolds(caller.principal, target.permissions, `reassign members to ${key}`);
  return key;
}

/**
 * Deletes a custom role. While members hold it (or it is the organization's default role for new
 * members) it is refused unless `reassignTo` names where they go; they move in the same transaction.
 */
export async function deleteRole(caller: Caller, input: TDeleteRoleInput): Promise<TDeletedRole> {
  const { organizationId } = input;
  assertActsIn(caller, organizationId);
  return transaction(caller, async (tx, after): Promise<TDeletedRole> => {
    // Membership changes lock the organization first too: nobody is given this role while it goes.
    const organization = await tx.findOne(Organization, organizationId, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!organization) throw new AppError('NOT_FOUND', 'Organization not found');
    const role = await findRole(tx, organizationId, input.roleId);
    const permissions = rolePermissions(role.key, role.permissions);
    assertHolds(caller.principal, permissions, `delete role ${role.key}`);
    const target =
      input.reassignTo === undefined
        ? null
        : await reassignmentTarget(tx, caller, organizationId, role.key, input.reassignTo);
    const members = await countMembers(tx, organizationId, role.key);
    // Service accounts hold roles like members: a role they hold is not deleted from under them either
    // (a later role of the same key would silently become theirs).
    const accounts = await tx.count(ServiceAccount, { organizationId, role: role.key });
    const isDefault = organization.settings.defaultRole === role.key;
    const actor = actorOf(caller);
    // Teams holding it on the organization too (their members inherit it).
    const [bound] = await tx.execute<{ teams: number }[]>(
      'select count(*)::int as teams from role_bindings where organization_id = ? and role = ? and project_id is null',
      [organizationId, role.key],
    );
    const teams = bound?.teams ?? 0;
    if (!target && (members > 0 || accounts > 0 || teams > 0 || isDefault)) {
      throw new AppError(
        'HAS_DEPENDENCIES',
        `Role ${role.key} is ${isDefault ? "the organization's default role" : `held by ${members} member(s), ${accounts} service account(s) and ${teams} team(s)`}; give reassignTo to move them`,
        { members, serviceAccounts: accounts, teams, ...(isDefault ? { defaultRole: true } : {}) },
      );
    }
    if (target && teams > 0) {
      const movedTeams = await tx.execute<{ team_id: string }[]>(
        `update role_bindings set role = ?, updated_at = now()
          where organization_id = ? and role = ? and project_id is null returning team_id`,
        [target, organizationId, role.key],
      );
      for (const { team_id } of movedTeams) {
        record(tx, actor, {
          organizationId,
          action: 'role_binding.granted',
          target: { type: 'team', id: team_id },
          changes: { role: { from: role.key, to: target } },
        });
      }
      after.invalidate({ organizationId });
    }
    let moved: { user_id: string }[] = [];
    if (target && accounts > 0) {
      const movedAccounts = await tx.execute<{ id: string }[]>(
        `update service_accounts set role = ?, updated_at = now() where organization_id = ? and role = ? returning id`,
        [target, organizationId, role.key],
      );
      for (const { id } of movedAccounts) {
        record(tx, actor, {
          organizationId,
          action: 'service_account.updated',
          target: { type: 'serviceAccount', id },
          changes: { role: { from: role.key, to: target } },
        });
      }
      after.invalidate({ organizationId });
    }
    if (target) {
      moved = await tx.execute<{ user_id: string }[]>(
        `update memberships set role = ?, updated_at = now()
          where organization_id = ? and role = ? returning user_id`,
        [target, organizationId, role.key],
      );
      for (const { user_id } of moved) {
        record(tx, actor, {
          organizationId,
          action: 'member.role_changed',
          target: { type: 'user', id: user_id },
          changes: { role: { from: role.key, to: target } },
        });
        after.emit(organizationId, 'organization.member_role_changed', { userId: user_id, from: role.key, to: target });
      }
      if (isDefault) {
        organization.settings = { ...organization.settings, defaultRole: target };
        record(tx, actor, {
          organizationId,
          action: 'organization.updated',
          target: { type: 'organization', id: organizationId },
          changes: { 'settings.defaultRole': { from: role.key, to: target } },
        });
      }
    }
    record(tx, actor, {
      organizationId,
      action: 'role.deleted',
      target: { type: 'role', id: role.id },
      changes: {
        key: { from: role.key, to: null },
        name: { from: role.name, to: null },
        permissions: { from: permissions, to: null },
      },
    });
    tx.remove(role);
    if (moved.length > 0) {
      after.invalidate({ organizationId });
      await cancelInvitationsBeyondAuthority(tx, actor, { organizationId });
    }
    return { id: role.id, deleted: true, reassignedTo: target, reassignedMembers: moved.length };
  });
}
