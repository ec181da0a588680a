import type { EntityManager } from '@mikro-orm/postgresql';
import { withBindings } from '../access/bindings.js';
import { heldPlatformPermissions } from '../access/reach.js';
import { resolveApiKey } from '../api-keys/verify.js';
import { effectivePermissions } from '../core/authorization.js';
import { AppError } from '../core/errors.js';
import type { Principal } from '../core/principal.js';
import type { Runtime } from '../infra/caller.js';
import { allOf, parseQuery, type Query, satisfies } from './query.js';
import type { TVerifyKeyInput, TVerifyKeyResult } from './schema.js';

export interface Verifier {
  runtime: Runtime;
  em: EntityManager;
  /** The organization whose keys the caller may verify; null: any (platform credentials). */
  verifierOrganizationId: string | null;
}

/**
 * Verifies an API key for one of the integrator's services (the Unkey shape): an answer, never an
 * error, for whatever key it is given. A key of an organization the verifier does not act for is
 * NOT_FOUND like a key that does not exist. It spends `cost` of the key's rate limit and remaining
 * calls exactly as a call made with the key would (before the permission check, as such a call does),
 * so a key's budget is one budget whether it calls Gatehouse or is verified by a service.
 */
export async function verifyKey(ctx: Verifier, input: TVerifyKeyInput): Promise<TVerifyKeyResult> {
  // A bad query is the verifier's mistake, refused before the key is looked at (nothing spent).
  const query: Query | null =
    typeof input.permissions === 'string'
      ? parseQuery(input.permissions)
      : input.permissions
        ? allOf(input.permissions)
        : null;
  const resolved = await resolveApiKey(ctx.runtime, ctx.em, input.key);
  const reaches = (organizationId: string | null) =>
    ctx.verifierOrganizationId === null || organizationId === ctx.verifierOrganizationId;
  if ('failure' in resolved) {
    if (resolved.failure === 'NOT_FOUND' || !reaches(resolved.organizationId))
      return { valid: false, code: 'NOT_FOUND' };
    return { valid: false, code: resolved.failure, ...identity(resolved) };
  }
  const { principal } = resolved;
  if (!reaches(principal.organizationId)) return { valid: false, code: 'NOT_FOUND' };
  const named = identity({
    keyId: resolved.keyId,
    organizationId: principal.organizationId,
    ownerId: principal.userId,
  });
  // A suspended organization's keys, and a deactivated member's, work no more.
  if (principal.barred) return { valid: false, code: 'DISABLED', ...named };
  let usage: Awaited<ReturnType<Runtime['keyLimits']['take']>> = {};
  if (resolved.limits) {
    try {
      usage = await ctx.runtime.keyLimits.take(resolved.limits, input.cost);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.reason === 'TOO_MANY_REQUESTS') return { valid: false, code: 'RATE_LIMITED', ...named };
      if (error.reason === 'KEY_EXHAUSTED') return { valid: false, code: 'USAGE_EXCEEDED', ...named, remaining: 0 };
      throw error;
    }
  }
  ctx.runtime.usage.record(resolved.keyId, null);
  const permissions = await heldBy(ctx, principal);
  const valid = query === null || satisfies(query, new Set(permissions));
  return {
    valid,
    code: valid ? 'VALID' : 'INSUFFICIENT_PERMISSIONS',
    ...named,
    permissions,
    ...(usage.remaining !== undefined ? { remaining: usage.remaining } : {}),
    ...(usage.rateLimit ? { rateLimit: usage.rateLimit } : {}),
  };
}

const identity = (k: { keyId: string; organizationId: string | null; ownerId: string }) => ({
  keyId: k.keyId,
  ...(k.organizationId ? { organizationId: k.organizationId } : {}),
  ownerId: k.ownerId,
});

/**
 * What the key may do: the permissions, built-in and registered, its owner holds in its organization
 * (roles and team bindings) within its scopes. A platform key: the platform permissions of its scopes.
 * Warm, no query (bindings are cached).
 */
async function heldBy(ctx: Verifier, principal: Principal): Promise<string[]> {
  if (principal.apiKey?.platform) return heldPlatformPermissions(principal);
  return effectivePermissions(await withBindings(ctx, principal));
}
