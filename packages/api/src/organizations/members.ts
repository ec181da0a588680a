import { Membership, newId, User } from '@gatehouse/db';
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { assertMayGrant, currentActor, lockMemberTarget, MEMBER_STATUS, roleOrFail } from '../access/authority.js';
import { MEMBERS_AND_EXTERNALS } from '../access/externals.js';
import { cancelInvitationsBeyondAuthority } from '../access/inviters.js';
import { hasFactorSql } from '../access/sql.js';
import { assertSteppedUp } from '../access/step-up.js';
import { findUserByEmail } from '../accounts/email.js';
import { searchMembers, searchPosition } from '../accounts/search.js';
import { record } from '../core/audit.js';
import { assertHolds } from '../core/authorization.js';
import { AppError } from '../core/errors.js';
import { builtInRoles } from '../core/permissions.js';
import { actorOf, type Caller } from '../infra/caller.js';
import { preparedQuery } from '../infra/prepared.js';
import { transaction } from '../infra/transaction.js';
import { invite } from '../invitations/issue.js';
import { assertDomainAllowed, organizationSettings } from '../settings/service.js';
import type { TAddedMember, TMember } from './schema.js';

interface MemberRow {
  id: string;
  user_id: string;
  email: string;
  name: string;
  role: string;
  created_at: string;
  status: TMember['status'];
  external: boolean;
  mfa_enabled: boolean;
}

const MEMBER_COLUMNS = `m.id, m.user_id, u.email, u.name, m.role, m.created_at, ${MEMBER_STATUS} as status,
  ${hasFactorSql('m.user_id')} as mfa_enabled`;

