import type { EntityManager } from '@mikro-orm/postgresql';
import { barredBy } from '../access/membership.js';
import { joinRole } from '../access/sql.js';
import { rolePermissions } from '../core/authorization.js';
import { digestsEqual, sha256Hex } from '../core/crypto.js';
import { AppError } from '../core/errors.js';
import { isKnownPermission, isPlatformPermission } from '../core/permissions.js';
import type { Principal } from '../core/principal.js';
import type { Runtime } from '../infra/caller.js';
import type { KeyLimit } from '../limits/key-limits.js';
import { parseKey, prefixFor } from './format.js';
import { lineageSql } from './lineage.js';

interface KeyRow {
  id: string;
  key_prefix: string;
  secret_hash: string;
  previous_secret_hash: string | null;
  // Raw rows carry timestamps as strings (MikroORM parses dates only for entities).
  previous_valid_until: string | null;
  user_id: string;
  organization_id: string | null;
  scopes: string[] | null;
  expires_at: string | null;
  revoked_at: string | null;
  status: string;
  platform_role: 'user' | 'admin';
  email: string;
  name: string;
  organization_name: string | null;
  org_status: string | null;
  role: string | null;
  membership_status: string | null;
  role_permissions: string[] | null;
  rate_limit_max: number | null;
  rate_limit_window_seconds: number | null;
  metered: boolean;
  /** The limited keys above it (the key it was made with first), whose limits its calls spend too. */
  inherited: KeyLimit[] | null;
}

// One indexed lookup by prefix (current or, during a rotation's grace period, previous) that brings
// everything the principal holds, so a cached key costs no query at all.
export interface VerifiedKey {
  keyId: string;
  principal: Principal;
  secretHash: string;
  /** null: neither the key nor any key above it has a rate limit or a count of remaining calls. */
  limits: KeyLimit[] | null;
  /** The key's scopes as stored, permissions of the integrator's own included (null: all of its owner's). */
  scopes: string[] | null;
}

/**
 * Why a key does not work. Only a key whose secret matched hears more than NOT_FOUND (and is named,
 * with its organization): nobody learns anything of a key whose secret they do not hold.
 */
export type KeyRefusal =
  | { failure: 'NOT_FOUND' }
  | { failure: 'REVOKED' | 'EXPIRED' | 'DISABLED'; keyId: string; organizationId: string | null; ownerId: string };

// Compared against when the prefix is unknown, so a miss costs the same hash and comparison as a hit.
const DECOY_HASH = sha256Hex('decoy');
const unauthorized = () => new AppError('UNAUTHORIZED', 'Invalid API key');

/**
 * Resolves an API key to its principal. A cache hit costs a SHA-256 and a constant-time compare;
 * a miss is one indexed lookup (by prefix, joined with the owner and their membership in the
 * key's organization, and with the limits of the keys it was made with, whose budgets its calls
 * spend too). Every failure is the same UNAUTHORIZED, whatever the cause.
 */
export async function verifyApiKey(
  runtime: Runtime,
  em: EntityManager,
  key: string,
  ip: string | null,
): Promise<Principal> {
  const verified = await resolveApiKey(runtime, em, key);
  if ('failure' in verified) throw unauthorized();
  // Only a valid key spends its limits: other requests' failures never use them up.
  if (verified.limits) await runtime.keyLimits.take(verified.limits);
  runtime.usage.record(verified.keyId, ip);
  return verified.principal;
}

/**
 * The key, verified (from the principal cache when warm: no query), or why it does not work. Spends
 * nothing: the caller takes the limits (verifyApiKey for a call made with the key, keys.verify for a
 * service asking about one). Every key that is not valid costs the same hash, lookup and comparison.
 */
