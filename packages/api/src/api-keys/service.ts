import { ApiKey, newId } from '@gatehouse/db';
import type { QueryResult } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Actor, record } from '../audit.js';
import { assertHolds, can, effectivePermissions, rolePermissions } from '../authorization.js';
import { withInvalidation } from '../cache/invalidation.js';
import { actorOf, type Caller } from '../caller.js';
import { AppError } from '../errors.js';
import type { Permission } from '../permissions.js';
import { generateKey } from './format.js';
import type { TApiKey, TCreateKeyInput, TListKeysInput, TNewKey } from './schema.js';

const DAY_MS = 24 * 60 * 60 * 1000;

function statusOf(key: ApiKey, now = Date.now()): TApiKey['status'] {
  if (key.revokedAt) return 'revoked';
  return key.expiresAt && key.expiresAt.getTime() <= now ? 'expired' : 'active';
}

export function toApiKey(key: ApiKey): TApiKey {
  return {
    id: key.id,
    keyPrefix: key.keyPrefix,
    name: key.name,
    userId: key.userId,
    organizationId: key.organizationId,
    scopes: key.scopes ?? null,
    status: statusOf(key),
    expiresAt: key.expiresAt ?? null,
    lastUsedAt: key.lastUsedAt ?? null,
    lastUsedIp: key.lastUsedIp ?? null,
    revokedAt: key.revokedAt ?? null,
    revokedBy: key.revokedBy ?? null,
    metadata: key.metadata,
    createdAt: key.createdAt,
    updatedAt: key.updatedAt,
  };
}

/** Queues a new key row and its audit event; the caller's transaction writes both. The key is shown once. */
export function insertApiKey(
  em: EntityManager,
  actor: Actor,
  input: {
    userId: string;
    organizationId: string;
    name: string;
    scopes?: Permission[] | null;
    expiresAt?: Date | null;
    metadata?: Record<string, unknown>;
  },
): TNewKey {
  const { keyPrefix, key, secretHash } = generateKey();
  const row = em.create(ApiKey, {
    id: newId('key'),
    keyPrefix,
    secretHash,
    name: input.name,
    userId: input.userId,
    organizationId: input.organizationId,
    scopes: input.scopes ?? null,
    expiresAt: input.expiresAt ?? null,
    metadata: input.metadata ?? {},
  });
  record(em, actor, {
    organizationId: input.organizationId,
    action: 'api_key.created',
    target: { type: 'apiKey', id: row.id },
  });
  return { id: row.id, key, keyPrefix, name: row.name, scopes: row.scopes ?? null, expiresAt: row.expiresAt ?? null };
}

function organizationOf(caller: Caller): string {
  const { organizationId } = caller.principal;
  if (!organizationId) throw new AppError('BAD_REQUEST', 'Create or join an organization before managing API keys');
  return organizationId;
}

export async function createKey(caller: Caller, input: TCreateKeyInput): Promise<TNewKey> {
  const organizationId = organizationOf(caller);
  // Omitted scopes mean "all of mine": for a scoped key that is its own scopes, never more.
  const scopes = input.scopes ?? caller.principal.apiKey?.scopes ?? null;
  if (scopes) assertHolds(caller.principal, scopes, 'grant these scopes');
  return caller.em.transactional((tx) =>
    insertApiKey(tx, actorOf(caller), {
      userId: caller.principal.userId,
      organizationId,
      name: input.name,
      scopes,
      expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * DAY_MS) : null,
      ...(input.metadata ? { metadata: input.metadata } : {}),
    }),
  );
}

export async function listKeys(caller: Caller, input: TListKeysInput) {
  const organizationId = organizationOf(caller);
  const { cursors } = caller.runtime;
  const scope = `keys:${caller.principal.userId}:${input.status ?? ''}`;
  const now = new Date();
  const status =
    input.status === 'active'
      ? { revokedAt: null, $or: [{ expiresAt: null }, { expiresAt: { $gt: now } }] }
      : input.status === 'revoked'
        ? { revokedAt: { $ne: null } }
        : input.status === 'expired'
          ? { revokedAt: null, expiresAt: { $lte: now } }
          : {};
  const rows = await caller.em.find(
    ApiKey,
    {
      organizationId,
      userId: caller.principal.userId,
      ...(input.cursor ? { id: { $lt: cursors.decode(scope, input.cursor) } } : {}),
      ...status,
    },
    { orderBy: { id: 'desc' }, limit: input.limit + 1 },
  );
  return cursors.page(scope, rows, input.limit, (r) => r.id, toApiKey);
}

