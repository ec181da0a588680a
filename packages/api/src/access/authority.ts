import type { EntityManager } from '@mikro-orm/postgresql';
import { assertHolds, assertOutranks, type Rank, rolePermissions } from '../core/authorization.js';
import { AppError } from '../core/errors.js';
import type { Principal } from '../core/principal.js';
import type { Caller } from '../infra/caller.js';
import { type ResolvedRole, resolveRole } from './roles.js';
import { findServiceAccountRank } from './service-accounts.js';
import { bindingReaches, joinRole } from './sql.js';

/** A member of an organization as the rules about acting on members need them. */
export interface MemberTarget extends Rank {
  userId: string;
  email: string;
  name: string;
  membershipId: string;
  role: string;
  membershipStatus: 'active' | 'deactivated' | 'archived';
  accountStatus: 'active' | 'invited' | 'deactivated' | 'archived';
  /** The organization that manages the account (account-wide changes are its to make), or null. */
  managedBy: string | null;
  emailVerified: boolean;
}

/**
 * Locks the organization row until the transaction ends. Every change to who holds what in an
 * organization (membership, role, ownership, status, deletion) takes it first, so "at least one
 * owner", the hierarchy and the inviter's authority are decided on what is, not on what was.
 */
export async function lockOrganization(tx: EntityManager, organizationId: string): Promise<void> {
  const [row] = await tx.execute<{ id: string }[]>('select id from organizations where id = ? for update', [
    organizationId,
  ]);
  if (!row) throw new AppError('NOT_FOUND', 'Organization not found');
}

/** The organization roles a member's teams hold (everyone's included), as json, for a query over `m` (memberships). */
const TEAM_ROLES = `coalesce((select json_agg(json_build_object('role', b.role, 'permissions', br.permissions))
    from role_bindings b
    join teams t on t.id = b.team_id
    ${joinRole('br', 'b')}
   where b.organization_id = m.organization_id and b.project_id is null and ${bindingReaches('m.user_id', 'true')}),
  '[]')`;

/** The member `userId` of the organization with their rank, or null. */
export async function findMemberTarget(
  em: EntityManager,
  organizationId: string,
  userId: string,
): Promise<MemberTarget | null> {
  const [row] = await em.execute<
    {
      user_id: string;
      email: string;
      name: string;
      membership_id: string;
      role: string;
      membership_status: MemberTarget['membershipStatus'];
      account_status: MemberTarget['accountStatus'];
      managed_by: string | null;
      email_verified: boolean;
      permissions: string[] | null;
      team_roles: { role: string; permissions: string[] | null }[];
    }[]
  >(
    `select u.id as user_id, u.email, u.name, m.id as membership_id, m.role, m.status as membership_status,
            u.status as account_status, u.managed_by, u.email_verified, r.permissions, ${TEAM_ROLES} as team_roles
       from memberships m join users u on u.id = m.user_id
       ${joinRole('r', 'm')}
      where m.organization_id = ? and m.user_id = ?`,
    [organizationId, userId],
  );
  if (!row) return null;
  return {
    userId: row.user_id,
    email: row.email,
    name: row.name,
    membershipId: row.membership_id,
    role: row.role,
    // What they hold here, their teams' roles on the organization included: the hierarchy ranks all of it.
    permissions: [
      ...new Set([
        ...rolePermissions(row.role, row.permissions),
        ...row.team_roles.flatMap((t) => rolePermissions(t.role, t.permissions)),
      ]),
    ],
    membershipStatus: row.membership_status,
    accountStatus: row.account_status,
    managedBy: row.managed_by,
    emailVerified: row.email_verified,
  };
}

/**
 * The caller as they stand in the organization now: their role may have changed since their principal
 * was cached, e.g. by a concurrent demotion. Call it with the organization already locked in `tx`
 * (organizationSettings, or lockOrganization through lockActor and lockMemberTarget). A platform
 * admin acting with platform authority has no role there.
 */
export async function currentActor(tx: EntityManager, caller: Caller, organizationId: string): Promise<Principal> {
  const { principal } = caller;
  if (principal.asPlatform) return principal;
  if (principal.serviceAccount) {
    const account = await findServiceAccountRank(tx, organizationId, principal.serviceAccount.id);
    if (!account) throw new AppError('NOT_FOUND', 'Organization not found');
    return { ...principal, role: account.role, rolePermissions: account.permissions };
  }
  const me = await findMemberTarget(tx, organizationId, principal.userId);
  if (me?.membershipStatus !== 'active') throw new AppError('NOT_FOUND', 'Organization not found');
  return { ...principal, role: me.role, rolePermissions: [...me.permissions] };
}

/**
 * The one way a procedure acts on another member: locks the organization, finds the target among its
 * members (NOT_FOUND otherwise) and applies the hierarchy to the caller as they stand now. Acting on
 * oneself passes the hierarchy; whether a procedure allows it at all is its own rule.
 * Returns the target and the caller's current principal.
 */
export async function lockMemberTarget(
  tx: EntityManager,
  caller: Caller,
  organizationId: string,
  userId: string,
  verb: string,
): Promise<{ target: MemberTarget; actor: Principal }> {
  await lockOrganization(tx, organizationId);
  const target = await findMemberTarget(tx, organizationId, userId);
  if (!target) throw new AppError('NOT_FOUND', 'User not found');
  const actor = await currentActor(tx, caller, organizationId);
  if (userId !== caller.principal.userId) assertOutranks(actor, target, verb);
  return { target, actor };
}

/** The caller under the organization lock, for changes that grant rather than act on someone. */
export async function lockActor(tx: EntityManager, caller: Caller, organizationId: string): Promise<Principal> {
  await lockOrganization(tx, organizationId);
  return currentActor(tx, caller, organizationId);
}

export async function roleOrFail(tx: EntityManager, organizationId: string, key: string): Promise<ResolvedRole> {
  const role = await resolveRole(tx, organizationId, key);
  if (!role) throw new AppError('NOT_FOUND', `Role ${key} not found`);
  return role;
}

/**
 * Nobody grants more than they hold: the actor (as they stand now, see authority.ts) must hold every
 * permission of the role, and only an owner hands out ownership.
 */
export function assertMayGrant(actor: Principal, role: ResolvedRole, verb = 'grant'): void {
  if (role.key === 'owner' && actor.role !== 'owner') {
    throw new AppError('FORBIDDEN', `Only an owner can ${verb} an owner`);
  }
  assertHolds(actor, role.permissions, `${verb} role ${role.key}`);
}

/**
 * A member's status as the organization sees it: its membership's, or (for an account it manages) the
 * account's when that is not active. SQL over `m` (memberships) and `u` (users).
 */
export const MEMBER_STATUS = `case when m.status <> 'active' then m.status
  when u.managed_by = m.organization_id then u.status else 'active' end`;
