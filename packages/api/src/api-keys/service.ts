import { ApiKey, newId } from '@gatehouse/db';
import type { QueryResult } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { findMemberTarget } from '../access/authority.js';
import { assertSteppedUp } from '../access/step-up.js';
import { type Actor, changesOf, record } from '../core/audit.js';
import { assertHolds, assertOutranks, effectivePermissions } from '../core/authorization.js';
import { AppError } from '../core/errors.js';
import type { Permission, Scope } from '../core/permissions.js';
import { actorOf, type Caller } from '../infra/caller.js';
import { type AfterCommit, transaction } from '../infra/transaction.js';
import { generateKey } from './format.js';
import { descendantsSql, lineageOf } from './lineage.js';
import type { TApiKey, TCreateKeyInput, TListKeysInput, TNewKey, TUpdateKeyInput } from './schema.js';

const DAY_MS = 24 * 60 * 60 * 1000;

function statusOf(key: ApiKey, now = Date.now()): TApiKey['status'] {
  if (key.revokedAt) return 'revoked';
  return key.expiresAt && key.expiresAt.getTime() <= now ? 'expired' : 'active';
}

const rateLimitOf = (key: Pick<ApiKey, 'rateLimitMax' | 'rateLimitWindowSeconds'>) =>
  key.rateLimitMax && key.rateLimitWindowSeconds
    ? { limit: key.rateLimitMax, windowSeconds: key.rateLimitWindowSeconds }
    : null;

interface Limits {
  rateLimit: ReturnType<typeof rateLimitOf>;
  remaining: number | null;
}

/**
 * Whether `to` may allow a call that `from` refuses: a limit lifted, more calls left, more calls per
 * window or a shorter window (two rates are compared only when one is at least as strict on both).
 */
function raises(from: Limits, to: Limits): boolean {
  const rate =
    from.rateLimit !== null &&
    (to.rateLimit === null ||
      to.rateLimit.limit > from.rateLimit.limit ||
      to.rateLimit.windowSeconds < from.rateLimit.windowSeconds);
  const remaining = from.remaining !== null && (to.remaining === null || to.remaining > from.remaining);
  return rate || remaining;
}

export function toApiKey(key: ApiKey): TApiKey {
  return {
    id: key.id,
    keyPrefix: key.keyPrefix,
    name: key.name,
    userId: key.userId,
    organizationId: key.organizationId ?? null,
    scopes: key.scopes ?? null,
    status: statusOf(key),
    expiresAt: key.expiresAt ?? null,
    lastUsedAt: key.lastUsedAt ?? null,
    lastUsedIp: key.lastUsedIp ?? null,
    revokedAt: key.revokedAt ?? null,
    revokedBy: key.revokedBy ?? null,
    rateLimit: rateLimitOf(key),
    remaining: key.remaining ?? null,
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
    /** null: a platform key. */
    organizationId: string | null;
    name: string;
    scopes?: Scope[] | null;
    expiresAt?: Date | null;
    metadata?: Record<string, unknown>;
    /** The key it was created with, if any. */
    parentKeyId?: string | null;
    rateLimit?: { limit: number; windowSeconds: number } | null;
    remaining?: number | null;
  },
): TNewKey {
  const { keyPrefix, key, secretHash } = generateKey();
  const row = em.create(ApiKey, {
    id: newId('key'),
    keyPrefix,
    secretHash,
    legacyPrefix: false,
    name: input.name,
    userId: input.userId,
    organizationId: input.organizationId,
    scopes: input.scopes ?? null,
    expiresAt: input.expiresAt ?? null,
    metadata: input.metadata ?? {},
    parentKeyId: input.parentKeyId ?? null,
    rateLimitMax: input.rateLimit?.limit ?? null,
    rateLimitWindowSeconds: input.rateLimit?.windowSeconds ?? null,
    remaining: input.remaining ?? null,
  });
  record(em, actor, {
    organizationId: input.organizationId,
    action: 'api_key.created',
    target: { type: 'apiKey', id: row.id },
  });
  return {
    id: row.id,
    key,
    keyPrefix,
    name: row.name,
    scopes: row.scopes ?? null,
    expiresAt: row.expiresAt ?? null,
    rateLimit: rateLimitOf(row),
    remaining: row.remaining ?? null,
  };
}

function organizationOf(caller: Caller): string {
  const { organizationId } = caller.principal;
  if (!organizationId) throw new AppError('BAD_REQUEST', 'Create or join an organization before managing API keys');
  return organizationId;
}

/**
 * The expiry a new key gets: what was asked for, but never later than the key it is created with (a
 * key made with a key never outlives it).
 */
