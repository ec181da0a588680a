import type { EntityManager } from '@mikro-orm/postgresql';
import { bindingsOf, withBindings } from '../access/bindings.js';
import { assertMayAct, barredBy, membershipOf } from '../access/membership.js';
import { verifyApiKey } from '../api-keys/verify.js';
import { can, canAsPlatform } from '../core/authorization.js';
import { AppError } from '../core/errors.js';
import { isPlatformOnly, type Permission, type PlatformPermission, platformPermissions } from '../core/permissions.js';
import type { Principal } from '../core/principal.js';
import type { Runtime } from '../infra/caller.js';
import { credentialFailed } from '../limits/guards.js';
import { csrfTokenMatches, isSessionToken, verifySession } from '../sessions/sessions.js';
import { isAccessToken, verifyAccessToken } from '../tokens/verify.js';
import type { Credential } from './context.js';

/**
 * Every way a caller proves who they are ends here: API keys, sessions and service accounts' access
 * tokens. The organization the request names (X-Gatehouse-Organization; a REST path's) holds for every
 * kind: a session acts there if a member (verifySession), a key or a token only if bound there.
 * Anything else is NOT_FOUND, and only once the credential is verified: a forged one hears UNAUTHORIZED.
 */
export async function authenticate(ctx: {
  runtime: Runtime;
  em: EntityManager;
  credential: Credential | null;
  organizationHeader: string | null;
  ip: string | null;
  userAgent?: string | null;
  /** The procedure changes state: a cookie must pass the CSRF check for it. */
  mutation?: boolean;
}): Promise<Principal> {
  const principal = await verify(ctx);
  if (ctx.organizationHeader && principal.organizationId !== ctx.organizationHeader) {
    throw new AppError('NOT_FOUND', 'Organization not found');
  }
  return principal;
}

async function verify(ctx: Parameters<typeof authenticate>[0]): Promise<Principal> {
  const { credential, runtime, ip } = ctx;
  if (!credential) throw new AppError('UNAUTHORIZED', 'Missing credentials');
  // Judged before the session is looked up: a forged request learns nothing of the cookie's session.
  if (credential.type === 'cookie') assertCookieAllowed(runtime, credential, ctx.mutation ?? true);
  // The credential is checked first and only a failure counts: a valid one is never refused.
  try {
    if (credential.type === 'apiKeyPair') {
      return await verifyApiKey(runtime, ctx.em, `${credential.prefix}_${credential.secret}`, ip);
    }
    // A cookie carries a session and nothing else.
    const cookie = credential.type === 'cookie';
    if (!cookie && isAccessToken(credential.token)) return await verifyAccessToken(runtime, ctx.em, credential.token);
    return cookie || isSessionToken(credential.token)
      ? await verifySession(runtime, ctx.em, credential.token, ctx.organizationHeader, {
          ip,
          userAgent: ctx.userAgent,
        })
      : await verifyApiKey(runtime, ctx.em, credential.token, ip);
  } catch (error) {
    throw error instanceof AppError && error.reason === 'UNAUTHORIZED'
      ? await credentialFailed(runtime.throttle, ip, error)
      : error;
  }
}

/**
 * A session cookie is a browser's ambient credential, sent whoever made the page: it is never taken
 * from a page of another site, and a request that changes state must also show it comes from our own
 * origin (Origin or Sec-Fetch-Site) and carry the session's CSRF token, which only our pages can read
 * (auth.whoami). Anything less is FORBIDDEN CSRF.
 */
function assertCookieAllowed(
  runtime: Runtime,
  credential: Extract<Credential, { type: 'cookie' }>,
  mutation: boolean,
): void {
  if (credential.site === 'cross-site') {
    throw new AppError('CSRF', 'A session cookie is not accepted from a page of another origin');
  }
  if (!mutation && !credential.unsafeMethod) return;
  if (credential.site !== 'same-origin') {
    throw new AppError('CSRF', 'A change made with a session cookie must come from a page of this origin');
  }
  if (!csrfTokenMatches(runtime, credential.token, credential.csrf)) {
    throw new AppError('CSRF', "A change made with a session cookie needs the session's X-Gatehouse-CSRF token");
  }
}

/**
 * The principal acting in `organizationId` as a member, with its team and project bindings there: an
 * API key only ever in its own organization; a signed-in user in any organization they are a member
 * of, or (with `external`, for project procedures) one where they collaborate on a project. Anything
 * else is NOT_FOUND, so another tenant's existence is never revealed.
 */
