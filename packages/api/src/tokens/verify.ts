import type { EntityManager } from '@mikro-orm/postgresql';
import { errors, type JWTPayload, jwtVerify } from 'jose';
import { barredBy } from '../access/membership.js';
import { joinRole } from '../access/sql.js';
import { rolePermissions } from '../core/authorization.js';
import { sha256Hex } from '../core/crypto.js';
import { AppError } from '../core/errors.js';
import { isKnownPermission } from '../core/permissions.js';
import type { Principal } from '../core/principal.js';
import type { Runtime } from '../infra/caller.js';
import { TOKEN_ALGORITHM } from './signing-keys.js';

/** The `typ` of our access tokens (RFC 9068): no other JWT (an ID token, say) passes as one. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** A compact JWS: three base64url parts, the header starting `{"` (eyJ). Keys and sessions never look so. */
export const isAccessToken = (token: string) => token.startsWith('eyJ') && token.split('.').length === 3;

export interface AccessTokenClaims extends JWTPayload {
  sub: string;
  org: string;
  scope: string;
  client_id: string;
  jti: string;
}

interface CredentialRow {
  credential_id: string;
  expires_at: string | null;
  service_account_id: string;
  organization_id: string;
  name: string;
  role: string;
  role_permissions: string[] | null;
  organization_name: string;
  org_status: string;
}

/** What is cached per credential: the account as it stands, without the token's scope. */
interface Holder {
  base: Omit<Principal, 'serviceAccount'>;
  credentialId: string;
  serviceAccountId: string;
}

const unauthorized = (message = 'Invalid access token') => new AppError('UNAUTHORIZED', message);

/**
 * Verifies a service account's access token on Gatehouse: the signature by a published key (ES256
 * only, so `alg: none` and HS256-with-the-public-key are refused), issuer, audience (Gatehouse
 * itself), type and expiry; then that its credential and account still exist. That check is cached
 * per process like API keys and evicted everywhere by NOTIFY when either is deleted, so a deleted
 * account's or credential's tokens are refused at once though they have not expired.
 */
export async function verifyAccessToken(runtime: Runtime, em: EntityManager, token: string): Promise<Principal> {
  // A token verified once is remembered until it expires (keyed by its hash, like API keys): its
  // signature cannot change, and what can (the account, the credential) is checked on every call below.
  const cacheKey = `t:${sha256Hex(token)}`;
  let claims = (runtime.principals.get(cacheKey) as { claims: AccessTokenClaims } | undefined)?.claims;
  if (!claims) {
    const generation = runtime.principals.generation;
    claims = await verifySignature(runtime, token);
    // Never past its exp: the cache drops an entry at its validUntil.
    runtime.principals.set(cacheKey, { claims }, {}, generation, (claims.exp ?? 0) * 1000);
  }
  const holder = await holderOf(runtime, em, claims.client_id);
  if (!holder || holder.serviceAccountId !== claims.sub || holder.base.organizationId !== claims.org) {
    throw unauthorized('Access token revoked: its service account or credential no longer exists');
  }
  return {
    ...holder.base,
    serviceAccount: {
      id: holder.serviceAccountId,
      credentialId: holder.credentialId,
      clientId: claims.client_id,
      scopes: String(claims.scope).split(' ').filter(isKnownPermission),
      tokenId: claims.jti,
    },
  };
}

async function verifySignature(runtime: Runtime, token: string): Promise<AccessTokenClaims> {
  try {
    const { payload } = await jwtVerify<AccessTokenClaims>(
      token,
      async (header) => {
        const key = header.kid ? await runtime.signingKeys.publicKey(header.kid) : undefined;
        if (!key) throw unauthorized('Access token signed by an unknown key');
        return key;
      },
      {
        algorithms: [TOKEN_ALGORITHM],
        issuer: runtime.publicUrl,
        audience: runtime.publicUrl,
        typ: ACCESS_TOKEN_TYPE,
        requiredClaims: ['sub', 'org', 'scope', 'client_id', 'jti', 'iat', 'exp'],
      },
    );
    return payload;
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (error instanceof errors.JWTExpired) throw unauthorized('Access token expired');
    throw unauthorized();
  }
}

async function holderOf(runtime: Runtime, em: EntityManager, clientId: string): Promise<Holder | null> {
  const cacheKey = `c:${clientId}`;
  const cached = runtime.principals.get(cacheKey) as { holder: Holder | null } | undefined;
  if (cached) return cached.holder;
  const generation = runtime.principals.generation;
  const [row] = await em.execute<CredentialRow[]>(
    `select c.id as credential_id, c.expires_at, sa.id as service_account_id, sa.organization_id, sa.name, sa.role,
            r.permissions as role_permissions, o.name as organization_name, o.status as org_status
       from service_account_credentials c
       join service_accounts sa on sa.id = c.service_account_id
       join organizations o on o.id = sa.organization_id
       ${joinRole('r', 'sa')}
      where c.client_id = ?`,
    [clientId],
  );
  // An expired credential's tokens stop with it (a token never outlives its credential anyway).
  const validUntil = row?.expires_at ? Date.parse(row.expires_at) : Infinity;
  if (!row || validUntil <= Date.now()) return null;
  const holder: Holder = {
    credentialId: row.credential_id,
    serviceAccountId: row.service_account_id,
    base: {
      kind: 'serviceAccount',
      userId: row.service_account_id,
      email: '',
      name: row.name,
      platformRole: 'user',
      organizationId: row.organization_id,
      organizationName: row.organization_name,
      role: row.role,
      rolePermissions: rolePermissions(row.role, row.role_permissions),
      barred: barredBy(row.org_status, 'active'),
      asPlatform: false,
      apiKey: null,
      sessionId: null,
    },
  };
  runtime.principals.set(
    cacheKey,
    { holder },
    { serviceAccountId: row.service_account_id, credentialId: row.credential_id, organizationId: row.organization_id },
    generation,
    validUntil,
  );
  return holder;
}
