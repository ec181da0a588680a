import { Membership, newId, User } from '@gatehouse/db';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { findUserByEmail, normalizeEmail } from '../accounts/email.js';
import { asEmailTaken, insertUser } from '../accounts/insert-user.js';
import { peopleSearch } from '../accounts/search.js';
import { record } from '../audit.js';
import { assertPasswordAcceptable } from '../auth/password-policy.js';
import { hashPassword } from '../auth/passwords.js';
import { sendResetEmail } from '../auth/service.js';
import { withInvalidation } from '../cache/invalidation.js';
import { actorOf, type Caller } from '../caller.js';
import { randomString } from '../crypto.js';
import { AppError } from '../errors.js';
import { inviterOf, issueInvitation } from '../invitations/service.js';
import { membershipOf } from '../membership-view.js';
import {
  assertDomainAllowed,
  assertMayHandle,
  organizationSettings,
  roleOrFail,
  updateMemberRole,
} from '../organizations/members.js';
import { inviteBudget, takeAttempt } from '../rate-limit.js';
import type { TCreateUserInput, TListUsersInput, TUpdateMeInput, TUpdateUserInput, TUser } from './schema.js';

interface UserRow {
  id: string;
  email: string;
  name: string;
  username: string | null;
  profile: TUser['profile'];
  platform_role: TUser['platformRole'];
  status: TUser['status'];
  avatar_url: string | null;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
  role: string | null;
  membership_id: string;
}

const USER_COLUMNS = `u.id, u.email, u.name, u.username, u.profile, u.platform_role, u.status, u.avatar_url,
  u.last_login_at, u.created_at, u.updated_at, m.role, m.id as membership_id`;

/** The caller's organization: the users router acts there (contract), so one is required. */
export function organizationOf(caller: Caller): { id: string; name: string } {
  const { organizationId, organizationName } = caller.principal;
  if (!organizationId || !organizationName) {
    throw new AppError(
      'BAD_REQUEST',
      'Create or join an organization first, or name one with X-Gatehouse-Organization',
    );
  }
  return { id: organizationId, name: organizationName };
}

