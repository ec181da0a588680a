import { Membership, newId, User } from '@gatehouse/db';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  assertMayGrant,
  currentActor,
  findMemberTarget,
  lockMemberTarget,
  MEMBER_STATUS,
  type MemberTarget,
  roleOrFail,
} from '../access/authority.js';
import { permissionsWithSources, userGrant } from '../access/explain.js';
import { cancelInvitationsBeyondAuthority } from '../access/inviters.js';
import { membershipOf } from '../access/membership.js';
import { normalizeEmail } from '../accounts/email.js';
import { asEmailTaken, insertUser } from '../accounts/insert-user.js';
import { searchMembers, searchPosition } from '../accounts/search.js';
import { assertPasswordAcceptable } from '../auth/password-policy.js';
import { hashPassword } from '../auth/passwords.js';
import { queueSetPasswordMail, sendResetEmail } from '../auth/service.js';
import { record } from '../core/audit.js';
import { randomString } from '../core/crypto.js';
import { AppError } from '../core/errors.js';
import { actorOf, assertSession, bySession, type Caller } from '../infra/caller.js';
import { preparedQuery } from '../infra/prepared.js';
import { transaction } from '../infra/transaction.js';
import { inviterOf, issueInvitation } from '../invitations/issue.js';
import { inviteBudget, takeAttempt } from '../limits/budgets.js';
import { mfaResetEmail } from '../mail/templates.js';
import { removeFactors } from '../mfa/factors.js';
import { removeMember, updateMemberRole } from '../organizations/members.js';
import { assertDomainAllowed, organizationSettings } from '../settings/service.js';
import { ensureEveryone } from '../teams/service.js';
import type { TCreateUserInput, TListUsersInput, TUpdateMeInput, TUpdateUserInput, TUser } from './schema.js';

interface UserRow {
  id: string;
  email: string;
  name: string;
  username: string | null;
  profile: TUser['profile'];
  platform_role: TUser['platformRole'];
  status: TUser['status'];
  managed_by: string | null;
  email_verified: boolean;
  avatar_url: string | null;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
  role: string | null;
  membership_id: string;
}

// The status is the membership's for an account the organization does not manage (MEMBER_STATUS).
const USER_COLUMNS = `u.id, u.email, u.name, u.username, u.profile, u.platform_role, ${MEMBER_STATUS} as status,
  u.managed_by, u.email_verified, u.avatar_url, u.last_login_at, u.created_at, u.updated_at, m.role,
  m.id as membership_id`;

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

/**
 * An organization sees of an account what its membership shows; the account itself, and the organization
 * that manages it, see the rest (when it last signed in, whether it is a platform admin).
 */