/**
 * A page of the organization's members: newest first, or, with `search`, best match first (see
 * searchMembers).
 */
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
    const rows = await searchMembers<MemberRow>(caller.em, {
      organizationId: input.organizationId,
      search: input.search,
      // Search finds members only: external collaborators have no search terms (they are listed unfiltered).
      columns: `${MEMBER_COLUMNS}, false as external`,
      where,
      params,
      after,
      limit: input.limit,
    });
    return cursors.page(scope, rows, input.limit, searchPosition, toMember);
  }
  if (after) {
    where += ' and m.id < ?';
    params.push(after);
  }
  // Keyset on memberships (organization_id, id): the newest members first, no OFFSET.
  const rows = await preparedQuery<MemberRow>(
    caller,
    `select ${MEMBER_COLUMNS}, m.external from ${MEMBERS_AND_EXTERNALS} m join users u on u.id = m.user_id
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
    // A project collaborator who is no member (teams and projects, issue 15). SSO identities arrive with their issue.
    external: row.external,
    source: 'password',
    // A confirmed second factor (what an organization with settings.enforceMfa asks of its members).
    mfaEnabled: row.mfa_enabled,
  };
}

async function countOwners(tx: EntityManager, organizationId: string): Promise<number> {
  return tx.count(Membership, { organizationId, role: 'owner' });
}

/**
 * A membership, locked: transferOwnership (owner-only, so the hierarchy has nothing to add) locks the
 * one it promotes, as users.delete locks a user's memberships, so neither decides on a stale row.
 */
async function findMember(tx: EntityManager, organizationId: string, userId: string): Promise<Membership> {
  const membership = await tx.findOne(Membership, { organizationId, userId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!membership) throw new AppError('NOT_FOUND', 'Member not found');
  return membership;
}

/**
 * Adds an account this organization manages (users.create, preRegister, or an invitation it issued
 * to someone without an account) directly. Anyone else joins only by their own act: given an email,
 * an invitation is sent instead and the result says `invited`, revealing no id or profile; given the
 * id of an account the organization does not manage, NOT_FOUND (it has no business knowing it).
 */
export async function addMember(
  caller: Caller,
  input: { organizationId: string; userId?: string | undefined; email?: string | undefined; role?: string | undefined },
): Promise<TAddedMember> {
  const { organizationId } = input;
  const user = input.userId
    ? await caller.em.findOne(User, input.userId)
    : await findUserByEmail(caller.em, input.email as string);
  if (user?.managedBy !== organizationId) {
    if (!input.email) throw new AppError('NOT_FOUND', 'User not found; invite them by email instead');
    const invitation = await invite(caller, { organizationId, email: input.email, role: input.role });
    return {
      userId: null,
      invitationId: invitation.id,
      email: invitation.email,
      name: '',
      role: invitation.role,
      isOwner: false,
      joinedAt: invitation.createdAt,
      status: 'invited',
      external: false,
      source: 'invitation',
      mfaEnabled: false,
    };
  }
  try {
    await transaction(caller, async (tx, after) => {
      after.invalidate({ userId: user.id });
      const settings = await organizationSettings(tx, organizationId);
      assertDomainAllowed(settings, user.email);
      const role = await roleOrFail(tx, organizationId, input.role ?? settings.defaultRole);
      assertMayGrant(await currentActor(tx, caller, organizationId), role);
      if (await tx.findOne(Membership, { organizationId, userId: user.id })) {
        throw new AppError('ALREADY_MEMBER', 'Already a member');
      }
      tx.create(Membership, { id: newId('mem'), organizationId, userId: user.id, role: role.key });
      if (!user.organizationId) await tx.nativeUpdate(User, { id: user.id }, { organizationId });
      record(tx, actorOf(caller), {
        organizationId,
        action: 'member.added',
        target: { type: 'user', id: user.id },
        changes: { role: { from: null, to: role.key } },
      });
      after.emit(organizationId, 'organization.member_added', { userId: user.id, role: role.key });
    });
  } catch (error) {
    throw error instanceof UniqueConstraintViolationException
      ? new AppError('ALREADY_MEMBER', 'Already a member')
      : error;
  }
  return { ...(await memberOrFail(caller, organizationId, user.id)), invitationId: null };
}

async function memberOrFail(caller: Caller, organizationId: string, userId: string): Promise<TMember> {
  const [row] = await caller.em.execute<MemberRow[]>(
    `select ${MEMBER_COLUMNS}, m.external from ${MEMBERS_AND_EXTERNALS} m join users u on u.id = m.user_id
      where m.organization_id = ? and m.user_id = ?`,
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

/**
 * Removes a member (or lets a member leave). Their keys for this organization stop working at once,
 * and the invitations they sent that are still pending are cancelled: their authority ended.
 */
export async function removeMember(caller: Caller, input: { organizationId: string; userId: string }): Promise<void> {
  const { organizationId, userId } = input;
  await transaction(caller, async (tx, after) => {
    after.invalidate({ userId });
    const { target } = await lockMemberTarget(tx, caller, organizationId, userId, 'remove');
    if (target.role === 'owner' && (await countOwners(tx, organizationId)) <= 1) {
      throw new AppError('LAST_OWNER', 'An organization keeps at least one owner; transfer ownership first');
    }
    await tx.nativeDelete(Membership, { id: target.membershipId });
    await dropPrimaryOrganization(tx, organizationId, userId);
    record(tx, actorOf(caller), {
      organizationId,
      action: 'member.removed',
      target: { type: 'user', id: userId },
      changes: { role: { from: target.role, to: null } },
    });
    after.emit(organizationId, 'organization.member_removed', { userId, role: target.role });
    await cancelInvitationsBeyondAuthority(tx, actorOf(caller), { organizationId, inviterId: userId });
  });
}

/**
 * Changes a member's role: the caller must outrank them (authority.ts) and hold the new role. Invitations
 * the member sent that their new role could not send are cancelled in the same transaction.
 */
export async function updateMemberRole(
  caller: Caller,
  input: { organizationId: string; userId: string; role: string },
): Promise<TMember> {
  const { organizationId, userId } = input;
  if (userId === caller.principal.userId) {
    throw new AppError('FORBIDDEN', 'You cannot change your own role; an owner can transfer ownership');
  }
  await transaction(caller, async (tx, after) => {
    after.invalidate({ userId });
    const { target, actor } = await lockMemberTarget(tx, caller, organizationId, userId, 'change the role of');
    const to = await roleOrFail(tx, organizationId, input.role);
    if (target.role === to.key) return;
    assertMayGrant(actor, to);
    if (target.role === 'owner' && (await countOwners(tx, organizationId)) <= 1) {
      throw new AppError('LAST_OWNER', 'An organization keeps at least one owner');
    }
    await tx.nativeUpdate(Membership, { id: target.membershipId }, { role: to.key });
    record(tx, actorOf(caller), {
      organizationId,
      action: 'member.role_changed',
      target: { type: 'user', id: userId },
      changes: { role: { from: target.role, to: to.key } },
    });
    after.emit(organizationId, 'organization.member_role_changed', { userId, from: target.role, to: to.key });
    await cancelInvitationsBeyondAuthority(tx, actorOf(caller), { organizationId, inviterId: userId });
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
  // Handing the organization away: an owner with a second factor proves it afresh first.
  await assertSteppedUp(caller);
  await transaction(caller, async (tx, after) => {
    after.invalidate({ userId });
    after.invalidate({ userId: caller.principal.userId });
    await organizationSettings(tx, organizationId);
    const target = await findMember(tx, organizationId, userId);
    // Handing out ownership grants everything an owner holds: a scoped key of an owner holds less.
    assertHolds(caller.principal, builtInRoles.owner, 'transfer ownership');
    const me = await findMember(tx, organizationId, caller.principal.userId);
    // Re-read under the lock: a concurrent change may have demoted the caller already.
    if (me.role !== 'owner') throw new AppError('FORBIDDEN', 'Only an owner can transfer ownership');
    record(tx, actorOf(caller), {
      organizationId,
      action: 'organization.ownership_transferred',
      target: { type: 'user', id: userId },
      changes: { owner: { from: caller.principal.userId, to: userId } },
    });
    after.emit(organizationId, 'organization.member_role_changed', { userId, from: target.role, to: 'owner' });
    after.emit(organizationId, 'organization.member_role_changed', {
      userId: caller.principal.userId,
      from: 'owner',
      to: 'admin',
    });
    target.role = 'owner';
    me.role = 'admin';
    await tx.flush();
    // An admin no longer sends owner invitations.
    await cancelInvitationsBeyondAuthority(tx, actorOf(caller), { organizationId, inviterId: caller.principal.userId });
  });
  return memberOrFail(caller, organizationId, userId);
}

/**
 * Everyone who can act in the organization: its members and its service accounts, as
 * `{ id, type, name, email? }`, keyset-paged by id across both.
 */
export async function listIdentities(
  caller: Caller,
  input: { organizationId: string; limit: number; cursor?: string | undefined },
) {
  const { cursors } = caller.runtime;
  const scope = `identities:${input.organizationId}`;
  const after = input.cursor ? cursors.decode(scope, input.cursor) : null;
  const page = (column: string) => (after ? `and ${column} < ?` : '');
  const rows = await caller.em.execute<
    { id: string; type: 'user' | 'serviceAccount'; name: string; email: string | null }[]
  >(
    `select * from (
       (select u.id, 'user' as type, u.name, u.email
          from memberships m join users u on u.id = m.user_id
         where m.organization_id = ? ${page('m.user_id')} order by m.user_id desc limit ?)
       union all
       (select sa.id, 'serviceAccount' as type, sa.name, null as email
          from service_accounts sa
         where sa.organization_id = ? ${page('sa.id')} order by sa.id desc limit ?)
     ) identities order by id desc limit ?`,
    [
      input.organizationId,
      ...(after ? [after] : []),
      input.limit + 1,
      input.organizationId,
      ...(after ? [after] : []),
      input.limit + 1,
      input.limit + 1,
    ],
  );
  return cursors.page(
    scope,
    rows,
    input.limit,
    (r) => r.id,
    (r) => ({ id: r.id, type: r.type, name: r.name, ...(r.email !== null ? { email: r.email } : {}) }),
  );
}
