import type { EntityManager } from '@mikro-orm/postgresql';
import { rolePermissions } from '../core/authorization.js';
import { AppError } from '../core/errors.js';
import type { PermissionKey } from '../core/permissions.js';
import type { Principal } from '../core/principal.js';
import type { Runtime } from '../infra/caller.js';
import { joinRole } from './sql.js';

export interface MembershipView {
  role: string;
  rolePermissions: PermissionKey[];
  organizationName: string;
  barred: Principal['barred'];
  /** The organization requires its members' sessions to have a second factor (settings.enforceMfa). */
  enforceMfa: boolean;
}

/** Why a member may not act in an organization at all, from the organization's and the membership's status. */
export const barredBy = (organizationStatus: string, membershipStatus: string): Principal['barred'] =>
  organizationStatus === 'suspended'
    ? 'ORGANIZATION_SUSPENDED'
    : membershipStatus !== 'active'
      ? 'MEMBERSHIP_DEACTIVATED'
      : null;

const BARRED_MESSAGES = {
  ORGANIZATION_SUSPENDED: 'This organization is suspended',
  MEMBERSHIP_DEACTIVATED: 'Your membership in this organization is deactivated',
} as const;

/** A suspended organization's members and keys, and a deactivated member, act in it no more. */
export function assertNotBarred(principal: Principal): void {
  if (principal.barred) throw new AppError(principal.barred, BARRED_MESSAGES[principal.barred]);
}

/**
 * An organization that requires a second factor (settings.enforceMfa) hears a member's session only once
 * the member has one: until then the session may only enrol (auth.mfa.*) and see or end itself
 * (auth.whoami, auth.logout, auth.sessions.*, users.me: the procedures built without this check).
 * Keys, service accounts and platform keys are issued by someone already signed in and scoped: this is
 * about interactive sign-in, so only sessions are held to it.
 */
export function assertMfaSatisfied(principal: Principal): void {
  if (principal.sessionId && principal.enforceMfa && !principal.mfaEnabled) {
    throw new AppError(
      'MFA_REQUIRED',
      'This organization requires a second factor: set one up with auth.mfa.totp.enroll before acting in it',
    );
  }
}

/** Everything that keeps a principal from acting in its organization (see the two above). */
export function assertMayAct(principal: Principal): void {
  assertNotBarred(principal);
  assertMfaSatisfied(principal);
}

/**
 * A user's role in an organization (what it grants, the organization's name, whether they are barred
 * from acting there), or null when not a member. Cached like principals, evicted by any announcement
 * for the user or organization.
 */
export async function membershipOf(
  runtime: Runtime,
  em: EntityManager,
  userId: string,
  organizationId: string,
): Promise<MembershipView | null> {
  const cacheKey = `m:${organizationId}:${userId}`;
  const cached = runtime.principals.get(cacheKey) as { membership: MembershipView | null } | undefined;
  if (cached) return cached.membership;
  const generation = runtime.principals.generation;
  const [row] = await em.execute<
    {
      role: string;
      name: string;
      permissions: string[] | null;
      org_status: string;
      status: string;
      enforce_mfa: boolean;
    }[]
  >(
    `select m.role, m.status, o.name, o.status as org_status, r.permissions,
            coalesce((o.settings->>'enforceMfa')::boolean, false) as enforce_mfa
       from memberships m
       join organizations o on o.id = m.organization_id
       ${joinRole('r', 'm')}
      where m.organization_id = ? and m.user_id = ?`,
    [organizationId, userId],
  );
  const membership = row
    ? {
        role: row.role,
        rolePermissions: rolePermissions(row.role, row.permissions),
        organizationName: row.name,
        barred: barredBy(row.org_status, row.status),
        enforceMfa: row.enforce_mfa,
      }
    : null;
  runtime.principals.set(cacheKey, { membership }, { userId, organizationId }, generation);
  return membership;
}
