import { ApiKey, newId } from '@gatehouse/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Actor, record } from '../audit.js';
import { digestsEqual, randomLowerAlnum, randomString, sha256Hex } from '../crypto.js';
import { AppError } from '../errors.js';
import { isPermission, type Permission } from '../permissions.js';
import type { Principal } from '../principal.js';

// gh_<8 lowercase alphanumerics>_<43 base62 chars: 256 bits>. The prefix is public and indexed;
// only the SHA-256 of the secret is stored (a 256-bit secret needs no slow hash).
const SECRET_LENGTH = 43;
const KEY_PATTERN = /^(gh_[a-z0-9]{8})_([0-9A-Za-z]{43})$/;

export interface NewApiKey {
  id: string;
  key: string;
  keyPrefix: string;
  name: string;
  scopes: Permission[] | null;
  expiresAt: Date | null;
}

export function createApiKey(
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
): NewApiKey {
  const keyPrefix = `gh_${randomLowerAlnum(8)}`;
  const secret = randomString(SECRET_LENGTH);
  const row = em.create(ApiKey, {
    id: newId('key'),
    keyPrefix,
    secretHash: sha256Hex(secret),
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
  return {
    id: row.id,
    key: `${keyPrefix}_${secret}`,
    keyPrefix,
    name: row.name,
    scopes: row.scopes as Permission[] | null,
    expiresAt: row.expiresAt ?? null,
  };
}

interface KeyRow {
  id: string;
  secret_hash: string;
  user_id: string;
  organization_id: string;
  scopes: string[] | null;
  // Raw rows carry timestamps as strings (MikroORM leaves date parsing to its entities).
  expires_at: string | null;
  revoked_at: string | null;
  status: string;
  platform_role: 'user' | 'admin';
  role: string | null;
}

// Compared against when the prefix is unknown, so a miss costs the same hash and comparison as a hit.
const DECOY_HASH = sha256Hex('decoy');
const unauthorized = () => new AppError('UNAUTHORIZED', 'Invalid API key');

/**
 * Resolves an API key to its principal with one indexed lookup (by prefix, joined with the owner
 * and their membership in the key's organization) and a constant-time hash comparison.
 * Every failure is the same UNAUTHORIZED, whatever the cause.
 */
export async function verifyApiKey(em: EntityManager, key: string): Promise<Principal> {
  const match = KEY_PATTERN.exec(key);
  const [keyPrefix, secret] = match ? [match[1] as string, match[2] as string] : ['', key];
  const rows: KeyRow[] = match
    ? await em.execute(
        `select k.id, k.secret_hash, k.user_id, k.organization_id, k.scopes, k.expires_at, k.revoked_at,
                u.status, u.platform_role, m.role
           from api_keys k
           join users u on u.id = k.user_id
           left join memberships m on m.organization_id = k.organization_id and m.user_id = k.user_id
          where k.key_prefix = ?`,
        [keyPrefix],
      )
    : [];
  const row = rows[0];
  const hashMatches = digestsEqual(sha256Hex(secret), row?.secret_hash ?? DECOY_HASH);
  if (!row || !hashMatches) throw unauthorized();
  const now = Date.now();
  if (row.revoked_at || (row.expires_at && Date.parse(row.expires_at) <= now)) throw unauthorized();
  // A key acts for a member: once the owner is inactive or has left the organization it is dead.
  if (row.status !== 'active' || !row.role) throw unauthorized();
  return {
    kind: 'user',
    userId: row.user_id,
    platformRole: row.platform_role,
    organizationId: row.organization_id,
    role: row.role,
    apiKey: { id: row.id, keyPrefix, scopes: row.scopes?.filter(isPermission) ?? null },
  };
}
