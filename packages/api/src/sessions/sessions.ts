import { createHmac, timingSafeEqual } from 'node:crypto';
import { newId, Session } from '@gatehouse/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { membershipOf } from '../access/membership.js';
import { hasFactorSql } from '../access/sql.js';
import { randomString, sha256Hex } from '../core/crypto.js';
import { AppError } from '../core/errors.js';
import type { Principal } from '../core/principal.js';
import type { Runtime } from '../infra/caller.js';
import type { SessionCookieSink } from './cookie-sink.js';

// ghs_<43 base62 chars>: 256 random bits, stored as SHA-256 only.
const SESSION_PATTERN = /^ghs_[0-9A-Za-z]{43}$/;
/**
 * A session slides: each use moves its expiry to SESSION_IDLE_MS from then, but never past
 * SESSION_MAX_MS from sign-in. Use is recorded (last seen, address, device) at most once per
 * SESSION_TOUCH_MS, so a busy session costs one write a minute, not one a request.
 */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
export const SESSION_MAX_MS = 7 * 24 * 60 * 60 * 1000;
export const SESSION_TOUCH_MS = 60 * 1000;

export function isSessionToken(token: string): boolean {
  return token.startsWith('ghs_');
}

/** What a device sends that names it: kept short (the column is 255 characters). */
export const deviceOf = (userAgent: string | null | undefined) => (userAgent ? userAgent.slice(0, 255) : null);

/** Queues a new session for `userId`; the token is returned once. */
export function createSession(em: EntityManager, userId: string, ip: string | null, userAgent: string | null = null) {
  const token = `ghs_${randomString(43)}`;
  const now = new Date();
  const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS);
  const session = em.create(Session, {
    id: newId('ses'),
    tokenHash: sha256Hex(token),
    userId,
    expiresAt,
    ip,
    userAgent: deviceOf(userAgent),
    lastSeenAt: now,
    createdAt: now,
  });
  return { sessionId: session.id, sessionToken: token, expiresAt };
}

/** Revokes the user's sessions (all, or all but `except`); invalidate the user with it (infra/transaction.ts). */
export async function revokeSessions(em: EntityManager, userId: string, except?: string): Promise<number> {
  return em.nativeUpdate(
    Session,
    { userId, revokedAt: null, ...(except ? { id: { $ne: except } } : {}) },
    { revokedAt: new Date() },
  );
}

/**
 * The CSRF token of the session a browser holds as a cookie: derived from the session token's hash
 * under a key of the deployment, so it is per session, the same in every process, stored nowhere, and
 * tells nothing of the token itself.
 */
export function csrfTokenFor(runtime: Runtime, sessionToken: string): string {
  return createHmac('sha256', runtime.csrfKey).update(sha256Hex(sessionToken)).digest('base64url');
}

export function csrfTokenMatches(runtime: Runtime, sessionToken: string, given: string | null): boolean {
  if (!given) return false;
  const expected = Buffer.from(csrfTokenFor(runtime, sessionToken));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

interface SessionRow {
  id: string;
  user_id: string;
  expires_at: string;
  last_seen_at: string | null;
  status: string;
  platform_role: 'user' | 'admin';
  email: string;
  name: string;
  organization_id: string | null;
  mfa_enabled: boolean;
}

interface Identity {
  sessionId: string;
  userId: string;
  email: string;
  name: string;
  platformRole: 'user' | 'admin';
  primaryOrganizationId: string | null;
  /** The user has a confirmed second factor (evicted with the user when it changes, see mfa/). */
  mfaEnabled: boolean;
  /** When this process last knew the session used (ms): the touch throttle, shared through the cache. */
  lastSeenAt: number;
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
  device: { ip: string | null; userAgent?: string | null | undefined } = { ip: null },
): Promise<Principal> {
  if (!SESSION_PATTERN.test(token)) throw unauthorized();
  const tokenHash = sha256Hex(token);
  const cacheKey = `s:${tokenHash}`;
  let identity = runtime.principals.get(cacheKey) as Identity | undefined;
  if (!identity) {
    const generation = runtime.principals.generation;
    const [row] = await em.execute<SessionRow[]>(
      `select s.id, s.user_id, s.expires_at, s.last_seen_at, u.status, u.platform_role, u.email, u.name, u.organization_id,
              ${hasFactorSql('u.id')} as mfa_enabled
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
      mfaEnabled: row.mfa_enabled,
      lastSeenAt: row.last_seen_at ? Date.parse(row.last_seen_at) : 0,
    };
    runtime.principals.set(cacheKey, identity, { sessionId: row.id, userId: row.user_id }, generation, expiresAt);
  }
  await touch(em, identity, device);
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
    enforceMfa: membership?.enforceMfa ?? false,
    mfaEnabled: identity.mfaEnabled,
    asPlatform: false,
    apiKey: null,
    sessionId: identity.sessionId,
    serviceAccount: null,
  };
}

/**
 * Records a use of the session and slides its expiry, at most once per SESSION_TOUCH_MS: this process
 * skips the write while the (cached) identity says it was seen lately, and the row's own last_seen_at
 * keeps other processes from writing again within the minute. A failed write fails no request: the
 * session was verified, only its bookkeeping is late.
 */
async function touch(
  em: EntityManager,
  identity: Identity,
  device: { ip: string | null; userAgent?: string | null | undefined },
): Promise<void> {
  const now = Date.now();
  if (now - identity.lastSeenAt < SESSION_TOUCH_MS) return;
  identity.lastSeenAt = now;
  await em
    .execute(
      `update sessions
          set last_seen_at = now(), updated_at = now(),
              expires_at = least(now() + ? * interval '1 millisecond', created_at + ? * interval '1 millisecond'),
              ip = coalesce(?, ip), user_agent = coalesce(?, user_agent)
        where id = ? and revoked_at is null and expires_at > now()
          and (last_seen_at is null or last_seen_at <= now() - ? * interval '1 millisecond')`,
      [SESSION_IDLE_MS, SESSION_MAX_MS, device.ip, deviceOf(device.userAgent), identity.sessionId, SESSION_TOUCH_MS],
    )
    .catch(() => undefined);
}

/**
 * How a new session reaches the caller: as a bearer token, or (`cookie`, a browser on HTTP) set as its
 * HttpOnly cookie, the answer then carrying the session's CSRF token and no token at all.
 */
export function handOver(
  caller: { runtime: Runtime; sessionCookie?: SessionCookieSink | null | undefined },
  session: { sessionToken: string; expiresAt: Date },
  cookie?: boolean,
) {
  if (!cookie) return { sessionToken: session.sessionToken, expiresAt: session.expiresAt };
  caller.sessionCookie?.set(session.sessionToken);
  return {
    cookie: true as const,
    csrfToken: csrfTokenFor(caller.runtime, session.sessionToken),
    expiresAt: session.expiresAt,
  };
}

/** Refused before any work: a cookie can only be set on an HTTP answer. */
export function assertCookieSettable(
  caller: { sessionCookie?: SessionCookieSink | null | undefined },
  cookie?: boolean,
): void {
  if (cookie && !caller.sessionCookie) {
    throw new AppError('BAD_REQUEST', 'A session cookie can only be set over HTTP (/trpc or /api/v1)', {
      field: 'cookie',
    });
  }
}