export function boundedExpiry(caller: Caller, expiresInDays: number | undefined): Date | null {
  const asked = expiresInDays ? new Date(Date.now() + expiresInDays * DAY_MS) : null;
  const parent = caller.principal.apiKey?.expiresAt ?? null;
  if (!parent) return asked;
  return asked && asked < parent ? asked : parent;
}

export async function createKey(caller: Caller, input: TCreateKeyInput): Promise<TNewKey> {
  const organizationId = organizationOf(caller);
  // Omitted scopes mean "all of mine": for a scoped key that is its own scopes, never more.
  const scopes = (input.scopes ?? caller.principal.apiKey?.scopes ?? null) as Permission[] | null;
  if (scopes) assertHolds(caller.principal, scopes, 'grant these scopes');
  // An unscoped key is everything its owner can do, without their second factor: a fresh one first.
  else await assertSteppedUp(caller);
  return transaction(caller, async (tx, after) => {
    const key = insertApiKey(tx, actorOf(caller), {
      userId: caller.principal.userId,
      organizationId,
      name: input.name,
      scopes,
      expiresAt: boundedExpiry(caller, input.expiresInDays),
      parentKeyId: caller.principal.apiKey?.id ?? null,
      rateLimit: input.rateLimit ?? null,
      remaining: input.remaining ?? null,
      ...(input.metadata ? { metadata: input.metadata } : {}),
    });
    after.emit(organizationId, 'api_key.created', {
      apiKeyId: key.id,
      name: key.name,
      userId: caller.principal.userId,
    });
    return key;
  });
}

/**
 * Renames a key or changes its limits or metadata (its holder, or another member with apiKeys:write
 * who outranks them). New limits apply at once in every process: their leases are dropped, for the key
 * and for every key made with it (their calls spend its limits too).
 */
export async function updateKey(caller: Caller, input: TUpdateKeyInput): Promise<TApiKey> {
  const key = await transaction(caller, async (tx, after) => {
    after.invalidate({ keyId: input.keyId });
    const key = await findManageable(caller, input.keyId, 'write', tx);
    const before = { name: key.name, rateLimit: rateLimitOf(key), remaining: key.remaining ?? null };
    const limitsChanged = input.rateLimit !== undefined || input.remaining !== undefined;
    if (input.name !== undefined) key.name = input.name;
    if (input.metadata !== undefined) key.metadata = input.metadata;
    if (input.rateLimit !== undefined) {
      key.rateLimitMax = input.rateLimit?.limit ?? null;
      key.rateLimitWindowSeconds = input.rateLimit?.windowSeconds ?? null;
    }
    if (input.remaining !== undefined) key.remaining = input.remaining;
    const now = { name: key.name, rateLimit: rateLimitOf(key), remaining: key.remaining ?? null };
    // A credential never raises its own limits, nor those of a key it was made with (its calls spend
    // theirs): a metered key would otherwise lift its own meter. Its holder raises them signed in.
    const via = caller.principal.apiKey;
    if (via && raises(before, now) && (await lineageOf(tx, via.id)).some((k) => k.id === key.id)) {
      throw new AppError(
        'FORBIDDEN',
        'A key cannot raise the limits of itself or of a key it was made with; sign in to raise them',
      );
    }
    if (limitsChanged) {
      const down = await tx.execute<{ id: string }[]>(`${descendantsSql('?')} select id from down`, [key.id]);
      for (const { id } of down) after.invalidate({ keyId: id });
    }
    const changes = changesOf(before, now);
    if (Object.keys(changes).length > 0 || input.metadata !== undefined) {
      record(tx, actorOf(caller), {
        organizationId: key.organizationId ?? null,
        action: 'api_key.updated',
        target: { type: 'apiKey', id: key.id },
        changes,
      });
    }
    return key;
  });
  return toApiKey(key);
}

/** Where a key still authenticates: not revoked, not expired. */
export const activeKeyFilter = (now: Date) => ({
  revokedAt: null,
  $or: [{ expiresAt: null }, { expiresAt: { $gt: now } }],
});

