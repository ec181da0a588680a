import { Membership, newId, Organization, User } from '@gatehouse/db';
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { permissionMap } from '../access/reach.js';
import { resolveRole } from '../access/roles.js';
import { type Actor, changesOf, record } from '../core/audit.js';
import { AppError } from '../core/errors.js';
import { fromMicro } from '../credits/amount.js';
import { actorOf, type Caller } from '../infra/caller.js';
import { transaction } from '../infra/transaction.js';
import { organizationBudget, takeAttempt } from '../limits/budgets.js';
import { defaultSettings, type TSettings } from '../settings/schema.js';
import { freeLabel } from './labels.js';
import { dropPrimaryOrganization } from './members.js';
import type { TOrganization } from './schema.js';

/**
 * Queues a new organization with `owner` as its owner (flushed by the caller's transaction).
 * The owner's primary organization becomes this one if they had none.
 */
export async function insertOrganization(
  em: EntityManager,
  actor: Actor,
  input: { name: string; description?: string | null; owner: User },
): Promise<Organization> {
  // Whoever later proves the address claims the account (accounts/claim.ts) and must get nothing its
  // unverified holder built: no organization it owns, with co-owners, keys and an audit log of its own.
  // Joining one already takes a mailed token (an invitation), so this keeps unverified accounts out of
  // every organization but the one that manages them.
  if (!input.owner.emailVerified) {
    throw new AppError(
      'EMAIL_NOT_VERIFIED',
      'Confirm your email address before creating an organization: follow the link mailed to it ' +
        '(auth.requestEmailVerification sends a new one)',
    );
  }
  const label = await freeLabel(em, input.name);
  const organization = em.create(Organization, {
    id: newId('org'),
    name: input.name,
    label,
    namespace: label,
    description: input.description ?? null,
  });
  em.create(Membership, { id: newId('mem'), organizationId: organization.id, userId: input.owner.id, role: 'owner' });
  input.owner.organizationId ??= organization.id;
  record(em, actor, {
    organizationId: organization.id,
    action: 'organization.created',
    target: { type: 'organization', id: organization.id },
  });
  return organization;
}

export async function createOrganization(caller: Caller, input: { name: string; description?: string | null }) {
  await takeAttempt(caller.em, [organizationBudget(caller.runtime, caller.principal.userId)]);
  // Two organizations racing for one label: the unique index decides and the loser takes the next free one.
  for (let attempt = 1; ; attempt++) {
    try {
      // Fresh each attempt: a failed flush leaves the entity manager dirty.
      const id = await transaction(
        caller,
        async (tx, after) => {
          after.invalidate({ userId: caller.principal.userId });
          const owner = await tx.findOneOrFail(User, caller.principal.userId);
          const { id } = await insertOrganization(tx, actorOf(caller), { ...input, owner });
          // The organization's first event: its founder joined it.
          after.emit(id, 'organization.member_added', { userId: owner.id, role: 'owner' });
          return id;
        },
        { fresh: true },
      );
      return retrieveOrganization(caller, id);
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException) || attempt >= 3) throw error;
    }
  }
}

export interface OrganizationRow {
  id: string;
  name: string;
  label: string;
  namespace: string;
  description: string | null;
  status: 'active' | 'suspended';
  plan: string;
  settings: Partial<TSettings>;
  created_at: string;
  updated_at: string;
  member_count: number;
  owner_id: string | null;
  credit_balance: string;
  sso_enabled: boolean;
}

// One statement for an organization with its member count, first owner and credit balance, so lists need no N+1.
export const ORGANIZATION_COLUMNS = `o.id, o.name, o.label, o.namespace, o.description, o.status, o.plan, o.settings,
  o.created_at, o.updated_at,
  (select count(*)::int from memberships c where c.organization_id = o.id) as member_count,
  (select w.user_id from memberships w where w.organization_id = o.id and w.role = 'owner' order by w.id limit 1) as owner_id,
  coalesce((select a.balance from credit_accounts a where a.organization_id = o.id), 0) as credit_balance,
  exists(select 1 from sso_connections s where s.organization_id = o.id) as sso_enabled`;

