import { Organization, User } from '@gatehouse/db';
import { LockMode } from '@mikro-orm/core';
import { cancelInvitationsBeyondAuthority } from '../access/inviters.js';
import { platformScopesLacking } from '../access/reach.js';
import { peopleSearch } from '../accounts/search.js';
import type { TCreatePlatformKeyInput, TNewKey } from '../api-keys/schema.js';
import { boundedExpiry, insertApiKey } from '../api-keys/service.js';
import { changesOf, record } from '../core/audit.js';
import { AppError } from '../core/errors.js';
import type { Page } from '../core/pagination.js';
import { escapeLike } from '../core/schema.js';
import { actorOf, type Caller } from '../infra/caller.js';
import { transaction } from '../infra/transaction.js';
import { ORGANIZATION_COLUMNS, type OrganizationRow, toOrganization } from '../organizations/service.js';
import type { TPlatformOrganization, TPlatformUser } from './schema.js';

/**
 * A platform key: a `gh_` key bound to no organization, for platform permissions only. A platform key
 * making one gives it no scope it lacks and no later expiry.
 */
export async function createPlatformKey(caller: Caller, input: TCreatePlatformKeyInput): Promise<TNewKey> {
  const missing = platformScopesLacking(caller.principal, input.scopes);
  if (missing.length) {
    throw new AppError('FORBIDDEN', `Cannot grant these scopes: you do not hold ${missing.join(', ')}`, { missing });
  }
  return transaction(caller, async (tx) =>
    insertApiKey(tx, actorOf(caller), {
      userId: caller.principal.userId,
      organizationId: null,
      name: input.name,
      scopes: input.scopes,
      expiresAt: boundedExpiry(caller, input.expiresInDays),
      parentKeyId: caller.principal.apiKey?.id ?? null,
      ...(input.metadata ? { metadata: input.metadata } : {}),
    }),
  );
}

type PlatformOrganizationRow = OrganizationRow & {
  subscription_status: TPlatformOrganization['subscriptionStatus'];
  suspended_reason: string | null;
};

const toPlatformOrganization = (row: PlatformOrganizationRow): TPlatformOrganization => ({
  ...toOrganization(row),
  subscriptionStatus: row.subscription_status,
  suspendedReason: row.suspended_reason,
});

const PLATFORM_ORGANIZATION = `select ${ORGANIZATION_COLUMNS}, o.subscription_status, o.suspended_reason from organizations o`;

