import type { EntityManager } from '@mikro-orm/postgresql';
import { verifyApiKey } from './api-keys/verify.js';
import { can } from './authorization.js';
import type { Credential } from './context.js';
import { AppError } from './errors.js';
import { membershipOf } from './membership-view.js';
import type { Permission } from './permissions.js';
import type { Principal } from './principal.js';
import type { Runtime } from './runtime.js';
import { isSessionToken, verifySession } from './sessions/sessions.js';
import { credentialFailed } from './throttle/guards.js';

/** Every way a caller proves who they are ends here. Service-account JWTs join later. */
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
    return isSessionToken(credential.token)
      ? await verifySession(runtime, ctx.em, credential.token, ctx.organizationHeader)
      : await verifyApiKey(runtime, ctx.em, credential.token, ip);
  } catch (error) {
    throw error instanceof AppError && error.reason === 'UNAUTHORIZED'
      ? await credentialFailed(runtime.throttle, ip, error)
      : error;
  }
}

/**
 * The principal acting in `organizationId`: an API key only ever in its own organization; a
 * signed-in user in any organization they are a member of. Anything else is NOT_FOUND, so
 * another tenant's existence is never revealed.
 */
export async function principalIn(
  ctx: { runtime: Runtime; em: EntityManager; principal: Principal },
  organizationId: string,
): Promise<Principal> {
  const { principal } = ctx;
  if (principal.organizationId === organizationId) return principal;
  const membership = principal.apiKey
    ? null
    : await membershipOf(ctx.runtime, ctx.em, principal.userId, organizationId);
  if (!membership) throw new AppError('NOT_FOUND', 'Organization not found');
  return { ...principal, organizationId, ...membership };
}

/**
 * For procedures that find the organization through the id of something in it (an invitation, a
 * transaction, a reservation): the principal acting there, if it holds `permission`. An unknown id
 * (`organizationId` undefined) and another organization's are the same NOT_FOUND.
 */
export async function authorizeIn(
  ctx: { runtime: Runtime; em: EntityManager; principal: Principal },
  organizationId: string | undefined,
  permission: Permission,
): Promise<Principal> {
  if (!organizationId) throw new AppError('NOT_FOUND', 'Not found');
  const principal = await principalIn(ctx, organizationId).catch((error: unknown) => {
    throw error instanceof AppError && error.reason === 'NOT_FOUND' ? new AppError('NOT_FOUND', 'Not found') : error;
  });
  if (!can(principal, permission, organizationId)) throw new AppError('FORBIDDEN', `Requires ${permission}`);
  return principal;
}
