import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SignJWT } from 'jose';
import { joinRole } from '../access/sql.js';
import { rolePermissions } from '../core/authorization.js';
import { digestsEqual, sha256Hex } from '../core/crypto.js';
import { AppError, type Reason } from '../core/errors.js';
import { isKnownPermission } from '../core/permissions.js';
import type { Runtime } from '../infra/caller.js';
import { takeAttempt } from '../limits/budgets.js';
import { credentialFailed } from '../limits/guards.js';
import { parseClientSecret } from './format.js';
import { ACCESS_TOKEN_TYPE } from './verify.js';

/** RFC 6749 §5.2 error codes, each with the status the token endpoint answers and the reason tRPC gives. */
const oauthErrors = {
  invalid_request: { status: 400, reason: 'BAD_REQUEST' },
  invalid_client: { status: 401, reason: 'UNAUTHORIZED' },
  unauthorized_client: { status: 400, reason: 'ORGANIZATION_SUSPENDED' },
  unsupported_grant_type: { status: 400, reason: 'BAD_REQUEST' },
  invalid_scope: { status: 400, reason: 'INVALID_SCOPE' },
} as const satisfies Record<string, { status: number; reason: Reason }>;
export type OAuthErrorCode = keyof typeof oauthErrors;

export class OAuthError extends Error {
  override readonly name = 'OAuthError';
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
  ) {
    super(description);
  }
  get status(): number {
    return oauthErrors[this.error].status;
  }
  /** The same refusal as tRPC sees it (organizations.exchangeToken). */
  toAppError(): AppError {
    return new AppError(oauthErrors[this.error].reason, this.description);
  }
}

export interface TokenRequest {
  clientId: string;
  clientSecret: string;
  /** Space-separated permissions: at most what the account's role grants (default: all of it). */
  scope?: string | undefined;
  /** Who the token is for (`aud`): Gatehouse itself unless another service is named. */
  audience?: string | undefined;
  /** organizations.exchangeToken names the organization; a credential of another one is refused. */
  organizationId?: string | undefined;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

interface ClientRow {
  credential_id: string;
  secret_hash: string;
  expires_at: string | null;
  service_account_id: string;
  organization_id: string;
  role: string;
  role_permissions: string[] | null;
  org_status: string;
}

// Compared against when the client id is unknown, so a miss costs what a hit costs.
const DECOY_HASH = sha256Hex('decoy');
const AUDIENCE = /^[\x21-\x7e]{1,200}$/;

/**
 * The client-credentials grant: authenticates a service account's credential and signs an access
 * token for it. Throttled per client id and per source address (counters shared by every process),
 * and failures count towards the per-address credential throttle like bad API keys do.
 */
export async function issueToken(
  ctx: { runtime: Runtime; em: EntityManager; ip: string | null },
  request: TokenRequest,
): Promise<TokenResponse> {
  const { runtime, em, ip } = ctx;
  const parsed = parseClientSecret(request.clientId, request.clientSecret);
  const limits = runtime.tokenRequestLimits;
  await takeAttempt(em, [
    { bucket: `token:ip:${ip ?? '-'}`, max: limits.perAddress, windowSeconds: 60 },
    ...(parsed ? [{ bucket: `token:client:${parsed.clientId}`, max: limits.perClient, windowSeconds: 60 }] : []),
  ]);
  // A failure counts towards the address's credential throttle, as a bad API key does; past it the
  // answer is TOO_MANY_REQUESTS. The check comes first, so a valid client is never refused for others.
  const invalidClient = async () => {
    const counted = await credentialFailed(runtime.throttle, ip, new AppError('UNAUTHORIZED', 'Invalid client'));
    return counted.reason === 'TOO_MANY_REQUESTS'
      ? counted
      : new OAuthError('invalid_client', 'Client authentication failed');
  };
  const [row] = parsed
    ? await em.execute<ClientRow[]>(
        `select c.id as credential_id, c.secret_hash, c.expires_at, sa.id as service_account_id, sa.organization_id,
                sa.role, r.permissions as role_permissions, o.status as org_status
           from service_account_credentials c
           join service_accounts sa on sa.id = c.service_account_id
           join organizations o on o.id = sa.organization_id
           ${joinRole('r', 'sa')}
          where c.client_id = ?`,
        [parsed.clientId],
      )
    : [];
  const matches = digestsEqual(sha256Hex(parsed?.secret ?? request.clientSecret), row?.secret_hash ?? DECOY_HASH);
  if (!row || !parsed || !matches) throw await invalidClient();
  const credentialEnds = row.expires_at ? Date.parse(row.expires_at) : Infinity;
  if (credentialEnds <= Date.now()) throw await invalidClient();
  // Another organization's credential is as unknown as a wrong one: its existence is not revealed.
  if (request.organizationId && request.organizationId !== row.organization_id) throw await invalidClient();
  if (row.org_status === 'suspended') throw new OAuthError('unauthorized_client', 'This organization is suspended');

  const held = rolePermissions(row.role, row.role_permissions);
  const asked = request.scope?.split(' ').filter(Boolean);
  let scope = held;
  if (asked?.length) {
    const beyond = asked.filter((s) => !isKnownPermission(s) || !held.includes(s));
    if (beyond.length) {
      throw new OAuthError('invalid_scope', `The service account does not hold ${beyond.join(', ')}`);
    }
    scope = [...new Set(asked)].filter(isKnownPermission);
  }
  const audience = request.audience ?? runtime.publicUrl;
  if (!AUDIENCE.test(audience)) throw new OAuthError('invalid_request', 'audience must be 1 to 200 visible characters');

  const now = Math.floor(Date.now() / 1000);
  // A token never outlives its credential.
  const exp = Math.min(now + runtime.tokenTtlSeconds, Math.floor(credentialEnds / 1000));
  const { kid, key } = await runtime.signingKeys.signingKey();
  const scopeClaim = scope.join(' ');
  const accessToken = await new SignJWT({ org: row.organization_id, scope: scopeClaim, client_id: parsed.clientId })
    .setProtectedHeader({ alg: 'ES256', kid, typ: ACCESS_TOKEN_TYPE })
    .setIssuer(runtime.publicUrl)
    .setAudience(audience)
    .setSubject(row.service_account_id)
    .setIssuedAt(now)
    .setExpirationTime(exp)
    .setJti(randomBytes(16).toString('base64url'))
    .sign(key);
  runtime.credentialUsage.record(row.credential_id, ip);
  return { access_token: accessToken, token_type: 'Bearer', expires_in: exp - now, scope: scopeClaim };
}