export async function resolveApiKey(
  runtime: Runtime,
  em: EntityManager,
  key: string,
): Promise<VerifiedKey | KeyRefusal> {
  const parsed = parseKey(key);
  const secretHash = sha256Hex(parsed?.secret ?? key);
  if (!parsed) {
    digestsEqual(secretHash, DECOY_HASH);
    return { failure: 'NOT_FOUND' };
  }
  // A prefix that does not follow from the secret was never made here: the same hash and comparison as
  // any other answer, and no lookup (a random key costs what a warm one does, existing prefix or not).
  if (parsed.keyPrefix !== prefixFor(secretHash) && !runtime.legacyKeyPrefixes.has(parsed.keyPrefix)) {
    digestsEqual(secretHash, DECOY_HASH);
    return { failure: 'NOT_FOUND' };
  }
  const cacheKey = `k:${parsed.keyPrefix}`;
  let verified = runtime.principals.get(cacheKey) as VerifiedKey | undefined;
  // A wrong secret for a cached key does the work of an unknown prefix (one lookup, then refused):
  // otherwise its faster answer would tell which prefixes exist and were used lately.
  if (verified && !digestsEqual(secretHash, verified.secretHash)) verified = undefined;
  if (verified) return verified;
  const generation = runtime.principals.generation;
  const [row] = await em.execute<KeyRow[]>(
    `select k.id, k.key_prefix, k.secret_hash, k.previous_secret_hash, k.previous_valid_until, k.user_id,
            k.organization_id, k.scopes, k.expires_at, k.revoked_at, u.status, u.platform_role, u.email, u.name,
            o.name as organization_name, o.status as org_status, m.role, m.status as membership_status,
            r.permissions as role_permissions, k.rate_limit_max, k.rate_limit_window_seconds,
            k.remaining is not null as metered,
            -- Only for a key made with a key: the common case costs nothing more.
            case when k.parent_key_id is not null then (${lineageSql('k.parent_key_id')}
              select json_agg(json_build_object(
                       'keyId', up.id,
                       'rateLimit', case when up.rate_limit_max is not null and up.rate_limit_window_seconds is not null
                         then json_build_object('limit', up.rate_limit_max, 'windowSeconds', up.rate_limit_window_seconds) end,
                       'metered', up.remaining is not null) order by up.depth)
                from up where up.rate_limit_max is not null or up.remaining is not null) end as inherited
       from api_keys k
       join users u on u.id = k.user_id
       left join organizations o on o.id = k.organization_id
       left join memberships m on m.organization_id = k.organization_id and m.user_id = k.user_id
         ${joinRole('r', 'm')}
      where k.key_prefix = ? or k.previous_key_prefix = ?`,
    [parsed.keyPrefix, parsed.keyPrefix],
  );
  const current = row?.key_prefix === parsed.keyPrefix;
  const storedHash = (current ? row?.secret_hash : row?.previous_secret_hash) ?? DECOY_HASH;
  if (!row || !digestsEqual(secretHash, storedHash)) return { failure: 'NOT_FOUND' };
  // A key acts for an active member (a platform key for a platform admin): revoked, expired, inactive
  // owner, departed member or lost platform role all end it.
  const platform = row.organization_id === null;
  const refused = (failure: 'REVOKED' | 'EXPIRED' | 'DISABLED'): KeyRefusal => ({
    failure,
    keyId: row.id,
    organizationId: row.organization_id,
    ownerId: row.user_id,
  });
  if (row.revoked_at) return refused('REVOKED');
  const validUntil = Math.min(
    row.expires_at ? Date.parse(row.expires_at) : Infinity,
    current ? Infinity : Date.parse(row.previous_valid_until ?? '0'),
  );
  if (validUntil <= Date.now()) return refused('EXPIRED');
  if (row.status !== 'active' || (platform ? row.platform_role !== 'admin' : !row.role)) return refused('DISABLED');
  const rateLimit =
    row.rate_limit_max && row.rate_limit_window_seconds
      ? { limit: row.rate_limit_max, windowSeconds: row.rate_limit_window_seconds }
      : null;
  // Its own limits first: a key that is spent itself takes nothing from the keys above it.
  const limits = [
    ...(rateLimit || row.metered ? [{ keyId: row.id, rateLimit, metered: row.metered }] : []),
    ...(row.inherited ?? []),
  ];
  verified = {
    keyId: row.id,
    secretHash: storedHash,
    limits: limits.length > 0 ? limits : null,
    scopes: row.scopes,
    principal: {
      kind: 'user',
      userId: row.user_id,
      email: row.email,
      name: row.name,
      platformRole: row.platform_role,
      organizationId: row.organization_id,
      organizationName: row.organization_name,
      role: row.role,
      rolePermissions: rolePermissions(row.role, row.role_permissions),
      barred: platform ? null : barredBy(row.org_status ?? '', row.membership_status ?? ''),
      asPlatform: false,
      apiKey: {
        id: row.id,
        keyPrefix: row.key_prefix,
        scopes: row.scopes?.filter((s) => isKnownPermission(s) || isPlatformPermission(s)) ?? null,
        platform,
        expiresAt: row.expires_at ? new Date(row.expires_at) : null,
      },
      sessionId: null,
      serviceAccount: null,
    },
  };
  runtime.principals.set(
    cacheKey,
    verified,
    { keyId: row.id, userId: row.user_id, ...(row.organization_id ? { organizationId: row.organization_id } : {}) },
    generation,
    validUntil,
  );
  return verified;
}