export async function principalIn(
  ctx: { runtime: Runtime; em: EntityManager; principal: Principal },
  organizationId: string,
  { external = false } = {},
): Promise<Principal> {
  const { principal } = ctx;
  if (principal.organizationId === organizationId && !principal.asPlatform) {
    assertMayAct(principal);
    return withBindings(ctx, principal);
  }
  // Keys and service accounts act in their own organization only.
  const byCredential = principal.apiKey || principal.serviceAccount;
  const membership = byCredential ? null : await membershipOf(ctx.runtime, ctx.em, principal.userId, organizationId);
  const acting: Principal | null = membership
    ? { ...principal, organizationId, asPlatform: false, ...membership }
    : external && !byCredential
      ? await externalIn(ctx, organizationId)
      : null;
  if (!acting) throw new AppError('NOT_FOUND', 'Organization not found');
  assertMayAct(acting);
  return withBindings(ctx, acting);
}

/** A signed-in user who is no member of the organization but collaborates on its projects: no role there. */
async function externalIn(
  ctx: { runtime: Runtime; em: EntityManager; principal: Principal },
  organizationId: string,
): Promise<Principal | null> {
  const bindings = await bindingsOf(ctx.runtime, ctx.em, organizationId, ctx.principal.userId);
  if (bindings.length === 0) return null;
  const [row] = await ctx.em.execute<{ name: string; status: string }[]>(
    'select name, status from organizations where id = ?',
    [organizationId],
  );
  if (!row) return null;
  return {
    ...ctx.principal,
    organizationId,
    organizationName: row.name,
    role: null,
    rolePermissions: [],
    barred: barredBy(row.status, 'active'),
    // A collaborator is no member: the organization's member rules (enforceMfa) are not theirs.
    enforceMfa: false,
    asPlatform: false,
    bindings,
  };
}

/**
 * A platform admin acting on an organization with a platform permission, member or not (audited with
 * `actor.platform`). NOT_FOUND when the organization does not exist.
 */
async function platformPrincipalIn(
  ctx: { em: EntityManager; principal: Principal },
  organizationId: string,
): Promise<Principal> {
  const [row] = await ctx.em.execute<{ name: string }[]>('select name from organizations where id = ?', [
    organizationId,
  ]);
  if (!row) throw new AppError('NOT_FOUND', 'Organization not found');
  return {
    ...ctx.principal,
    organizationId,
    organizationName: row.name,
    role: null,
    rolePermissions: [],
    barred: null,
    enforceMfa: false,
    asPlatform: true,
  };
}

/**
 * The one gate for acting in an organization: the principal acting there, if it holds `permission`
 * (FORBIDDEN otherwise). Used by orgProcedure with the input's organizationId, and by procedures that
 * find the organization through the id of something in it (an invitation, a transaction, a
 * reservation), for which an unknown id (`organizationId` undefined) and another organization's are
 * the same NOT_FOUND. The platform-only permissions reach any organization with platform credentials.
 */
export async function authorizeIn(
  ctx: { runtime: Runtime; em: EntityManager; principal: Principal },
  organizationId: string | undefined,
  permission: Permission,
  notFound = 'Not found',
): Promise<Principal> {
  if (!organizationId) throw new AppError('NOT_FOUND', notFound);
  // Whatever was not found (the organization, a membership), the caller hears the same `notFound`.
  const renamed = (error: unknown): never => {
    throw error instanceof AppError && error.reason === 'NOT_FOUND' ? new AppError('NOT_FOUND', notFound) : error;
  };
  if (isPlatformOnly(permission) && canAsPlatform(ctx.principal, permission)) {
    return platformPrincipalIn(ctx, organizationId).catch(renamed);
  }
  const principal = await principalIn(ctx, organizationId).catch(renamed);
  if (!can(principal, permission, organizationId)) {
    throw new AppError(isPlatformOnly(permission) ? 'PLATFORM_ONLY' : 'FORBIDDEN', `Requires ${permission}`);
  }
  return principal;
}

/**
 * The gate for acting on one project of an organization: the principal acting there (members, and
 * external collaborators of its projects), if it holds `permission` on the project. A project the
 * caller cannot even read is NOT_FOUND: an external collaborator learns nothing of the others.
 */
export async function authorizeOn(
  ctx: { runtime: Runtime; em: EntityManager; principal: Principal },
  organizationId: string,
  projectId: string,
  permission: Permission,
): Promise<Principal> {
  const principal = await principalIn(ctx, organizationId, { external: true });
  if (!can(principal, permission, organizationId, projectId)) {
    if (!can(principal, 'projects:read', organizationId, projectId))
      throw new AppError('NOT_FOUND', 'Project not found');
    throw new AppError('FORBIDDEN', `Requires ${permission}`);
  }
  return principal;
}

/**
 * The platform router's gate: a platform admin's session or platform key, scoped to `permission` (null:
 * any of the platform permissions will do; the procedure checks what it hands out).
 */
export function assertPlatform(principal: Principal, permission: PlatformPermission | null): Principal {
  const allowed = permission
    ? canAsPlatform(principal, permission)
    : platformPermissions.some((p) => canAsPlatform(principal, p));
  if (!allowed) throw new AppError('FORBIDDEN', `Requires ${permission ?? 'a platform admin'}`);
  return { ...principal, asPlatform: true };
}
