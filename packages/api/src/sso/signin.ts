import { Membership, newId, User } from '@gatehouse/db';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import * as oidc from 'openid-client';
import { defaultName, findUserByEmail, normalizeEmail } from '../accounts/email.js';
import { type Actor, record } from '../core/audit.js';
import { randomString, sha256Hex } from '../core/crypto.js';
import { AppError } from '../core/errors.js';
import { verifiedDomainOf } from '../domains/service.js';
import type { Runtime } from '../infra/caller.js';
import type { GuardedFetch } from '../infra/guarded-fetch.js';
import { transaction } from '../infra/transaction.js';
import { takeAttempt } from '../limits/budgets.js';
import { createSession } from '../sessions/sessions.js';
import type { Discovery } from './discovery.js';
import { addressingError, type SamlMetadata, samlFor } from './saml.js';
import { type ConnectionRow, openSecret } from './service.js';

/** A sign-in under way (state → nonce, PKCE verifier, redirect_uri) lives this long, and is spent once. */
export const SIGN_IN_TTL_MS = 10 * 60_000;
/** The one-time code handed to the redirect_uri lives this long, and is spent once. */
export const SSO_CODE_TTL_MS = 60_000;

export interface SsoRequest {
  em: EntityManager;
  runtime: Runtime;
  ip: string | null;
  requestId: string;
}

export const callbackUrlOf = (runtime: Runtime) => `${runtime.publicUrl}/sso/callback`;

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

const signInRefused = (why: string) => new AppError('BAD_REQUEST', `SSO sign-in refused: ${why}`);

/** redirect_uri: an absolute http(s) URL on the server's own origin or one of GATEHOUSE_ALLOWED_REDIRECT_ORIGINS. */
function checkedRedirectUri(runtime: Runtime, value: string | null): string {
  if (!value) throw signInRefused('redirect_uri is required');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw signInRefused('redirect_uri must be an absolute URL');
  }
  if (value.length > 2048 || url.hash || url.username || url.password || !/^https?:$/.test(url.protocol)) {
    throw signInRefused('redirect_uri must be an http(s) URL without credentials or fragment');
  }
  if (!runtime.sso.redirectOrigins.includes(url.origin)) {
    throw signInRefused(
      `redirect_uri's origin ${url.origin} is not allowed (the server's own, or GATEHOUSE_ALLOWED_REDIRECT_ORIGINS)`,
    );
  }
  return url.toString();
}

/**
 * `GET /sso/{organizationLabel}/start?redirect_uri=`: the URL of the IdP's authorization endpoint for an
 * authorization code flow with PKCE (S256), `state` and `nonce`. What the callback needs to finish is
 * kept in the database (any process may serve the callback) for 10 minutes, under a hash of `state` and
 * `browser`: a secret the starting browser holds in a cookie, so a callback URL carried to another browser
 * finds nothing (no login CSRF: nobody is signed in as someone else by following a link).
 */