export function toOrganization(row: OrganizationRow): TOrganization {
  return {
    id: row.id,
    name: row.name,
    label: row.label,
    namespace: row.namespace,
    description: row.description,
    status: row.status,
    plan: row.plan,
    memberCount: row.member_count,
    credits: fromMicro(row.credit_balance),
    ownerId: row.owner_id,
    settings: { ...defaultSettings, ...row.settings },
    ssoEnabled: row.sso_enabled,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

export async function retrieveOrganization(
  caller: Caller,
  organizationId: string,
  expand: readonly 'permissions'[] = [],
): Promise<TOrganization> {
  const [row] = await caller.em.execute<OrganizationRow[]>(
    `select ${ORGANIZATION_COLUMNS} from organizations o where o.id = ?`,
    [organizationId],
  );
  if (!row) throw new AppError('NOT_FOUND', 'Organization not found');
  const organization = toOrganization(row);
  return expand.includes('permissions')
    ? { ...organization, permissions: permissionMap(caller.principal) }
    : organization;
}

/** The caller's organizations: all their memberships for a signed-in user, the key's own for an API key. */
export async function listOrganizations(caller: Caller, input: { limit: number; cursor?: string | undefined }) {
  const { cursors } = caller.runtime;
  const scope = `orgs:${caller.principal.userId}:${caller.principal.apiKey?.id ?? ''}`;
  const after = input.cursor ? cursors.decode(scope, input.cursor) : null;
  const keyOrg = caller.principal.apiKey ? caller.principal.organizationId : null;
  const rows = await caller.em.execute<OrganizationRow[]>(
    `select ${ORGANIZATION_COLUMNS}
       from memberships m join organizations o on o.id = m.organization_id
      where m.user_id = ? ${keyOrg ? 'and o.id = ?' : ''} ${after ? 'and o.id > ?' : ''}
      order by o.id limit ?`,
    [caller.principal.userId, ...(keyOrg ? [keyOrg] : []), ...(after ? [after] : []), input.limit + 1],
  );
  return cursors.page(scope, rows, input.limit, (r) => r.id, toOrganization);
}

export async function updateOrganization(
  caller: Caller,
  input: { organizationId: string; name?: string; description?: string | null; settings?: Partial<TSettings> },
) {
  // Cached principals carry the organization's name.
  await transaction(caller, async (tx, after) => {
    after.invalidate({ organizationId: input.organizationId });
    const organization = await tx.findOneOrFail(Organization, input.organizationId, {
      lockMode: LockMode.PESSIMISTIC_WRITE,
    });
    const before = { ...defaultSettings, ...(organization.settings as Partial<TSettings>) };
    if (input.settings?.defaultRole) {
      const role = await resolveRole(tx, input.organizationId, input.settings.defaultRole);
      if (!role || role.key === 'owner') {
        throw new AppError('BAD_REQUEST', 'defaultRole must be an existing role other than owner', {
          field: 'settings.defaultRole',
        });
      }
    }
    const changes = changesOf(
      { name: organization.name, description: organization.description ?? null },
      { name: input.name, description: input.description },
    );
    for (const [key, change] of Object.entries(changesOf(before, input.settings ?? {}))) {
      changes[`settings.${key}`] = change;
    }
    if (input.name !== undefined) organization.name = input.name;
    if (input.description !== undefined) organization.description = input.description;
    organization.settings = { ...before, ...input.settings };
    if (changes['settings.lowBalanceThreshold']) {
      // A new threshold starts afresh: the next debit that leaves the balance under it alerts.
      await tx.execute('update credit_accounts set low_balance_alerted = false where organization_id = ?', [
        organization.id,
      ]);
    }
    if (Object.keys(changes).length === 0) return;
    record(tx, actorOf(caller), {
      organizationId: organization.id,
      action: 'organization.updated',
      target: { type: 'organization', id: organization.id },
      changes,
    });
  });
  return retrieveOrganization(caller, input.organizationId);
}

/**
 * Deletes the organization and everything it owns (memberships, keys, roles: foreign keys cascade)
 * in one transaction. Refused while a paid plan's subscription is active.
 */
export async function deleteOrganization(caller: Caller, organizationId: string): Promise<void> {
  await transaction(caller, async (tx, after) => {
    after.invalidate({ organizationId });
    const organization = await tx.findOneOrFail(Organization, organizationId, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (organization.subscriptionStatus === 'active' && organization.plan !== 'free') {
      throw new AppError('HAS_DEPENDENCIES', 'Cancel the paid subscription before deleting the organization', {
        blockers: ['subscription'],
      });
    }
    await dropPrimaryOrganization(tx, organizationId);
    record(tx, actorOf(caller), {
      organizationId,
      action: 'organization.deleted',
      target: { type: 'organization', id: organizationId },
      changes: { name: { from: organization.name, to: null } },
    });
    await tx.nativeDelete(Organization, { id: organizationId });
  });
}