function toUser(row: UserRow, organization: { id: string; name: string } | null): TUser {
  const date = (v: string | null) => (v ? new Date(v) : null);
  return {
    id: row.id,
    email: row.email,
    emails: [row.email],
    name: row.name,
    username: row.username,
    profile: row.profile ?? {},
    role: row.role,
    roles: row.role ? [row.role] : [],
    platformRole: row.platform_role,
    status: row.status,
    organizationId: organization?.id ?? null,
    organization,
    avatarUrl: row.avatar_url,
    lastLoginAt: date(row.last_login_at),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

export async function me(caller: Caller): Promise<TUser> {
  const { organizationId, organizationName, userId } = caller.principal;
  const organization = organizationId && organizationName ? { id: organizationId, name: organizationName } : null;
  const [row] = await caller.em.execute<UserRow[]>(
    `select ${USER_COLUMNS} from users u
       left join memberships m on m.user_id = u.id and m.organization_id = ? where u.id = ?`,
    [organizationId, userId],
  );
  if (!row) throw new AppError('UNAUTHORIZED', 'Unknown user');
  return toUser(row, organization);
}

export async function updateMe(caller: Caller, input: TUpdateMeInput): Promise<TUser> {
  const { userId } = caller.principal;
  if (input.organizationId && !(await membershipOf(caller.runtime, caller.em, userId, input.organizationId))) {
    throw new AppError('NOT_FOUND', 'Organization not found');
  }
  try {
    // Cached principals carry the name and the primary organization.
    await withInvalidation(caller, [{ userId }], async (tx) => {
      const user = await tx.findOneOrFail(User, userId);
      if (input.name !== undefined) user.name = input.name;
      if (input.username !== undefined) user.username = input.username;
      if (input.avatarUrl !== undefined) user.avatarUrl = input.avatarUrl;
      if (input.organizationId !== undefined) user.organizationId = input.organizationId;
      if (input.profile !== undefined) user.profile = { ...user.profile, ...input.profile };
    });
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      throw new AppError('CONFLICT', 'This username is taken', { field: 'username' });
    }
    throw error;
  }
  return me(caller);
}

/**
 * The people of the caller's organization, newest member first. `search` is a case-insensitive
 * prefix of the email or the name, served by the lower(...) text_pattern_ops indexes.
 */
export async function listUsers(caller: Caller, input: TListUsersInput) {
  const organization = organizationOf(caller);
  const { cursors } = caller.runtime;
  const scope = `users:${organization.id}:${JSON.stringify([input.search, input.active, input.archived])}`;
  const params: unknown[] = [organization.id];
  let where = 'm.organization_id = ?';
  if (input.search) {
    const search = peopleSearch(input.search);
    where += ` and ${search.sql}`;
    params.push(...search.params);
  }
  if (input.active !== undefined) where += input.active ? ` and u.status = 'active'` : ` and u.status <> 'active'`;
  if (input.archived !== undefined)
    where += input.archived ? ` and u.status = 'archived'` : ` and u.status <> 'archived'`;
  if (input.cursor) {
    where += ' and m.id < ?';
    params.push(cursors.decode(scope, input.cursor));
  }
  const rows = await caller.em.execute<UserRow[]>(
    `select ${USER_COLUMNS} from memberships m join users u on u.id = m.user_id
      where ${where} order by m.id desc limit ?`,
    [...params, input.limit + 1],
  );
  return cursors.page(
    scope,
    rows,
    input.limit,
    (r) => r.membership_id,
    (r) => toUser(r, organization),
  );
}

/** A user of the caller's organization; anyone else is NOT_FOUND. */
export async function retrieveUser(caller: Caller, userId: string, em: EntityManager = caller.em): Promise<TUser> {
  const organization = organizationOf(caller);
  const [row] = await em.execute<UserRow[]>(
    `select ${USER_COLUMNS} from memberships m join users u on u.id = m.user_id
      where m.organization_id = ? and m.user_id = ?`,
    [organization.id, userId],
  );
  if (!row) throw new AppError('NOT_FOUND', 'User not found');
  return toUser(row, organization);
}

/**
 * What is deployment-wide about a user (status, name, the account itself) is one organization's to
 * change only when the user belongs to it alone; a platform admin may change anyone's.
 */
async function assertSoleOrganization(caller: Caller, organizationId: string, userId: string): Promise<void> {
  if (caller.principal.platformRole === 'admin') return;
  const elsewhere = await caller.em.count(Membership, { userId, organizationId: { $ne: organizationId } });
  if (elsewhere > 0) {
    throw new AppError('CONFLICT', 'This user also belongs to other organizations; remove them from yours instead', {
      otherOrganizations: elsewhere,
    });
  }
}

/** A member of the caller's organization, by id or email; anyone else is NOT_FOUND. */
async function memberUser(caller: Caller, ref: { userId?: string | undefined; email?: string | undefined }) {
  const organization = organizationOf(caller);
  const user = ref.userId
    ? await caller.em.findOne(User, ref.userId)
    : await findUserByEmail(caller.em, ref.email as string);
  if (!user || !(await caller.em.count(Membership, { organizationId: organization.id, userId: user.id }))) {
    throw new AppError('NOT_FOUND', 'User not found');
  }
  return { user, organization };
}

/**
 * Deactivates, archives or reactivates a user. The status is deployment-wide, so an organization
 * may only change it for someone who belongs to it alone; a platform admin may change anyone's.
 * Deactivated and archived users lose every credential at once, in every process.
 */
export async function setUserStatus(
  caller: Caller,
  ref: { userId?: string | undefined; email?: string | undefined },
  status: 'active' | 'deactivated' | 'archived',
): Promise<TUser> {
  const organization = organizationOf(caller);
  const target = ref.userId
    ? await caller.em.findOne(User, ref.userId)
    : await findUserByEmail(caller.em, ref.email as string);
  if (!target || !(await caller.em.count(Membership, { organizationId: organization.id, userId: target.id }))) {
    throw new AppError('NOT_FOUND', 'User not found');
  }
  if (target.id === caller.principal.userId) throw new AppError('FORBIDDEN', 'You cannot change your own status');
  if (caller.principal.platformRole !== 'admin') {
    const elsewhere = await caller.em.count(Membership, {
      userId: target.id,
      organizationId: { $ne: organization.id },
    });
    if (elsewhere > 0) {
      throw new AppError('CONFLICT', 'This user also belongs to other organizations; remove them from yours instead', {
        otherOrganizations: elsewhere,
      });
    }
  }
  if (target.status !== status) {
    await withInvalidation(caller, [{ userId: target.id }], async (tx) => {
      await tx.nativeUpdate(User, { id: target.id }, { status });
      record(tx, actorOf(caller), {
        organizationId: organization.id,
        action: `user.${status === 'active' ? 'activated' : status}`,
        target: { type: 'user', id: target.id },
        changes: { status: { from: target.status, to: status } },
      });
    });
  }
  return retrieveUser(caller, target.id);
}

/** Creates an account and its membership in the caller's organization. */
export async function createUser(caller: Caller, input: TCreateUserInput) {
  const organization = organizationOf(caller);
  const email = normalizeEmail(input.email);
  const generatedPassword = input.password || input.sendInviteEmail ? undefined : randomString(24);
  const password = input.password ?? generatedPassword;
  if (password) assertPasswordAcceptable(password, email);
  const passwordHash = password ? await hashPassword(password) : null;
  const user = await caller.em
    .transactional(async (tx) => {
      const settings = await organizationSettings(tx, organization.id);
      assertDomainAllowed(settings, email);
      const role = await roleOrFail(tx, organization.id, input.role ?? settings.defaultRole);
      assertMayHandle(caller, role, 'grant');
      const user = await insertUser(tx, {
        email,
        name: input.name,
        passwordHash,
        status: input.sendInviteEmail ? 'invited' : 'active',
        organizationId: organization.id,
      });
      tx.create(Membership, { id: newId('mem'), organizationId: organization.id, userId: user.id, role: role.key });
      record(tx, actorOf(caller), {
        organizationId: organization.id,
        action: 'user.created',
        target: { type: 'user', id: user.id },
        changes: { email: { from: null, to: email }, role: { from: null, to: role.key } },
      });
      // The account is claimed through an invitation, mailed if and only if this commits.
      if (input.sendInviteEmail) {
        await takeAttempt(tx, [inviteBudget(caller.runtime, organization.id)]);
        issueInvitation(tx, caller.runtime, {
          organizationId: organization.id,
          organizationName: organization.name,
          email,
          role: role.key,
          inviter: inviterOf(caller.principal),
          ttlDays: settings.invitationTtlDays,
          sendEmail: true,
        });
      }
      return user;
    })
    .catch(asEmailTaken);
  if (input.sendInviteEmail) caller.runtime.outbox.wake();
  const created = await retrieveUser(caller, user.id);
  return generatedPassword ? { ...created, generatedPassword } : created;
}

/** Name and role only; the role through the same rules as organizations.updateMemberRole. */
export async function updateUser(caller: Caller, input: TUpdateUserInput): Promise<TUser> {
  const { user, organization } = await memberUser(caller, input);
  if (input.name !== undefined && input.name !== user.name) {
    await assertSoleOrganization(caller, organization.id, user.id);
    await withInvalidation(caller, [{ userId: user.id }], async (tx) => {
      await tx.nativeUpdate(User, { id: user.id }, { name: input.name });
      record(tx, actorOf(caller), {
        organizationId: organization.id,
        action: 'user.updated',
        target: { type: 'user', id: user.id },
        changes: { name: { from: user.name, to: input.name } },
      });
    });
  }
  if (input.role !== undefined) {
    await updateMemberRole(caller, { organizationId: organization.id, userId: user.id, role: input.role });
  }
  return retrieveUser(caller, user.id);
}

/**
 * Deletes the account (its memberships, keys and sessions go with it). Refused while the user owns
 * an organization: ownership must be transferred first.
 */
export async function deleteUser(caller: Caller, userId: string): Promise<void> {
  const { user, organization } = await memberUser(caller, { userId });
  if (user.id === caller.principal.userId) throw new AppError('FORBIDDEN', 'You cannot delete yourself here');
  await assertSoleOrganization(caller, organization.id, user.id);
  const owned = await caller.em.find(Membership, { userId: user.id, role: 'owner' }, { fields: ['organizationId'] });
  if (owned.length) {
    // How many, not which: other organizations are none of this one's business.
    throw new AppError('HAS_DEPENDENCIES', 'The user owns organizations; ownership must be transferred first', {
      blockers: ['ownership'],
      ownedOrganizations: owned.length,
    });
  }
  await withInvalidation(caller, [{ userId: user.id }], async (tx) => {
    record(tx, actorOf(caller), {
      organizationId: organization.id,
      action: 'user.deleted',
      target: { type: 'user', id: user.id },
      changes: { email: { from: user.email, to: null } },
    });
    await tx.nativeDelete(User, { id: user.id });
  });
}

/** Emails a member a single-use password reset link. */
export async function resetUserPassword(caller: Caller, userId: string): Promise<void> {
  const { user, organization } = await memberUser(caller, { userId });
  await caller.em.transactional(async (tx) => {
    record(tx, actorOf(caller), {
      organizationId: organization.id,
      action: 'user.password_reset_sent',
      target: { type: 'user', id: user.id },
    });
  });
  await sendResetEmail(caller.em, caller.runtime, user);
}

/** Every permission the member holds in the caller's organization, each with where it comes from. */
export async function userPermissions(caller: Caller, userId: string) {
  const { organization } = await memberUser(caller, { userId });
  const membership = await membershipOf(caller.runtime, caller.em, userId, organization.id);
  const role = membership?.role ?? '';
  return {
    userId,
    organizationId: organization.id,
    permissions: (membership?.rolePermissions ?? []).map((permission) => ({
      permission,
      source: { type: 'role' as const, id: role, name: role },
    })),
  };
}
