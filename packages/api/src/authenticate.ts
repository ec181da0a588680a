import type { EntityManager } from '@mikro-orm/postgresql';
import { verifyApiKey } from './api-keys/verify.js';
import { can, canAsPlatform } from './authorization.js';
import type { Credential } from './context.js';
import { AppError } from './errors.js';
import { membershipOf } from './membership-view.js';
import { isPlatformOnly, type Permission, type PlatformPermission, platformPermissions } from './permissions.js';
import type { Principal } from './principal.js';
import type { Runtime } from './runtime.js';
import { isSessionToken, verifySession } from './sessions/sessions.js';
import { credentialFailed } from './throttle/guards.js';
import { isAccessToken, verifyAccessToken } from './tokens/verify.js';

/** Every way a caller proves who they are ends here: API keys, sessions and service accounts' access tokens. */
export async function authenticate(ctx: {
  runtime: Runtime;
  em: EntityManager;
  credential: Credential | null;
  organizationHeader: string | null;
  ip: string | null;
}): Promise<Principal> {
  const { credential, runtime, ip } = ctx;
  if (!credential) throw new AppError('UNAUTHORIZED', 'Missing credentials');
  // The credential is checked first and only a failure counts: a valid one is never refused.
  try {
    if (credential.type === 'apiKeyPair') {
      return await verifyApiKey(runtime, ctx.em, `${credential.prefix}_${credential.secret}`, ip);
    }
    if (isAccessToken(credential.token)) return await verifyAccessToken(runtime, ctx.em, credential.token);
    return isSessionToken(credential.token)
      ? await verifySession(runtime, ctx.em, credential.token, ctx.organizationHeader)
      : await verifyApiKey(runtime, ctx.em, credential.token, ip);
  } catch (error) {
    throw error instanceof AppError && error.reason === 'UNAUTHORIZED'
      ? await credentialFailed(runtime.throttle, ip, error)
      : error;
  }
}

const BARRED_MESSAGES = {
  ORGANIZATION_SUSPENDED: 'This organization is suspended',
  MEMBERSHIP_DEACTIVATED: 'Your membership in this organization is deactivated',
} as const;

/** A suspended organization's members and keys, and a deactivated member, act in it no more. */
export function assertNotBarred(principal: Principal): void {
  if (principal.barred) throw new AppError(principal.barred, BARRED_MESSAGES[principal.barred]);
}

/**
 * The principal acting in `organizationId` as a member: an API key only ever in its own organization;
 * a signed-in user in any organization they are a member of. Anything else is NOT_FOUND, so
 * another tenant's existence is never revealed.
 */
export async function principalIn(
  ctx: { runtime: Runtime; em: EntityManager; principal: Principal },
  organizationId: string,
): Promise<Principal> {
  const { principal } = ctx;
  if (principal.organizationId === organizationId && !principal.asPlatform) {
    assertNotBarred(principal);
    return principal;
  }
  // Keys and service accounts act in their own organization only.
  const membership =
    principal.apiKey || principal.serviceAccount
      ? null
      : await membershipOf(ctx.runtime, ctx.em, principal.userId, organizationId);
  if (!membership) throw new AppError('NOT_FOUND', 'Organization not found');
  const acting: Principal = { ...principal, organizationId, asPlatform: false, ...membership };
  assertNotBarred(acting);
  return acting;
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
