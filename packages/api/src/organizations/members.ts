import { Membership, newId, User } from '@gatehouse/db';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { findUserByEmail } from '../accounts/email.js';
import { peopleSearch } from '../accounts/search.js';
import { record } from '../audit.js';
import { assertHolds, effectivePermissions } from '../authorization.js';
import { withInvalidation } from '../cache/invalidation.js';
import { actorOf, type Caller } from '../caller.js';
import { AppError } from '../errors.js';
import { type ResolvedRole, resolveRole } from '../roles/resolve.js';
import { defaultSettings, type TMember, type TSettings } from './schema.js';

interface MemberRow {
  id: string;
  user_id: string;
  email: string;
  name: string;
  role: string;
  created_at: string;
  status: TMember['status'];
}

export async function listMembers(
  caller: Caller,
  input: { organizationId: string; role?: string; search?: string; limit: number; cursor?: string | undefined },
) {
  const { cursors } = caller.runtime;
  const scope = `members:${JSON.stringify([input.organizationId, input.role, input.search])}`;
  const after = input.cursor ? cursors.decode(scope, input.cursor) : null;
  const params: unknown[] = [input.organizationId];
  let where = 'm.organization_id = ?';
  if (input.role) {
    where += ' and m.role = ?';
    params.push(input.role);
  }
  if (input.search) {
    const search = peopleSearch(input.search);
    where += ` and ${search.sql}`;
    params.push(...search.params);
  }
  if (after) {
    where += ' and m.id < ?';
    params.push(after);
  }
  // Keyset on memberships (organization_id, id): the newest members first, no OFFSET.
  const rows = await caller.em.execute<MemberRow[]>(
    `select m.id, m.user_id, u.email, u.name, m.role, m.created_at, u.status
       from memberships m join users u on u.id = m.user_id
      where ${where} order by m.id desc limit ?`,
    [...params, input.limit + 1],
  );
  return cursors.page(scope, rows, input.limit, (r) => r.id, toMember);
}

function toMember(row: MemberRow): TMember {
  return {
    userId: row.user_id,
    email: row.email,
    name: row.name,
    role: row.role,
    isOwner: row.role === 'owner',
    joinedAt: new Date(row.created_at),
    status: row.status,
    // Project collaborators from outside and SSO identities arrive with their issues.
    external: false,
    source: 'password',
  };
}

/**
 * The organization's settings, defaults filled in. With `lock` (the default) the organization row is
 * locked until the transaction ends: owner and membership changes are serialised per organization,
 * so "at least one owner" holds under concurrency.
 */
export async function organizationSettings(
  em: EntityManager,
  organizationId: string,
  { lock = true } = {},
): Promise<TSettings> {
  const [row] = await em.execute<{ settings: Partial<TSettings> }[]>(
    `select settings from organizations where id = ?${lock ? ' for update' : ''}`,
    [organizationId],
  );
  if (!row) throw new AppError('NOT_FOUND', 'Organization not found');
  return { ...defaultSettings, ...row.settings };
}

/** With allowedEmailDomains set, only those domains (not their subdomains) may join. */
export function emailDomainAllowed(settings: TSettings, email: string): boolean {
  const allowed = settings.allowedEmailDomains;
  return allowed.length === 0 || allowed.includes(email.slice(email.lastIndexOf('@') + 1).toLowerCase());
}

export function assertDomainAllowed(settings: TSettings, email: string): void {
  if (!emailDomainAllowed(settings, email)) {
    const allowed = settings.allowedEmailDomains;
    throw new AppError(
      'EMAIL_DOMAIN_NOT_ALLOWED',
      `This organization accepts members from ${allowed.join(', ')} only`,
      {
        allowedEmailDomains: allowed,
      },
    );
  }
}

async function countOwners(tx: EntityManager, organizationId: string): Promise<number> {
  return tx.count(Membership, { organizationId, role: 'owner' });
}

async function findMember(tx: EntityManager, organizationId: string, userId: string): Promise<Membership> {
  const membership = await tx.findOne(Membership, { organizationId, userId });
  if (!membership) throw new AppError('NOT_FOUND', 'Member not found');
  return membership;
}

