import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../core/errors.js';
import { knownPermissions } from '../core/permissions.js';
import type { Runtime } from '../infra/caller.js';
import { issueToken, OAuthError, type TokenRequest } from './issue.js';
import { TOKEN_ALGORITHM } from './signing-keys.js';

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** RFC 6749 §2.3.1: both halves of HTTP Basic are form-urlencoded before they are joined. */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw new OAuthError('invalid_client', 'Malformed HTTP Basic credentials');
  }
}

/** Client authentication and parameters from an RFC 6749 token request; OAuthError if malformed. */
export async function readTokenRequest(request: Request): Promise<TokenRequest> {
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded');
  }
  const form = new URLSearchParams(await request.text());
  const one = (name: string): string | undefined => {
    const values = form.getAll(name);
    if (values.length > 1) throw new OAuthError('invalid_request', `${name} must not be repeated`);
    return values[0];
  };
  const grantType = one('grant_type');
  if (!grantType) throw new OAuthError('invalid_request', 'grant_type is required');
  if (grantType !== 'client_credentials') {
    throw new OAuthError('unsupported_grant_type', 'Only the client_credentials grant is supported');
  }
  let clientId = one('client_id');
  let clientSecret = one('client_secret');
  const authorization = request.headers.get('authorization');
  const basic = authorization?.match(/^basic\s+(\S+)$/i)?.[1];
  if (authorization && !basic)
    throw new OAuthError('invalid_client', 'Only HTTP Basic client authentication is supported');
  if (basic) {
    if (clientSecret !== undefined) {
      throw new OAuthError('invalid_request', 'Authenticate the client one way: HTTP Basic or the form, not both');
    }
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new OAuthError('invalid_client', 'Malformed HTTP Basic credentials');
    const basicId = formDecode(decoded.slice(0, colon));
    if (clientId !== undefined && clientId !== basicId) throw new OAuthError('invalid_request', 'Two client ids given');
    clientId = basicId;
    clientSecret = formDecode(decoded.slice(colon + 1));
  }
  if (!clientId || !clientSecret) throw new OAuthError('invalid_client', 'Client authentication is required');
  return { clientId, clientSecret, scope: one('scope'), audience: one('audience') };
}

/** `POST /oauth/token`: the client-credentials grant, answered and refused as RFC 6749 says. */
export async function handleTokenRequest(
  runtime: Runtime,
  request: Request,
  ip: string | null,
  em: EntityManager = runtime.orm.em.fork(),
): Promise<Response> {
  try {
    return json(200, await issueToken({ runtime, em, ip }, await readTokenRequest(request)), NO_STORE);
  } catch (error) {
    if (error instanceof OAuthError) {
      // RFC 6749 §5.2: a 401 names the authentication scheme to use.
      const challenge: Record<string, string> =
        error.error === 'invalid_client' ? { 'www-authenticate': 'Basic realm="gatehouse"' } : {};
      return json(
        error.status,
        { error: error.error, error_description: error.description },
        { ...NO_STORE, ...challenge },
      );
    }
    if (error instanceof AppError && error.reason === 'TOO_MANY_REQUESTS') {
      const retryAfter = String(error.details?.retryAfterSeconds ?? 60);
      return json(
        429,
        { error: 'too_many_requests', error_description: error.message },
        { ...NO_STORE, 'retry-after': retryAfter },
      );
    }
    throw error;
  }
}

/** `/.well-known/jwks.json`: the current and still-live previous public keys; verifiers refetch on an unknown kid. */
export async function jwksResponse(runtime: Runtime): Promise<Response> {
  // The access tokens' keys, and the Ed25519 key that signs `v1a,` webhook deliveries (its own kid).
  const { keys } = await runtime.signingKeys.jwks();
  return json(200, { keys: [...keys, runtime.webhookKey.jwk] }, { 'cache-control': 'public, max-age=300' });
}

/** `/.well-known/oauth-authorization-server` (RFC 8414). */
export function authorizationServerMetadata(runtime: Runtime): Response {
  const issuer = runtime.publicUrl;
  return json(
    200,
    {
      issuer,
      token_endpoint: `${issuer}/oauth/token`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      response_types_supported: [],
      scopes_supported: knownPermissions(),
      // RFC 9068 access tokens.
      access_token_signing_alg_values_supported: [TOKEN_ALGORITHM],
    },
    { 'cache-control': 'public, max-age=3600' },
  );
}