export async function startSsoSignIn(
  request: SsoRequest,
  input: { organizationLabel: string; redirectUri: string | null; browser: string },
): Promise<string> {
  const { em, runtime } = request;
  await takeAttempt(em, [{ bucket: `sso-start:ip:${request.ip ?? '-'}`, max: 120, windowSeconds: 600 }]);
  const redirectUri = checkedRedirectUri(runtime, input.redirectUri);
  const [row] = await em.execute<(ConnectionRow & { organization_status: string })[]>(
    `select s.*, o.status as organization_status from sso_connections s join organizations o on o.id = s.organization_id
      where o.label = ?`,
    [input.organizationLabel],
  );
  if (!row) throw new AppError('NOT_FOUND', 'No SSO connection for this organization');
  if (row.organization_status !== 'active')
    throw new AppError('ORGANIZATION_SUSPENDED', 'The organization is suspended');
  const state = oidc.randomState();
  const id = signInKey(state, input.browser);
  if (row.protocol === 'saml') return startSaml(request, row, input.organizationLabel, state, id, redirectUri);
  const nonce = oidc.randomNonce();
  const verifier = oidc.randomPKCECodeVerifier();
  // Spent rows go at once; abandoned ones here, a few at a time.
  await em.execute('delete from sso_logins where id in (select id from sso_logins where expires_at < now() limit 50)');
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

interface LoginRow {
  connection_id: string;
  nonce: string;
  code_verifier_sealed: string;
  redirect_uri: string;
  expired: boolean;
}

/** What the IdP vouched for, after openid-client checked the code exchange, the ID token and its nonce. */
interface Vouched {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
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

const emailNotAllowed = (why: string) =>
  new AppError('SSO_EMAIL_NOT_ALLOWED', `This organization's SSO does not admit this account: ${why}`);

/**
 * Who signs in, in `tx`: the account linked to (connection, issuer, sub) if any; else, just in time, an
 * account for an email the IdP verified on one of the organization's verified domains: a new one (no
 * password, managed by the organization), or an existing one the organization manages, linked. An
 * existing account the organization does not manage is never taken over by its email.
 */
async function provision(
  tx: EntityManager,
  actor: Actor,
  row: ConnectionRow,
  who: Vouched,
): Promise<{ userId: string }> {
  const organizationId = row.organization_id;
  const [linked] = await tx.execute<{ id: string; user_id: string }[]>(
    'select id, user_id from sso_identities where connection_id = ? and issuer = ? and subject = ? for update',
    [row.id, who.issuer, who.subject],
  );
  // Admission (JIT) asks the same of everyone not yet a member: an email the IdP verified, on a verified domain.
  const admissible = async () => {
    if (!who.email) throw emailNotAllowed('the identity provider sent no email');
    if (!who.emailVerified) throw emailNotAllowed(`the identity provider has not verified ${who.email}`);
    if (!(await verifiedDomainOf(tx, organizationId, who.email))) {
      throw emailNotAllowed(`${who.email} is not on one of the organization's verified domains`);
    }
    return who.email;
  };

  let user: User | null;
  if (linked) {
    user = await tx.findOne(User, linked.user_id);
    await tx.execute('update sso_identities set last_login_at = now(), email = ? where id = ?', [who.email, linked.id]);
  } else {
    const email = await admissible();
    user = await findUserByEmail(tx, email);
    if (user && user.managedBy !== organizationId) {
      throw new AppError(
        'SSO_ACCOUNT_NOT_LINKED',
        `An account with ${email} exists and manages itself; its owner signs in with their password (the organization cannot link an account it does not manage)`,
      );
    }
    // Linked to another subject of this IdP already: a new subject never takes over a linked account.
    if (user) {
      const [other] = await tx.execute<{ id: string }[]>(
        'select id from sso_identities where connection_id = ? and user_id = ?',
        [row.id, user.id],
      );
      if (other) {
        throw new AppError(
          'SSO_ACCOUNT_NOT_LINKED',
          `The account with ${email} is linked to another identity at this identity provider`,
        );
      }
    }
    if (!user) {
      user = tx.create(User, {
        id: newId('usr'),
        email,
        name: who.name ?? defaultName(email),
        managedBy: organizationId,
        emailVerified: true,
        organizationId,
      });
      record(tx, actor, {
        organizationId,
        action: 'user.created',
        target: { type: 'user', id: user.id },
        changes: { email: { from: null, to: email }, source: { from: null, to: 'sso' } },
      });
    }
    tx.persist(user);
    await tx.flush();
    await tx.execute(
      `insert into sso_identities (id, connection_id, issuer, subject, user_id, email, created_at, last_login_at)
       values (?, ?, ?, ?, ?, ?, now(), now())`,
      [newId('ssi'), row.id, who.issuer, who.subject, user.id, email],
    );
    record(tx, actor, {
      organizationId,
      action: 'sso.identity_linked',
      target: { type: 'user', id: user.id },
      changes: { issuer: { from: null, to: who.issuer }, subject: { from: null, to: who.subject } },
    });
  }
  if (!user || user.status === 'deactivated' || user.status === 'archived') {
    throw new AppError('FORBIDDEN', 'This account is deactivated');
  }
  // An account the organization made without a password (invited) becomes active by signing in.
  if (user.status === 'invited') user.status = 'active';
  user.emailVerified =
    user.emailVerified || (who.emailVerified && who.email?.toLowerCase() === user.email.toLowerCase());
  user.lastLoginAt = new Date();

  const membership = await tx.findOne(Membership, { organizationId, userId: user.id });
  if (membership && membership.status !== 'active') {
    throw new AppError('MEMBERSHIP_DEACTIVATED', 'Your membership of this organization is deactivated');
  }
  if (!membership) {
    await admissible();
    tx.create(Membership, { id: newId('mem'), organizationId, userId: user.id, role: row.default_role });
    if (!user.organizationId) user.organizationId = organizationId;
    record(tx, actor, {
      organizationId,
      action: 'member.added',
      target: { type: 'user', id: user.id },
      changes: { role: { from: null, to: row.default_role }, source: { from: null, to: 'sso' } },
    });
  }
  await tx.flush();
  return { userId: user.id };
}

/** Where a sign-in is kept: its state and the starting browser's secret, hashed together. */
const signInKey = (state: string, browser: string) => sha256Hex(`${state}.${browser}`);

/**
 * The sign-in `state` names, started by this browser, deleted (once, within 10 minutes), with its
 * connection. Another browser's callback finds nothing and spends nothing.
 */
async function spendSignIn(
  em: EntityManager,
  state: string,
  browser: string | null,
): Promise<{ login: LoginRow & { id: string }; row: ConnectionRow }> {
  if (!browser) throw signInRefused('this browser did not start the sign-in (no sign-in cookie); start again');
  const [login] = await em.execute<(LoginRow & { id: string })[]>(
    `delete from sso_logins where id = ?
     returning id, connection_id, nonce, code_verifier_sealed, redirect_uri, expires_at < now() as expired`,
    [signInKey(state, browser)],
  );
  if (!login || login.expired) throw signInRefused('this sign-in is unknown, already used or expired; start again');
  const [row] = await em.execute<(ConnectionRow & { label: string })[]>(
    'select s.*, o.label from sso_connections s join organizations o on o.id = s.organization_id where s.id = ?',
    [login.connection_id],
  );
  if (!row) throw signInRefused('the SSO connection was disabled meanwhile');
  return { login, row };
}

/**
 * SAML, SP-initiated: an AuthnRequest to the IdP (HTTP-Redirect binding) with `state` as RelayState; the
 * request's ID is kept (in the nonce column) for the response's InResponseTo.
 */
async function startSaml(
  request: SsoRequest,
  row: ConnectionRow,
  label: string,
  state: string,
  id: string,
  redirectUri: string,
): Promise<string> {
  const { em, runtime } = request;
  let requestId: string | undefined;
  const saml = samlFor(runtime, row.metadata as SamlMetadata, label, {
    saveAsync: async (key, value) => {
      requestId = key;
      return { value, createdAt: Date.now() };
    },
    getAsync: async () => null,
    removeAsync: async () => null,
  });
  const url = await saml.getAuthorizeUrlAsync(state, undefined, {});
  if (!requestId) throw new Error('node-saml made an AuthnRequest without an ID');
  await em.execute(
    `insert into sso_logins (id, connection_id, nonce, code_verifier_sealed, redirect_uri, expires_at, created_at)
     values (?, ?, ?, '', ?, ?, now())`,
    [id, row.id, requestId, redirectUri, new Date(Date.now() + SIGN_IN_TTL_MS)],
  );
  return url;
}

/**
 * `POST /sso/callback` (SAML): the IdP's signed response for the sign-in its RelayState names. node-saml
 * checks the assertion's signature against the IdP's certificates, its issuer, audience, validity window
 * and InResponseTo (this sign-in's AuthnRequest); the NameID is the subject. The email comes from the
 * assertion's email attribute (or an email-format NameID), vouched for by the organization's own IdP.
 */
export async function completeSamlSignIn(
  request: SsoRequest,
  form: { SAMLResponse?: string; RelayState?: string },
  browser: string | null,
) {
  const { em, runtime } = request;
  if (!form.RelayState || !form.SAMLResponse) throw signInRefused('SAMLResponse and RelayState are required');
  const { login, row } = await spendSignIn(em, form.RelayState, browser);
  if (row.protocol !== 'saml') throw signInRefused('this sign-in is OIDC: the IdP redirects with a code');
  const metadata = row.metadata as SamlMetadata;
  const saml = samlFor(runtime, metadata, (row as ConnectionRow & { label: string }).label, {
    saveAsync: async () => null,
    getAsync: async (key) => (key === login.nonce ? new Date().toISOString() : null),
    removeAsync: async () => null,
  });
  let profile: Awaited<ReturnType<typeof saml.validatePostResponseAsync>>['profile'];
  try {
    ({ profile } = await saml.validatePostResponseAsync({ SAMLResponse: form.SAMLResponse }));
  } catch (error) {
    throw signInRefused(`the identity provider's answer was refused (${(error as Error).message})`);
  }
  if (!profile?.nameID) throw signInRefused('the assertion names no subject');
  const misaddressed = addressingError(profile, callbackUrlOf(runtime), login.nonce);
  if (misaddressed) throw signInRefused(`the identity provider's answer was refused (${misaddressed})`);
  const attribute = (name: string) => {
    const value = profile?.[name];
    return typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : null;
  };
  const email =
    attribute('email') ??
    attribute('mail') ??
    attribute('urn:oid:0.9.2342.19200300.100.1.3') ??
    (profile.nameIDFormat?.endsWith(':emailAddress') ? profile.nameID : null);
  return finishSignIn(request, row, login, {
    issuer: metadata.entityId,
    subject: profile.nameID,
    email: email ? normalizeEmail(email) : null,
    // A signed assertion of the organization's own IdP: the address is the IdP's to vouch for.
    emailVerified: email !== null,
    name: attribute('displayName') ?? attribute('name'),
  });
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

/** Finds or provisions the account and hands the redirect_uri a one-time code (both protocols). */
async function finishSignIn(request: SsoRequest, row: ConnectionRow, login: LoginRow, who: Vouched): Promise<string> {
  const { em, runtime } = request;
  const actor: Actor = { type: 'system', id: null, ip: request.ip, requestId: request.requestId };
  const code = `ghc_${randomString(43)}`;
  await transaction({ em, runtime }, async (tx, after) => {
    const { userId } = await provision(tx, actor, row, who);
    after.invalidate({ userId });
    await tx.execute(
      `insert into sso_codes (code_hash, user_id, organization_id, expires_at, created_at) values (?, ?, ?, ?, now())`,
      [sha256Hex(code), userId, row.organization_id, new Date(Date.now() + SSO_CODE_TTL_MS)],
    );
  }).catch((error) => {
    // Two callbacks of one new person at once: one made the account; the other starts again.
    throw error instanceof UniqueConstraintViolationException
      ? new AppError('CONFLICT', 'This account was being signed in concurrently; start again')
      : error;
  });
  const target = new URL(login.redirect_uri);
  target.searchParams.set('code', code);
  return target.href;
}

/** auth.exchangeSsoCode: the one-time code from the redirect, for a session (once, within a minute). */
export async function exchangeSsoCode(
  request: SsoRequest,
  input: { code: string },
): Promise<{ sessionToken: string; expiresAt: Date }> {
  await takeAttempt(request.em, [{ bucket: `sso-code:ip:${request.ip ?? '-'}`, max: 60, windowSeconds: 600 }]);
  return transaction(request, async (tx) => {
    await tx.execute("delete from sso_codes where expires_at < now() - interval '1 hour'");
    const [spent] = await tx.execute<{ user_id: string; expired: boolean }[]>(
      `delete from sso_codes c using users u where c.code_hash = ? and u.id = c.user_id
       returning c.user_id, (c.expires_at < now() or u.status <> 'active') as expired`,
      [sha256Hex(input.code)],
    );
    if (!spent || spent.expired) throw new AppError('UNAUTHORIZED', 'Invalid, used or expired sign-in code');
    const session = createSession(tx, spent.user_id, request.ip);
    return { sessionToken: session.sessionToken, expiresAt: session.expiresAt };
  });
}