function toUser(row: UserRow, organization: { id: string; name: string } | null, viewer?: Caller): TUser {
  const date = (v: string | null) => (v ? new Date(v) : null);
  const full = !viewer || viewer.principal.userId === row.id || row.managed_by === organization?.id;
  return {
    id: row.id,
    email: row.email,
    emails: [row.email],
    name: row.name,
    username: row.username,
    profile: row.profile ?? {},
    role: row.role,
    roles: row.role ? [row.role] : [],
    platformRole: full ? row.platform_role : 'user',
    status: row.status,
    emailVerified: row.email_verified,
    managedBy: row.managed_by,
    organizationId: organization?.id ?? null,
    organization,
    avatarUrl: row.avatar_url,
    lastLoginAt: full ? date(row.last_login_at) : null,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

export async function me(caller: Caller): Promise<TUser> {
  const { organizationId, organizationName, userId } = caller.principal;
  const organization = organizationId && organizationName ? { id: organizationId, name: organizationName } : null;
  const [row] = await caller.em.execute<(UserRow & { account_status: TUser['status'] })[]>(
    `select ${USER_COLUMNS}, u.status as account_status from users u
       left join memberships m on m.user_id = u.id and m.organization_id = ? where u.id = ?`,
    [organizationId, userId],
  );
  if (!row) throw new AppError('UNAUTHORIZED', 'Unknown user');
  return toUser({ ...row, status: row.status ?? row.account_status }, organization);
}

export async function updateMe(caller: Caller, input: TUpdateMeInput): Promise<TUser> {
  const { userId } = caller.principal;
  if (input.organizationId && !(await membershipOf(caller.runtime, caller.em, userId, input.organizationId))) {
    throw new AppError('NOT_FOUND', 'Organization not found');
  }
  try {
    // Cached principals carry the name and the primary organization.
    await transaction(caller, async (tx, after) => {
      after.invalidate({ userId });
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
 * The people of the caller's organization, newest member first; with `search`, best match first: any
 * word of the name, or a prefix of the email or of a word of it (see searchMembers).
 */
export async function listUsers(caller: Caller, input: TListUsersInput) {
  const organization = organizationOf(caller);
  const { cursors } = caller.runtime;
  const scope = `users:${organization.id}:${JSON.stringify([input.search, input.active, input.archived])}`;
  const after = input.cursor ? cursors.decode(scope, input.cursor) : null;
  const params: unknown[] = [organization.id];
  let where = 'm.organization_id = ?';
  if (input.active !== undefined) where += ` and (${MEMBER_STATUS}) ${input.active ? '=' : '<>'} 'active'`;
  if (input.archived !== undefined) where += ` and (${MEMBER_STATUS}) ${input.archived ? '=' : '<>'} 'archived'`;
  const toItem = (r: UserRow) => toUser(r, organization, caller);
  if (input.search) {
    const rows = await searchMembers<UserRow>(caller.em, {
      organizationId: organization.id,
      search: input.search,
      columns: USER_COLUMNS,
      where,
      params,
      after,
      limit: input.limit,
    });
    return cursors.page(scope, rows, input.limit, searchPosition, toItem);
  }
  if (after) {
    where += ' and m.id < ?';
    params.push(after);
  }
  const rows = await preparedQuery<UserRow>(
    caller,
    `select ${USER_COLUMNS} from memberships m join users u on u.id = m.user_id
      where ${where} order by m.id desc limit ?`,
    [...params, input.limit + 1],
  );
  return cursors.page(scope, rows, input.limit, (r) => r.membership_id, toItem);
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
  return toUser(row, organization, caller);
}

/** A member of the caller's organization, by id or email; anyone else is NOT_FOUND. */
async function memberId(caller: Caller, ref: { userId?: string | undefined; email?: string | undefined }) {
  const organization = organizationOf(caller);
  const [row] = await caller.em.execute<{ id: string }[]>(
    `select u.id from users u join memberships m on m.user_id = u.id and m.organization_id = ?
      where ${ref.userId ? 'u.id = ?' : 'lower(u.email) = lower(?)'}`,
    [organization.id, ref.userId ?? normalizeEmail(ref.email as string)],
  );
  if (!row) throw new AppError('NOT_FOUND', 'User not found');
  return { userId: row.id, organization };
}

/** Account-wide changes (profile, password reset, account status, deletion) belong to the managing organization. */
const manages = (organizationId: string, target: MemberTarget) => target.managedBy === organizationId;

function assertManages(organizationId: string, target: MemberTarget, what: string): void {
  if (!manages(organizationId, target)) {
    throw new AppError(
      'ACCOUNT_NOT_MANAGED',
      `This account manages itself; your organization cannot ${what}. It can change the membership only.`,
    );
  }
}

/**
 * Deactivates, archives or reactivates a member. For an account the organization manages, the account
 * itself (it loses every credential at once, in every process); for any other, the membership: it
 * can no longer act in this organization, and nothing else about the account changes. Either way the
 * invitations the member sent lose their authority when they stop being active.
 */
export async function setUserStatus(
  caller: Caller,
  ref: { userId?: string | undefined; email?: string | undefined },
  status: 'active' | 'deactivated' | 'archived',
): Promise<TUser> {
  const { userId, organization } = await memberId(caller, ref);
  if (userId === caller.principal.userId) throw new AppError('FORBIDDEN', 'You cannot change your own status');
  const verb = status === 'active' ? 'activate' : status === 'archived' ? 'archive' : 'deactivate';
  await transaction(caller, async (tx, after) => {
    after.invalidate({ userId });
    const { target } = await lockMemberTarget(tx, caller, organization.id, userId, verb);
    const accountWide = manages(organization.id, target);
    const from = accountWide && target.accountStatus !== 'active' ? target.accountStatus : target.membershipStatus;
    if (from === status) return;
    if (accountWide) {
      // An invited account becomes active by claiming it (a password set through its invitation), not here.
      const account = status === 'active' && target.accountStatus === 'invited' ? 'invited' : status;
      await tx.nativeUpdate(User, { id: userId }, { status: account });
    }
    await tx.nativeUpdate(Membership, { id: target.membershipId }, { status: accountWide ? 'active' : status });
    record(tx, actorOf(caller), {
      organizationId: organization.id,
      action: `user.${status === 'active' ? 'activated' : status}`,
      target: { type: 'user', id: userId },
      changes: { status: { from, to: status }, scope: { from: null, to: accountWide ? 'account' : 'membership' } },
    });
    if (status === 'deactivated') after.emit(organization.id, 'user.deactivated', { userId });
    if (status !== 'active') {
      await cancelInvitationsBeyondAuthority(tx, actorOf(caller), {
        inviterId: userId,
        ...(accountWide ? {} : { organizationId: organization.id }),
      });
    }
  });
  return retrieveUser(caller, userId);
}

/**
 * Creates an account and its membership in the caller's organization. A person signed in may choose
 * its password or be shown a generated one; with a key or a service account's token the account gets
 * none, and its person is mailed a link to choose it (see bySession), or an invitation.
 */
export async function createUser(caller: Caller, input: TCreateUserInput) {
  const organization = organizationOf(caller);
  const email = normalizeEmail(input.email);
  if (input.password !== undefined) assertSession(caller, "choose another person's password");
  const mailsLink = !bySession(caller) && !input.sendInviteEmail;
  const generatedPassword = input.password || input.sendInviteEmail || mailsLink ? undefined : randomString(24);
  const password = input.password ?? generatedPassword;
  if (password) assertPasswordAcceptable(password, email);
  const passwordHash = password ? await hashPassword(password) : null;
  const user = await transaction(caller, async (tx, after) => {
    const settings = await organizationSettings(tx, organization.id);
    assertDomainAllowed(settings, email);
    const role = await roleOrFail(tx, organization.id, input.role ?? settings.defaultRole);
    assertMayGrant(await currentActor(tx, caller, organization.id), role);
    // Created by the organization, so managed by it; unverified until someone proves the address.
    const user = await insertUser(tx, {
      email,
      name: input.name,
      passwordHash,
      status: input.sendInviteEmail ? 'invited' : 'active',
      organizationId: organization.id,
      managedBy: organization.id,
    });
    tx.create(Membership, { id: newId('mem'), organizationId: organization.id, userId: user.id, role: role.key });
    record(tx, actorOf(caller), {
      organizationId: organization.id,
      action: 'user.created',
      target: { type: 'user', id: user.id },
      changes: { email: { from: null, to: email }, role: { from: null, to: role.key } },
    });
    after.emit(organization.id, 'user.created', { userId: user.id, email });
    after.emit(organization.id, 'organization.member_added', { userId: user.id, role: role.key });
    // Either mail goes out if and only if this commits, and counts against the organization's budget.
    if (input.sendInviteEmail || mailsLink) {
      await takeAttempt(tx, [inviteBudget(caller.runtime, organization.id)]);
    }
    if (mailsLink) {
      queueSetPasswordMail(tx, after, caller.runtime, user, {
        name: organization.name,
        ttlDays: settings.invitationTtlDays,
      });
    }
    // The account is claimed through an invitation.
    if (input.sendInviteEmail) {
      issueInvitation(tx, after, caller.runtime, {
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
  }).catch(asEmailTaken);
  const created = await retrieveUser(caller, user.id);
  return generatedPassword ? { ...created, generatedPassword } : created;
}

/**
 * Name and role. The name is the account's (the managing organization's to change); the role is the
 * membership's, through the same rules as organizations.updateMemberRole.
 */
export async function updateUser(caller: Caller, input: TUpdateUserInput): Promise<TUser> {
  const { userId, organization } = await memberId(caller, input);
  if (input.name !== undefined) {
    await transaction(caller, async (tx, after) => {
      after.invalidate({ userId });
      const { target } = await lockMemberTarget(tx, caller, organization.id, userId, 'update');
      if (input.name === target.name) return;
      if (userId !== caller.principal.userId) assertManages(organization.id, target, 'rename it');
      await tx.nativeUpdate(User, { id: userId }, { name: input.name });
      record(tx, actorOf(caller), {
        organizationId: organization.id,
        action: 'user.updated',
        target: { type: 'user', id: userId },
        changes: { name: { from: target.name, to: input.name } },
      });
    });
  }
  if (input.role !== undefined) {
    await updateMemberRole(caller, { organizationId: organization.id, userId, role: input.role });
  }
  return retrieveUser(caller, userId);
}

/**
 * For an account the organization manages, deletes it (its memberships, keys and sessions go with it);
 * refused while it owns an organization. For any other account, removes its membership here, as
 * organizations.removeMember does. The user's memberships are locked first, as ownership transfer
 * locks the membership it promotes, so a transfer cannot make the account an owner while it is deleted.
 */
export async function deleteUser(caller: Caller, userId: string): Promise<void> {
  const { organization } = await memberId(caller, { userId });
  if (userId === caller.principal.userId) throw new AppError('FORBIDDEN', 'You cannot delete yourself here');
  const found = await findMemberTarget(caller.em, organization.id, userId);
  // Which organization manages an account never changes (but to null, when it is deleted).
  if (found && !manages(organization.id, found)) {
    return removeMember(caller, { organizationId: organization.id, userId });
  }
  await transaction(caller, async (tx, after) => {
    after.invalidate({ userId });
    const { target } = await lockMemberTarget(tx, caller, organization.id, userId, 'delete');
    assertManages(organization.id, target, 'delete it');
    // Every membership, not only owned ones: a concurrent transfer holds the row it is promoting, and
    // this waits for it and then sees the promotion.
    const memberships = await tx.execute<{ role: string }[]>(
      'select role from memberships where user_id = ? order by id for update',
      [userId],
    );
    const owns = memberships.filter((m) => m.role === 'owner');
    if (owns.length) {
      // How many, not which: other organizations are none of this one's business.
      throw new AppError('HAS_DEPENDENCIES', 'The user owns organizations; ownership must be transferred first', {
        blockers: ['ownership'],
        ownedOrganizations: owns.length,
      });
    }
    await assertNoCollaboration(tx, userId);
    record(tx, actorOf(caller), {
      organizationId: organization.id,
      action: 'user.deleted',
      target: { type: 'user', id: userId },
      changes: { email: { from: target.email, to: null } },
    });
    // Invitations keep their inviter's id (no foreign key): the ones this user sent stop here.
    await cancelInvitationsBeyondAuthority(tx, actorOf(caller), { inviterId: userId });
    await tx.nativeDelete(User, { id: userId });
  });
}

/**
 * An account still working with others is not deleted under them (seed 003): it collaborates on a
 * project, or belongs to a team other than everyone. Counts only, as for ownership.
 */
async function assertNoCollaboration(tx: EntityManager, userId: string): Promise<void> {
  const [row] = await tx.execute<{ projects: number; teams: number }[]>(
    `select (select count(*) from role_bindings where user_id = ? and project_id is not null)::int as projects,
            (select count(*) from team_members where user_id = ?)::int as teams`,
    [userId, userId],
  );
  if (row && (row.projects > 0 || row.teams > 0)) {
    throw new AppError('HAS_DEPENDENCIES', 'The user collaborates on projects or belongs to teams; remove them first', {
      blockers: [...(row.projects ? ['projects'] : []), ...(row.teams ? ['teams'] : [])],
      projects: row.projects,
      teams: row.teams,
    });
  }
}

/** Emails a member of an account the organization manages a single-use password reset link. */
export async function resetUserPassword(caller: Caller, userId: string): Promise<void> {
  const { organization } = await memberId(caller, { userId });
  const user = await transaction(caller, async (tx) => {
    const { target } = await lockMemberTarget(tx, caller, organization.id, userId, 'reset the password of');
    if (userId !== caller.principal.userId) assertManages(organization.id, target, 'reset its password');
    record(tx, actorOf(caller), {
      organizationId: organization.id,
      action: 'user.password_reset_sent',
      target: { type: 'user', id: userId },
    });
    return tx.findOneOrFail(User, userId);
  });
  await sendResetEmail(caller, user);
}

/**
 * Removes a member's second factor (TOTP and recovery codes) for someone who lost it: only an account
 * the caller's organization manages (ACCOUNT_NOT_MANAGED otherwise: an account that manages itself
 * recovers with its recovery codes), only below the caller (OUTRANKED), never one's own (that is
 * auth.mfa.disable, with its step-up). Audited; the member is mailed. A password reset never does this.
 */
export async function resetUserMfa(caller: Caller, userId: string): Promise<void> {
  if (userId === caller.principal.userId) {
    throw new AppError('FORBIDDEN', 'Remove your own second factor with auth.mfa.disable');
  }
  const { organization } = await memberId(caller, { userId });
  await transaction(caller, async (tx, after) => {
    const { target } = await lockMemberTarget(tx, caller, organization.id, userId, 'reset the second factor of');
    assertManages(organization.id, target, 'reset its second factor');
    await removeFactors(tx, userId);
    // Every process forgets that the user had a factor (organizations requiring one ask them to enrol).
    after.invalidate({ userId });
    record(tx, actorOf(caller), {
      organizationId: organization.id,
      action: 'user.mfa_reset',
      target: { type: 'user', id: userId },
    });
    after.mail('mfa_reset', mfaResetEmail({ to: target.email, organizationName: organization.name }));
  });
}

/** Every permission the member holds in the caller's organization, each with the binding it comes from. */
export async function userPermissions(caller: Caller, userId: string) {
  const { organization } = await memberId(caller, { userId });
  const grant = await userGrant(caller.runtime, caller.em, organization.id, userId);
  return { items: permissionsWithSources(grant, organization.id) };
}

/** The member's teams: `everyone`, then the ones they were added to, with their role in each. */
export async function userTeams(caller: Caller, userId: string) {
  const { organization } = await memberId(caller, { userId });
  await ensureEveryone(caller.em, organization.id);
  const rows = await caller.em.execute<{ id: string; name: string; role: 'maintainer' | 'member' }[]>(
    `select t.id, t.name, coalesce(tm.role, 'member') as role
       from teams t left join team_members tm on tm.team_id = t.id and tm.user_id = ?
      where t.organization_id = ? and (t.is_everyone or tm.user_id is not null)
      order by t.is_everyone desc, t.id`,
    [userId, organization.id],
  );
  return { items: rows.map((r) => ({ team: { id: r.id, name: r.name }, role: r.role })) };
}

/** The resources the member holds a role on: the organization (their membership's role and teams'), and projects. */
export async function userResources(caller: Caller, userId: string) {
  const { organization } = await memberId(caller, { userId });
  const grant = await userGrant(caller.runtime, caller.em, organization.id, userId);
  const projectIds = [...new Set((grant.bindings ?? []).flatMap((b) => (b.projectId ? [b.projectId] : [])))];
  const names = new Map(
    (
      await caller.em.execute<{ id: string; name: string }[]>(
        'select id, name from projects where organization_id = ? and id in (select jsonb_array_elements_text(?::jsonb))',
        [organization.id, JSON.stringify(projectIds)],
      )
    ).map((p) => [p.id, p.name]),
  );
  const organizationRoles = [
    ...(grant.role ? [grant.role] : []),
    ...(grant.bindings ?? []).filter((b) => !b.projectId).map((b) => b.role),
  ];
  return {
    items: [
      ...[...new Set(organizationRoles)].map((role) => ({
        resource: { type: 'organization' as const, id: organization.id, name: organization.name },
        role,
      })),
      ...(grant.bindings ?? []).flatMap((b) =>
        b.projectId
          ? [
              {
                resource: { type: 'project' as const, id: b.projectId, name: names.get(b.projectId) ?? '' },
                role: b.role,
              },
            ]
          : [],
      ),
    ],
  };
}