/** The caller's keys in their organization, or (called with a platform key) their platform keys. */
export async function listKeys(caller: Caller, input: TListKeysInput) {
  const organizationId = caller.principal.apiKey?.platform ? null : organizationOf(caller);
  const { cursors } = caller.runtime;
  const scope = `keys:${caller.principal.userId}:${input.status ?? ''}`;
  const now = new Date();
  const status =
    input.status === 'active'
      ? activeKeyFilter(now)
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

/**
 * A key of the caller's organization that the caller may see or manage: their own, or another
 * member's (apiKeys:<access>, required by the procedure chain); changing another member's key is
 * acting on them, so the hierarchy applies (authority.ts).
 */
async function findManageable(caller: Caller, keyId: string, access: 'read' | 'write', em = caller.em) {
  const { organizationId, userId } = caller.principal;
  // A platform key (bound to no organization) is reachable by its holder only, from any credential of theirs.
  const own = { organizationId: null, userId };
  const key = await em.findOne(ApiKey, { id: keyId, ...(organizationId ? { $or: [{ organizationId }, own] } : own) });
  if (!key) throw new AppError('NOT_FOUND', 'API key not found');
  if (key.userId === userId) return key;
  if (access === 'write' && organizationId) {
    const holder = await findMemberTarget(em, organizationId, key.userId);
    if (holder) assertOutranks(caller.principal, holder, 'change the keys of');
  }
  return key;
}

export async function getKey(caller: Caller, keyId: string): Promise<TApiKey> {
  return toApiKey(await findManageable(caller, keyId, 'read'));
}

/** Revoking is idempotent: a revoked key comes back as it is. */
export async function revokeKey(caller: Caller, keyId: string): Promise<TApiKey> {
  const key = await transaction(caller, async (tx, after) => {
    after.invalidate({ keyId });
    const key = await findManageable(caller, keyId, 'write', tx);
    if (key.revokedAt) return key;
    await revokeWithDescendants(tx, after, actorOf(caller), key, caller.principal.userId);
    return key;
  });
  return toApiKey(key);
}

/**
 * Revokes a key and every key made with it (and with those, …): a key made with a key never outlives
 * it. Each descendant is invalidated in every process once this commits.
 */
export async function revokeWithDescendants(
  tx: EntityManager,
  after: AfterCommit,
  actor: Actor,
  key: ApiKey,
  by: string,
): Promise<void> {
  key.revokedAt = new Date();
  key.revokedBy = by;
  key.previousValidUntil = null;
  record(tx, actor, {
    organizationId: key.organizationId ?? null,
    action: 'api_key.revoked',
    target: { type: 'apiKey', id: key.id },
    changes: { revokedAt: { from: null, to: key.revokedAt } },
  });
  if (key.organizationId) after.emit(key.organizationId, 'api_key.revoked', { apiKeyId: key.id });
  const children = await tx.execute<{ id: string; user_id: string; organization_id: string | null }[]>(
    `${descendantsSql('?')}
     update api_keys k set revoked_at = now(), revoked_by = ?, previous_valid_until = null, updated_at = now()
       from down where k.id = down.id and k.revoked_at is null
     returning k.id, k.user_id, k.organization_id`,
    [key.id, by],
  );
  for (const child of children) {
    record(tx, actor, {
      organizationId: child.organization_id,
      action: 'api_key.revoked',
      target: { type: 'apiKey', id: child.id },
      changes: { revokedWith: { from: null, to: key.id } },
    });
    if (child.organization_id) after.emit(child.organization_id, 'api_key.revoked', { apiKeyId: child.id });
    after.invalidate({ keyId: child.id });
  }
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
  return transaction(caller, async (tx, after) => {
    after.invalidate({ keyId });
    const key = await findManageable(caller, keyId, 'write', tx);
    // Rotation hands out a working secret: a key's secret is its holder's alone (others may revoke it).
    if (key.userId !== caller.principal.userId) {
      throw new AppError('NOT_KEY_HOLDER', 'Only the holder of a key can rotate it; revoke it instead');
    }
    if (statusOf(key) !== 'active') throw new AppError('CONFLICT', `A ${statusOf(key)} key cannot be rotated`);
    // …and through a credential holding everything the key can do (a narrow key never rotates a broad one).
    assertHolds(
      caller.principal,
      // An unscoped key can do everything its holder can: the caller, without their credential's scopes.
      (key.scopes as Permission[] | null) ?? effectivePermissions({ ...caller.principal, apiKey: null }),
      'rotate this key',
    );
    // …nor, through a key with limits or an expiry, a key those do not bound: only itself and keys made
    // with it spend its limits and expire with it. Another key's fresh secret would be a way out of them.
    const via = caller.principal.apiKey;
    if (via && via.id !== key.id) {
      const bounded = via.expiresAt !== null || (await lineageOf(tx, via.id)).some((k) => k.limited);
      if (bounded && !(await lineageOf(tx, key.id)).some((k) => k.id === via.id)) {
        throw new AppError('FORBIDDEN', 'A key with limits or an expiry rotates only itself and keys made with it');
      }
    }
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
      organizationId: key.organizationId ?? null,
      action: 'api_key.rotated',
      target: { type: 'apiKey', id: key.id },
      changes: { keyPrefix: { from: key.keyPrefix, to: next.keyPrefix } },
    });
    return { id: key.id, key: next.key, keyPrefix: next.keyPrefix, expiresAt: key.expiresAt ?? null };
  });
}