/** A key of the caller's organization that the caller may see or manage: their own, or any with apiKeys:<access>. */
async function findManageable(caller: Caller, keyId: string, access: 'read' | 'write', em = caller.em) {
  const organizationId = organizationOf(caller);
  const key = await em.findOne(ApiKey, { id: keyId, organizationId });
  if (!key) throw new AppError('NOT_FOUND', 'API key not found');
  if (key.userId !== caller.principal.userId && !can(caller.principal, `apiKeys:${access}`, organizationId)) {
    throw new AppError('FORBIDDEN', `Requires apiKeys:${access}`);
  }
  return key;
}

export async function getKey(caller: Caller, keyId: string): Promise<TApiKey> {
  return toApiKey(await findManageable(caller, keyId, 'read'));
}

/** Revoking is idempotent: a revoked key comes back as it is. */
export async function revokeKey(caller: Caller, keyId: string): Promise<TApiKey> {
  const key = await withInvalidation(caller, [{ keyId }], async (tx) => {
    const key = await findManageable(caller, keyId, 'write', tx);
    if (key.revokedAt) return key;
    key.revokedAt = new Date();
    key.revokedBy = caller.principal.userId;
    key.previousValidUntil = null;
    record(tx, actorOf(caller), {
      organizationId: key.organizationId,
      action: 'api_key.revoked',
      target: { type: 'apiKey', id: key.id },
      changes: { revokedAt: { from: null, to: key.revokedAt } },
    });
    return key;
  });
  return toApiKey(key);
}

// Rotations of one key closer together than this are treated as one contested rotation.
const ROTATION_COOLDOWN_SECONDS = 5;

/**
 * Issues a new prefix and secret. The old secret keeps working for `gracePeriodSeconds` so callers
 * can roll over. Two rotations of one key at about the same time (two admins, a double submit) must
 * not each hand out a secret that the other silently kills: exactly one wins and the other gets
 * CONFLICT. The update applies only to the prefix that was read and only outside the cooldown, so
 * this holds whether the two transactions overlap or run back to back.
 */
export function rotateKey(caller: Caller, keyId: string, gracePeriodSeconds: number) {
  return withInvalidation(caller, [{ keyId }], async (tx) => {
    const key = await findManageable(caller, keyId, 'write', tx);
    if (statusOf(key) !== 'active') throw new AppError('CONFLICT', `A ${statusOf(key)} key cannot be rotated`);
    // Rotation hands out a working secret: only to someone holding everything the key can do.
    assertHolds(
      caller.principal,
      (key.scopes as Permission[] | null) ?? (await ownerPermissions(tx, key)),
      'rotate this key',
    );
    const next = generateKey();
    const graceUntil = gracePeriodSeconds > 0 ? new Date(Date.now() + gracePeriodSeconds * 1000) : null;
    const updated = await tx.execute<QueryResult>(
      `update api_keys set key_prefix = ?, secret_hash = ?,
              previous_key_prefix = ?, previous_secret_hash = case when ? then secret_hash end,
              previous_valid_until = ?, rotated_at = now(), updated_at = now()
        where id = ? and key_prefix = ?
          and (rotated_at is null or rotated_at < now() - make_interval(secs => ?))`,
      [
        next.keyPrefix,
        next.secretHash,
        graceUntil ? key.keyPrefix : null,
        graceUntil !== null,
        graceUntil,
        key.id,
        key.keyPrefix,
        ROTATION_COOLDOWN_SECONDS,
      ],
      'run',
    );
    if (updated.affectedRows !== 1) {
      throw new AppError('CONFLICT', 'The key was just rotated by another request; fetch it again');
    }
    record(tx, actorOf(caller), {
      organizationId: key.organizationId,
      action: 'api_key.rotated',
      target: { type: 'apiKey', id: key.id },
      changes: { keyPrefix: { from: key.keyPrefix, to: next.keyPrefix } },
    });
    return { id: key.id, key: next.key, keyPrefix: next.keyPrefix, expiresAt: key.expiresAt ?? null };
  });
}

/** What an unscoped key can do: everything its owner can in the key's organization. */
async function ownerPermissions(em: EntityManager, key: ApiKey): Promise<Permission[]> {
  const [owner] = await em.execute<
    { role: string | null; permissions: string[] | null; platform_role: 'user' | 'admin' }[]
  >(
    `select m.role, r.permissions, u.platform_role from users u
       left join memberships m on m.user_id = u.id and m.organization_id = ?
       left join roles r on r.organization_id = m.organization_id and r.key = m.role
      where u.id = ?`,
    [key.organizationId, key.userId],
  );
  return effectivePermissions({
    organizationId: key.organizationId,
    rolePermissions: rolePermissions(owner?.role ?? null, owner?.permissions),
    platformRole: owner?.platform_role ?? 'user',
    apiKey: null,
  });
}
