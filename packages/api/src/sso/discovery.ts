import { z } from 'zod';
import { AppError } from '../core/errors.js';
import { type GuardedFetch, GuardedFetchError } from '../infra/guarded-fetch.js';
import type { TSsoProtocols } from './schema.js';

const ZEndpoint = z.url({ protocol: /^https?$/ });

/** The fields of an OIDC discovery document Gatehouse uses (others are kept out of the database). */
const ZDiscovery = z.object({
  issuer: z.string(),
  authorization_endpoint: ZEndpoint,
  token_endpoint: ZEndpoint,
  jwks_uri: ZEndpoint,
  userinfo_endpoint: ZEndpoint.optional(),
  registration_endpoint: ZEndpoint.optional(),
  scopes_supported: z.array(z.string()).optional(),
  response_types_supported: z.array(z.string()).optional(),
  code_challenge_methods_supported: z.array(z.string()).optional(),
  token_endpoint_auth_methods_supported: z.array(z.string()).optional(),
  id_token_signing_alg_values_supported: z.array(z.string()).optional(),
  authorization_response_iss_parameter_supported: z.boolean().optional(),
});
export type Discovery = z.infer<typeof ZDiscovery>;

/** Where an issuer publishes its discovery document (OpenID Connect Discovery 1.0 §4). */
export const discoveryUrlOf = (issuer: string) => `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;

const refused = (issuer: string, why: string) =>
  new AppError('BAD_REQUEST', `OIDC discovery of ${issuer} failed: ${why}`, { why });

/** What the guarded fetcher said, in words for the person configuring the connection. */
export function fetchFailure(error: unknown): string {
  if (error instanceof GuardedFetchError) return `${error.reason}: ${error.message}`;
  throw error;
}

/**
 * Fetches `<issuer>/.well-known/openid-configuration` through the guarded fetcher and checks it: the
 * document's issuer is the configured one exactly (anything else is another IdP's, or a mix-up), the
 * authorization, token and JWKS endpoints are there, and PKCE with S256 is supported (or not declared).
 * Every failure is BAD_REQUEST naming what failed.
 */
export async function discover(fetch: GuardedFetch, issuer: string): Promise<Discovery> {
  let body: unknown;
  try {
    const response = await fetch(discoveryUrlOf(issuer), { headers: { accept: 'application/json' } });
    body = response.json();
  } catch (error) {
    if (error instanceof SyntaxError) throw refused(issuer, 'the discovery document is not JSON');
    throw refused(issuer, fetchFailure(error));
  }
  const parsed = ZDiscovery.safeParse(body);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || 'document'))];
    throw refused(issuer, `the discovery document lacks or has an invalid ${fields.join(', ')}`);
  }
  const document = parsed.data;
  if (document.issuer !== issuer) {
    throw refused(issuer, `the discovery document's issuer is ${document.issuer}, not the configured ${issuer}`);
  }
  const methods = document.code_challenge_methods_supported;
  if (methods && !methods.includes('S256')) {
    throw refused(
      issuer,
      `the IdP does not support PKCE with S256 (code_challenge_methods_supported: ${methods.join(', ')})`,
    );
  }
  return document;
}

/**
 * The connection's `protocols`, from its stored discovery document. A SAML connection has no OAuth
 * endpoints: its single sign-on URL stands as the authorization endpoint, the rest are empty.
 */
export function protocolsOf(document: Discovery | { protocol: 'saml'; ssoUrl: string }): TSsoProtocols {
  if ('protocol' in document && document.protocol === 'saml') {
    return {
      oauth2: {
        authorization_endpoint: document.ssoUrl,
        token_endpoint: '',
        jwks_uri: '',
        registration_endpoint: null,
        scopes_supported: null,
        code_challenge_methods_supported: null,
      },
      openid: { userinfo_endpoint: null },
    };
  }
  const oidc = document as Discovery;
  return {
    oauth2: {
      authorization_endpoint: oidc.authorization_endpoint,
      token_endpoint: oidc.token_endpoint,
      jwks_uri: oidc.jwks_uri,
      registration_endpoint: oidc.registration_endpoint ?? null,
      scopes_supported: oidc.scopes_supported ?? null,
      code_challenge_methods_supported: oidc.code_challenge_methods_supported ?? null,
    },
    openid: { userinfo_endpoint: oidc.userinfo_endpoint ?? null },
  };
}

/** Fetches the JWKS (for the connection test): at least one key. */
export async function checkJwks(fetch: GuardedFetch, jwksUri: string): Promise<string> {
  const response = await fetch(jwksUri, { headers: { accept: 'application/json' } });
  const keys = (response.json() as { keys?: unknown }).keys;
  if (!Array.isArray(keys) || keys.length === 0) throw new Error('the JWKS has no keys');
  return `${keys.length} key${keys.length === 1 ? '' : 's'}`;
}