export async function roleOrFail(tx: EntityManager, organizationId: string, key: string): Promise<ResolvedRole> {
  const role = await resolveRole(tx, organizationId, key);
  if (!role) throw new AppError('NOT_FOUND', `Role ${key} not found`);
  return role;
}

/**
 * Nobody grants, or takes away, more than they hold: the caller must hold every permission of the
 * role, and only an owner hands out or touches ownership.
 */
export function assertMayHandle(caller: Caller, role: ResolvedRole, verb: string): void {
  if (role.key === 'owner' && caller.principal.role !== 'owner') {
    throw new AppError('FORBIDDEN', `Only an owner can ${verb} an owner`);
  }
  assertHolds(caller.principal, role.permissions, `${verb} role ${role.key}`);
}

/** Runs a membership change; the members' cached principals are evicted everywhere once it commits. */
const changeMembership = <T>(caller: Caller, userIds: string[], work: (tx: EntityManager) => Promise<T>) =>
  withInvalidation(
    caller,
    userIds.map((userId) => ({ userId })),
    work,
  );

export async function addMember(
  caller: Caller,
  input: { organizationId: string; userId?: string | undefined; email?: string | undefined; role?: string | undefined },
): Promise<TMember> {
  const { organizationId } = input;
  const user = input.userId
    ? await caller.em.findOne(User, input.userId)
    : await findUserByEmail(caller.em, input.email as string);
  if (!user) throw new AppError('NOT_FOUND', 'User not found; invite them by email instead');
  try {
    await changeMembership(caller, [user.id], async (tx) => {
      const settings = await organizationSettings(tx, organizationId);
      assertDomainAllowed(settings, user.email);
      const role = await roleOrFail(tx, organizationId, input.role ?? settings.defaultRole);
      assertMayHandle(caller, role, 'grant');
      if (await tx.findOne(Membership, { organizationId, userId: user.id })) {
        throw new AppError('CONFLICT', 'Already a member');
      }
      tx.create(Membership, { id: newId('mem'), organizationId, userId: user.id, role: role.key });
      if (!user.organizationId) await tx.nativeUpdate(User, { id: user.id }, { organizationId });
      record(tx, actorOf(caller), {
        organizationId,
        action: 'member.added',
        target: { type: 'user', id: user.id },
        changes: { role: { from: null, to: role.key } },
      });
    });
  } catch (error) {
    throw error instanceof UniqueConstraintViolationException ? new AppError('CONFLICT', 'Already a member') : error;
  }
  return memberOrFail(caller, organizationId, user.id);
}

async function memberOrFail(caller: Caller, organizationId: string, userId: string): Promise<TMember> {
  const [row] = await caller.em.execute<MemberRow[]>(
    `select m.id, m.user_id, u.email, u.name, m.role, m.created_at, u.status
       from memberships m join users u on u.id = m.user_id where m.organization_id = ? and m.user_id = ?`,
    [organizationId, userId],
  );
  if (!row) throw new AppError('NOT_FOUND', 'Member not found');
  return toMember(row);
}

/**
 * Users whose primary organization was `organizationId` (all of them, or just `userId`) fall back
 * to another organization of theirs, or to none.
 */
export async function dropPrimaryOrganization(tx: EntityManager, organizationId: string, userId?: string) {
  await tx.execute(
    `update users u set organization_id = (
       select m.organization_id from memberships m
        where m.user_id = u.id and m.organization_id <> ? order by m.id limit 1)
      where u.organization_id = ? ${userId ? 'and u.id = ?' : ''}`,
    [organizationId, organizationId, ...(userId ? [userId] : [])],
  );
}

