import type { EntityManager } from '@mikro-orm/postgresql';
import { verifyApiKey } from './api-keys/verify.js';
import type { Credential } from './context.js';
import { AppError } from './errors.js';
import { membershipOf } from './membership-view.js';
import type { Principal } from './principal.js';
import type { Runtime } from './runtime.js';
import { isSessionToken, verifySession } from './sessions/sessions.js';

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
  runtime.failedCredentials.assertAllowed(ip);
  try {
    if (credential.type === 'apiKeyPair') {
      return await verifyApiKey(runtime, ctx.em, `${credential.prefix}_${credential.secret}`, ip);
    }
    return isSessionToken(credential.token)
      ? await verifySession(runtime, ctx.em, credential.token, ctx.organizationHeader)
      : await verifyApiKey(runtime, ctx.em, credential.token, ip);
  } catch (error) {
    if (error instanceof AppError && error.reason === 'UNAUTHORIZED') runtime.failedCredentials.recordFailure(ip);
    throw error;
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
