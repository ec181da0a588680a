import * as oidc from 'openid-client';
import { normalizeEmail } from '../accounts/email.js';
import { AppError } from '../core/errors.js';
import type { Runtime } from '../infra/caller.js';
import type { GuardedFetch } from '../infra/guarded-fetch.js';
import type { Discovery } from './discovery.js';
import { type ConnectionRow, openSecret } from './service.js';
import {
  callbackUrlOf,
  finishSignIn,
  type LoginRow,
  SIGN_IN_TTL_MS,
  type SsoRequest,
  signInRefused,
  spendSignIn,
  type Vouched,
} from './signin.js';

/**
 * openid-client's fetch, through the guarded fetcher: every request to the IdP (token, userinfo, JWKS)
 * is checked like discovery was (no private addresses, bounded, no redirects followed).
 */
function fetchThrough(guarded: GuardedFetch): oidc.CustomFetch {
  return async (url, options) => {
    const body = options.body;
    if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof URLSearchParams)) {
      throw new Error('only string and form bodies are sent to an IdP');
    }
    const response = await guarded(url, {
      method: options.method === 'POST' ? 'POST' : 'GET',
      headers: options.headers,
      ...(body === undefined || body === null ? {} : { body: body.toString() }),
      maxBytes: 256 * 1024,
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (typeof value === 'string') headers.set(name, value);
      else if (Array.isArray(value)) for (const one of value) headers.append(name, one);
    }
    return new Response(new Uint8Array(response.body), { status: response.status, headers });
  };
}

/** The connection as openid-client sees it: its stored discovery, its client, our fetcher. */
function configurationOf(runtime: Runtime, row: ConnectionRow): oidc.Configuration {
  const secret = openSecret(runtime, row);
  const metadata = row.metadata as Discovery;
  const methods = metadata.token_endpoint_auth_methods_supported;
  // client_secret_basic is the default of OAuth 2.0; post only for an IdP that does not take basic.
  const auth =
    methods && !methods.includes('client_secret_basic') && methods.includes('client_secret_post')
      ? oidc.ClientSecretPost(secret)
      : oidc.ClientSecretBasic(secret);
  const config = new oidc.Configuration(metadata as oidc.ServerMetadata, row.client_id, undefined, auth);
  config[oidc.customFetch] = fetchThrough(runtime.fetch);
  // Plain http reaches an issuer only where loopback URLs are allowed (enable refuses it elsewhere).
  if (new URL(row.identifier).protocol === 'http:' && runtime.sso.allowLoopback) oidc.allowInsecureRequests(config);
  return config;
}

/** OIDC: the sign-in row (nonce, sealed PKCE verifier) and the IdP's authorization URL. */
export async function startOidcSignIn(
  request: SsoRequest,
  row: ConnectionRow,
  state: string,
  id: string,
  redirectUri: string,
): Promise<string> {
  const { em, runtime } = request;
  const nonce = oidc.randomNonce();
  const verifier = oidc.randomPKCECodeVerifier();
  await em.execute(
    `insert into sso_logins (id, connection_id, nonce, code_verifier_sealed, redirect_uri, expires_at, created_at)
     values (?, ?, ?, ?, ?, ?, now())`,
    [
      id,
      row.id,
      nonce,
      runtime.sso.secrets.seal(Buffer.from(verifier), `sso-login:${id}`),
      redirectUri,
      new Date(Date.now() + SIGN_IN_TTL_MS),
    ],
  );
  const url = oidc.buildAuthorizationUrl(configurationOf(runtime, row), {
    redirect_uri: callbackUrlOf(runtime),
    scope: 'openid email profile',
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  return url.href;
}

async function vouchedBy(
  runtime: Runtime,
  row: ConnectionRow,
  callback: URL,
  login: LoginRow & { id: string },
  state: string,
) {
  const verifier = runtime.sso.secrets.open(login.code_verifier_sealed, `sso-login:${login.id}`);
  if (!verifier) throw new Error('a sign-in verifier does not open under this deployment secret');
  const config = configurationOf(runtime, row);
  try {
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier.toString(),
      expectedState: state,
      expectedNonce: login.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('no ID token');
    let info: Record<string, unknown> = claims;
    // Many IdPs put email only in userinfo when they issue an access token.
    if (claims.email === undefined && (row.metadata as Discovery).userinfo_endpoint) {
      info = { ...claims, ...(await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)) };
    }
    return {
      issuer: claims.iss,
      subject: claims.sub,
      email: typeof info.email === 'string' ? normalizeEmail(info.email) : null,
      // Only a boolean true (some IdPs send the string "true"; that, too, is an explicit yes).
      emailVerified: info.email_verified === true || info.email_verified === 'true',
      name: typeof info.name === 'string' && info.name.trim() ? info.name.trim().slice(0, 200) : null,
    } satisfies Vouched;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw signInRefused(`the identity provider's answer was refused (${(error as Error).message})`);
  }
}

/**
 * `GET /sso/callback`: spends the sign-in its `state` names (once, within 10 minutes), has openid-client
 * exchange the code (PKCE verifier, nonce, issuer checked), provisions or finds the account, and answers
 * the redirect_uri with a one-time `code` (stored hashed, a minute, once) for auth.exchangeSsoCode.
 */
export async function completeSsoSignIn(
  request: SsoRequest,
  search: URLSearchParams,
  browser: string | null,
): Promise<string> {
  const { em, runtime } = request;
  const state = search.get('state');
  if (!state) throw signInRefused('state is missing');
  const { login, row } = await spendSignIn(em, state, browser);
  if (row.protocol !== 'oidc') throw signInRefused('this sign-in is SAML: the IdP posts its answer');
  const callback = new URL(callbackUrlOf(runtime));
  callback.search = search.toString();
  return finishSignIn(request, row, login, await vouchedBy(runtime, row, callback, login, state));
}