/** Every organization, by id; `search` is a case-insensitive prefix of the name or the label. */
export async function listOrganizations(
  caller: Caller,
  input: { search?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<Page<TPlatformOrganization>> {
  const { cursors } = caller.runtime;
  const scope = `platform-orgs:${input.search ?? ''}`;
  const where: string[] = [];
  const params: unknown[] = [];
  if (input.search) {
    const prefix = `${escapeLike(input.search.toLowerCase())}%`;
    where.push(`(lower(o.name) like ? escape '\\' or o.label like ? escape '\\')`);
    params.push(prefix, prefix);
  }
  if (input.cursor) {
    where.push('o.id > ?');
    params.push(cursors.decode(scope, input.cursor));
  }
  const rows = await caller.em.execute<PlatformOrganizationRow[]>(
    `${PLATFORM_ORGANIZATION} ${where.length ? `where ${where.join(' and ')}` : ''} order by o.id limit ?`,
    [...params, input.limit + 1],
  );
  return cursors.page(scope, rows, input.limit, (r) => r.id, toPlatformOrganization);
}

async function retrieveOrganization(caller: Caller, organizationId: string): Promise<TPlatformOrganization> {
  const [row] = await caller.em.execute<PlatformOrganizationRow[]>(`${PLATFORM_ORGANIZATION} where o.id = ?`, [
    organizationId,
  ]);
  if (!row) throw new AppError('NOT_FOUND', 'Organization not found');
  return toPlatformOrganization(row);
}

/**
 * Changes what the platform owns about an organization (its plan, its subscription, whether it is
 * suspended), audited in that organization with `actor.platform`. A suspension reaches every credential
 * of the organization at once, in every process.
 */
async function changeOrganization(
  caller: Caller,
  organizationId: string,
  action: string,
  next: Partial<Pick<Organization, 'plan' | 'subscriptionStatus' | 'status' | 'suspendedReason'>>,
): Promise<TPlatformOrganization> {
  await transaction(caller, async (tx, after) => {
    after.invalidate({ organizationId });
    const organization = await tx.findOne(Organization, organizationId, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!organization) throw new AppError('NOT_FOUND', 'Organization not found');
    const { plan, subscriptionStatus, status, suspendedReason } = organization;
    const changes = changesOf({ plan, subscriptionStatus, status, suspendedReason: suspendedReason ?? null }, next);
    Object.assign(organization, next);
    if (Object.keys(changes).length === 0) return;
    record(tx, actorOf(caller), {
      organizationId,
      action,
      target: { type: 'organization', id: organizationId },
      changes,
    });
  });
  return retrieveOrganization(caller, organizationId);
}

export const updateOrganization = (
  caller: Caller,
  input: {
    organizationId: string;
    plan?: string | undefined;
    subscriptionStatus?: Organization['subscriptionStatus'] | undefined;
  },
) =>
  changeOrganization(caller, input.organizationId, 'organization.billing_updated', {
    ...(input.plan !== undefined ? { plan: input.plan } : {}),
    ...(input.subscriptionStatus !== undefined ? { subscriptionStatus: input.subscriptionStatus } : {}),
  });

export const suspendOrganization = (caller: Caller, input: { organizationId: string; reason: string }) =>
  changeOrganization(caller, input.organizationId, 'organization.suspended', {
    status: 'suspended',
    suspendedReason: input.reason,
  });

export const unsuspendOrganization = (caller: Caller, input: { organizationId: string }) =>
  changeOrganization(caller, input.organizationId, 'organization.unsuspended', {
    status: 'active',
    suspendedReason: null,
  });

interface PlatformUserRow {
  id: string;
  email: string;
  name: string;
  status: TPlatformUser['status'];
  platform_role: TPlatformUser['platformRole'];
  email_verified: boolean;
  managed_by: string | null;
  organization_id: string | null;
  last_login_at: string | null;
  created_at: string;
}

const USER_SELECT = `select u.id, u.email, u.name, u.status, u.platform_role, u.email_verified, u.managed_by,
  u.organization_id, u.last_login_at, u.created_at from users u`;

const toPlatformUser = (row: PlatformUserRow): TPlatformUser => ({
  id: row.id,
  email: row.email,
  name: row.name,
  status: row.status,
  platformRole: row.platform_role,
  emailVerified: row.email_verified,
  managedBy: row.managed_by,
  organizationId: row.organization_id,
  lastLoginAt: row.last_login_at ? new Date(row.last_login_at) : null,
  createdAt: new Date(row.created_at),
});

/** Every account, by id; `search` as in users.list. */
export async function listUsers(
  caller: Caller,
  input: { search?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<Page<TPlatformUser>> {
  const { cursors } = caller.runtime;
  const scope = `platform-users:${input.search ?? ''}`;
  const where: string[] = [];
  const params: unknown[] = [];
  if (input.search) {
    const search = peopleSearch(input.search);
    where.push(search.sql);
    params.push(...search.params);
  }
  if (input.cursor) {
    where.push('u.id > ?');
    params.push(cursors.decode(scope, input.cursor));
  }
  const rows = await caller.em.execute<PlatformUserRow[]>(
    `${USER_SELECT} ${where.length ? `where ${where.join(' and ')}` : ''} order by u.id limit ?`,
    [...params, input.limit + 1],
  );
  return cursors.page(scope, rows, input.limit, (r) => r.id, toPlatformUser);
}

export async function retrieveUser(caller: Caller, userId: string): Promise<TPlatformUser> {
  const [row] = await caller.em.execute<PlatformUserRow[]>(`${USER_SELECT} where u.id = ?`, [userId]);
  if (!row) throw new AppError('NOT_FOUND', 'User not found');
  return toPlatformUser(row);
}

/**
 * Deactivates or reactivates an account deployment-wide: it loses (or regains) every credential at once,
 * in every process. Audited in every organization the account belongs to; a deactivated account's
 * pending invitations lose their authority.
 */
export async function setUserStatus(
  caller: Caller,
  userId: string,
  status: 'active' | 'deactivated',
): Promise<TPlatformUser> {
  if (userId === caller.principal.userId) throw new AppError('FORBIDDEN', 'You cannot change your own status');
  await transaction(caller, async (tx, after) => {
    after.invalidate({ userId });
    const user = await tx.findOne(User, userId, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!user) throw new AppError('NOT_FOUND', 'User not found');
    if (user.status === status) return;
    const from = user.status;
    user.status = status;
    const organizations = await tx.execute<{ organization_id: string }[]>(
      'select organization_id from memberships where user_id = ?',
      [userId],
    );
    for (const { organization_id } of organizations) {
      record(tx, actorOf(caller), {
        organizationId: organization_id,
        action: `user.${status === 'active' ? 'activated' : status}`,
        target: { type: 'user', id: userId },
        changes: { status: { from, to: status }, scope: { from: null, to: 'account' } },
      });
      // Every organization the account belongs to hears of it, as the audit trail of each does.
      if (status === 'deactivated') after.emit(organization_id, 'user.deactivated', { userId });
    }
    if (status !== 'active') await cancelInvitationsBeyondAuthority(tx, actorOf(caller), { inviterId: userId });
  });
  return retrieveUser(caller, userId);
}

/**
 * A new key signs from now on; the old one stays in the JWKS until its tokens have expired. Its audit
 * event is written in the rotation's transaction: no new key without its trail.
 */
export async function rotateSigningKey(caller: Caller): Promise<{ kid: string }> {
  const kid = await caller.runtime.signingKeys.rotate({
    record: (tx, id) =>
      record(tx, actorOf(caller), {
        organizationId: null,
        action: 'signing_key.rotated',
        target: { type: 'signingKey', id },
      }),
  });
  return { kid };
}