/** Removes a member (or lets a member leave). Their keys for this organization stop working at once. */
export async function removeMember(caller: Caller, input: { organizationId: string; userId: string }): Promise<void> {
  const { organizationId, userId } = input;
  const self = userId === caller.principal.userId;
  if (!self && !effectivePermissions(caller.principal).includes('members:remove')) {
    throw new AppError('FORBIDDEN', 'Requires members:remove');
  }
  await changeMembership(caller, [userId], async (tx) => {
    await organizationSettings(tx, organizationId);
    const membership = await findMember(tx, organizationId, userId);
    if (!self) assertMayHandle(caller, await roleOrFail(tx, organizationId, membership.role), 'remove');
    if (membership.role === 'owner' && (await countOwners(tx, organizationId)) <= 1) {
      throw new AppError('LAST_OWNER', 'An organization keeps at least one owner; transfer ownership first');
    }
    await tx.nativeDelete(Membership, { id: membership.id });
    await dropPrimaryOrganization(tx, organizationId, userId);
    record(tx, actorOf(caller), {
      organizationId,
      action: 'member.removed',
      target: { type: 'user', id: userId },
      changes: { role: { from: membership.role, to: null } },
    });
  });
}

export async function updateMemberRole(
  caller: Caller,
  input: { organizationId: string; userId: string; role: string },
): Promise<TMember> {
  const { organizationId, userId } = input;
  if (userId === caller.principal.userId) {
    throw new AppError('FORBIDDEN', 'You cannot change your own role; an owner can transfer ownership');
  }
  await changeMembership(caller, [userId], async (tx) => {
    await organizationSettings(tx, organizationId);
    const membership = await findMember(tx, organizationId, userId);
    const from = await roleOrFail(tx, organizationId, membership.role);
    const to = await roleOrFail(tx, organizationId, input.role);
    if (from.key === to.key) return;
    assertMayHandle(caller, from, 'change');
    assertMayHandle(caller, to, 'grant');
    if (from.key === 'owner' && (await countOwners(tx, organizationId)) <= 1) {
      throw new AppError('LAST_OWNER', 'An organization keeps at least one owner');
    }
    membership.role = to.key;
    record(tx, actorOf(caller), {
      organizationId,
      action: 'member.role_changed',
      target: { type: 'user', id: userId },
      changes: { role: { from: from.key, to: to.key } },
    });
  });
  return memberOrFail(caller, organizationId, userId);
}

/** Makes a member owner and the calling owner an admin. */
export async function transferOwnership(
  caller: Caller,
  input: { organizationId: string; userId: string },
): Promise<TMember> {
  const { organizationId, userId } = input;
  if (caller.principal.role !== 'owner') throw new AppError('FORBIDDEN', 'Only an owner can transfer ownership');
  if (userId === caller.principal.userId) throw new AppError('BAD_REQUEST', 'You already own this organization');
  await changeMembership(caller, [userId, caller.principal.userId], async (tx) => {
    await organizationSettings(tx, organizationId);
    const target = await findMember(tx, organizationId, userId);
    const me = await findMember(tx, organizationId, caller.principal.userId);
    // Re-read under the lock: a concurrent change may have demoted the caller already.
    if (me.role !== 'owner') throw new AppError('FORBIDDEN', 'Only an owner can transfer ownership');
    record(tx, actorOf(caller), {
      organizationId,
      action: 'organization.ownership_transferred',
      target: { type: 'user', id: userId },
      changes: { owner: { from: caller.principal.userId, to: userId } },
    });
    target.role = 'owner';
    me.role = 'admin';
  });
  return memberOrFail(caller, organizationId, userId);
}

export async function listIdentities(
  caller: Caller,
  input: { organizationId: string; limit: number; cursor?: string | undefined },
) {
  const { cursors } = caller.runtime;
  const scope = `identities:${input.organizationId}`;
  const after = input.cursor ? cursors.decode(scope, input.cursor) : null;
  const rows = await caller.em.execute<
    { id: string; user_id: string; email: string; name: string; created_at: string }[]
  >(
    `select m.id, m.user_id, u.email, u.name, u.created_at
       from memberships m join users u on u.id = m.user_id
      where m.organization_id = ? ${after ? 'and m.id < ?' : ''} order by m.id desc limit ?`,
    [input.organizationId, ...(after ? [after] : []), input.limit + 1],
  );
  return cursors.page(
    scope,
    rows,
    input.limit,
    (r) => r.id,
    (r) => ({
      userId: r.user_id,
      email: r.email,
      name: r.name,
      // SSO identities arrive with single sign-on; today every identity is a Gatehouse password account.
      source: 'password',
      createdAt: new Date(r.created_at),
    }),
  );
}
