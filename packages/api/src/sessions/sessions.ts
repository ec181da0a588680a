import { newId, Session } from '@gatehouse/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { membershipOf } from '../access/membership.js';
import { randomString, sha256Hex } from '../core/crypto.js';
import { AppError } from '../core/errors.js';
import type { Principal } from '../core/principal.js';
import type { Runtime } from '../infra/caller.js';

// ghs_<43 base62 chars>: 256 random bits, stored as SHA-256 only.
const SESSION_PATTERN = /^ghs_[0-9A-Za-z]{43}$/;
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export function isSessionToken(token: string): boolean {
  return token.startsWith('ghs_');
}

/** Queues a new session for `userId`; the token is returned once. */
export function createSession(em: EntityManager, userId: string, ip: string | null) {
  const token = `ghs_${randomString(43)}`;
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  const session = em.create(Session, { id: newId('ses'), tokenHash: sha256Hex(token), userId, expiresAt, ip });
  return { sessionId: session.id, sessionToken: token, expiresAt };
}

/** Revokes the user's sessions (all, or all but `except`); invalidate the user with it (infra/transaction.ts). */
export async function revokeSessions(em: EntityManager, userId: string, except?: string): Promise<void> {
  await em.nativeUpdate(
    Session,
    { userId, revokedAt: null, ...(except ? { id: { $ne: except } } : {}) },
    { revokedAt: new Date() },
  );
}

interface SessionRow {
  id: string;
  user_id: string;
  expires_at: string;
  status: string;
  platform_role: 'user' | 'admin';
  email: string;
  name: string;
  organization_id: string | null;
}

interface Identity {
  sessionId: string;
  userId: string;
  email: string;
  name: string;
  platformRole: 'user' | 'admin';
  primaryOrganizationId: string | null;
}

const unauthorized = () => new AppError('UNAUTHORIZED', 'Invalid or expired session');

/**
 * A session acts in the organization the request names (X-Gatehouse-Organization), else the user's
 * primary one. Naming an organization the user is not a member of is NOT_FOUND, as for any other.
 */
export async function verifySession(
  runtime: Runtime,
  em: EntityManager,
  token: string,
  organizationHeader: string | null,
): Promise<Principal> {
  if (!SESSION_PATTERN.test(token)) throw unauthorized();
  const tokenHash = sha256Hex(token);
  const cacheKey = `s:${tokenHash}`;
  let identity = runtime.principals.get(cacheKey) as Identity | undefined;
  if (!identity) {
    const generation = runtime.principals.generation;
    const [row] = await em.execute<SessionRow[]>(
      `select s.id, s.user_id, s.expires_at, u.status, u.platform_role, u.email, u.name, u.organization_id
         from sessions s join users u on u.id = s.user_id
        where s.token_hash = ? and s.revoked_at is null`,
      [tokenHash],
    );
    const expiresAt = row ? Date.parse(row.expires_at) : 0;
    if (row?.status !== 'active' || expiresAt <= Date.now()) throw unauthorized();
    identity = {
      sessionId: row.id,
      userId: row.user_id,
      email: row.email,
      name: row.name,
      platformRole: row.platform_role,
      primaryOrganizationId: row.organization_id,
    };
    runtime.principals.set(cacheKey, identity, { sessionId: row.id, userId: row.user_id }, generation, expiresAt);
  }
  const organizationId = organizationHeader ?? identity.primaryOrganizationId;
  const membership = organizationId ? await membershipOf(runtime, em, identity.userId, organizationId) : null;
  if (organizationHeader && !membership) throw new AppError('NOT_FOUND', 'Organization not found');
  return {
    kind: 'user',
    userId: identity.userId,
    email: identity.email,
    name: identity.name,
    platformRole: identity.platformRole,
    organizationId: membership ? organizationId : null,
    organizationName: membership?.organizationName ?? null,
    role: membership?.role ?? null,
    rolePermissions: membership?.rolePermissions ?? [],
    barred: membership?.barred ?? null,
    asPlatform: false,
    apiKey: null,
    sessionId: identity.sessionId,
    serviceAccount: null,
  };
}
