// SSO sign-in (issue 28, OIDC) against a real OpenID provider (oidc-provider, oidc-rig.ts) on loopback:
// GET /sso/{label}/start → the provider's login and consent (its devInteractions, driven over HTTP with a
// cookie jar) → GET /sso/callback → the redirect_uri with a one-time code → auth.exchangeSsoCode. What was
// (not) created is read from the tables.
import {
  callerFor,
  loopbackOnly,
  ownerWithKey,
  refusalOf,
  seedAccounts,
  seedDomain,
  seedMailedToken,
  startTestRuntime,
  tokenOf,
  useTestRuntime,
} from '@gatehouse/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFor } from './app.js';
import { bearer } from './hostile/http.js';
import { OIDC_CLIENT as CLIENT, startOidcProvider, type TestIdp, throughIdp } from './oidc-rig.js';

const violations = loopbackOnly();
const APP = 'http://app.test';
const env = useTestRuntime({ allowLoopbackUrls: true, allowedRedirectOrigins: [APP] });
const orm = () => env.db.orm;

let idp: TestIdp;
let issuer = '';
/** The provider's accounts: sub → the claims it asserts. */
let accounts: TestIdp['accounts'];
beforeAll(async () => {
  idp = await startOidcProvider();
  issuer = idp.issuer;
  accounts = idp.accounts;
});
afterAll(() => idp.close());

let app: ReturnType<typeof appFor>;
beforeAll(() => {
  app = appFor(env.runtime);
});

const anonymous = () => callerFor(env.runtime, {});

/** A new organization with a verified domain (and a pending one) and an SSO connection to the provider. */
async function organization(options: { ssoRequired?: boolean } = {}) {
  const owner = await ownerWithKey(orm());
  const verified = (await seedDomain(orm(), owner.organizationId, 'verified')).domain;
  const pending = (await seedDomain(orm(), owner.organizationId, 'pending')).domain;
  const [row] = await orm()
    .em.fork()
    .execute<{ label: string }[]>('select label from organizations where id = ?', [owner.organizationId]);
  const owners = callerFor(env.runtime, bearer(owner.key));
  const connection = await owners.sso.enable({
    organizationId: owner.organizationId,
    identifier: issuer,
    clientId: CLIENT.id,
    clientSecret: CLIENT.secret,
    defaultRole: 'viewer',
    ssoRequired: options.ssoRequired ?? false,
  });
  return { ...owner, label: row?.label as string, verified, pending, connection, owners };
}

let subjects = 0;
/** A new person at the provider. */
function person(claims: Record<string, unknown>): string {
  const sub = `person-${++subjects}`;
  accounts.set(sub, claims);
  return sub;
}

/**
 * Starts at Gatehouse and follows the provider's redirects, signing in as `sub` and consenting, up to
 * the redirect back to Gatehouse's callback: returns that callback's path and query (not yet called).
 */
/** The callback the IdP sends the browser to, and the sign-in cookie that browser holds. */
interface Trip {
  path: string;
  /** The `cookie` header the starting browser sends to the callback. */
  cookie: string;
  browser: string;
}

/** GET /sso/{label}/start as a browser: the IdP's URL and the sign-in cookie it was given. */
async function start(label: string, redirectUri = `${APP}/signed-in`) {
  const response = await app.request(`/sso/${label}/start?redirect_uri=${encodeURIComponent(redirectUri)}`);
  expect(response.status, await response.clone().text()).toBe(302);
  const setCookie = response.headers.get('set-cookie') as string;
  expect(setCookie).toMatch(
    /^gatehouse_sso=[0-9A-Za-z]{43}; Path=\/sso\/callback; Max-Age=600; HttpOnly; SameSite=Lax$/,
  );
  const browser = (setCookie.split(';')[0] as string).split('=')[1] as string;
  return { location: response.headers.get('location') as string, cookie: `gatehouse_sso=${browser}`, browser };
}

async function throughProvider(label: string, sub: string, redirectUri = `${APP}/signed-in`): Promise<Trip> {
  const begun = await start(label, redirectUri);
  const trip = (path: string): Trip => ({ path, cookie: begun.cookie, browser: begun.browser });
  expect(begun.location.startsWith(`${issuer}/auth?`)).toBe(true);
  return trip(await throughIdp(begun.location, sub));
}

/** The callback's answer: where it redirects (with the code), or its refusal as `code:reason`. */
async function callback({
  path,
  cookie,
}: Pick<Trip, 'path' | 'cookie'>): Promise<{ redirect?: URL; refusal?: string }> {
  const response = await app.request(path, { headers: cookie ? { cookie } : {} });
  if (response.status === 302) return { redirect: new URL(response.headers.get('location') as string) };
  const body = (await response.json()) as { code: string; reason: string };
  return { refusal: `${body.code}:${body.reason}` };
}

async function signIn(label: string, sub: string) {
  const { redirect, refusal } = await callback(await throughProvider(label, sub));
  if (refusal) return { refusal };
  return { redirect: redirect as URL, code: redirect?.searchParams.get('code') as string };
}

async function tablesFor(email: string, organizationId: string) {
  const em = orm().em.fork();
  const users = await em.execute<{ id: string; password_hash: string | null; managed_by: string | null }[]>(
    'select id, password_hash, managed_by, email_verified from users where lower(email) = lower(?)',
    [email],
  );
  const identities = await em.execute<{ user_id: string; issuer: string; subject: string }[]>(
    `select i.user_id, i.issuer, i.subject from sso_identities i join sso_connections s on s.id = i.connection_id
      where s.organization_id = ?`,
    [organizationId],
  );
  const members = await em.execute<{ user_id: string; role: string }[]>(
    'select m.user_id, m.role from memberships m join users u on u.id = m.user_id where m.organization_id = ? and lower(u.email) = lower(?)',
    [organizationId, email],
  );
  return { users, identities, members };
}

describe('SSO sign-in over OIDC', () => {
  it('just in time: an email the IdP verified on a verified domain gets an account, a membership and a session', async () => {
    const org = await organization();
    const email = `Alice@${org.verified}`;
    const sub = person({ email, email_verified: true, name: 'Alice Example' });
    const first = await signIn(org.label, sub);
    expect(first.redirect?.origin).toBe(APP);
    expect(first.redirect?.pathname).toBe('/signed-in');
    expect(first.code).toMatch(/^ghc_/);
    // Never a token in the URL: only the one-time code.
    expect(first.redirect?.href).not.toMatch(/ghs_/);

    const session = tokenOf(await anonymous().auth.exchangeSsoCode({ code: first.code as string }));
    expect(session.sessionToken).toMatch(/^ghs_/);
    const me = await callerFor(env.runtime, bearer(session.sessionToken)).auth.whoami();
    expect(me).toMatchObject({ email, name: 'Alice Example', organization: { id: org.organizationId } });
    expect(me.roles).toEqual(['viewer']);
    const tables = await tablesFor(email, org.organizationId);
    expect(tables.users).toEqual([
      expect.objectContaining({ password_hash: null, managed_by: org.organizationId, email_verified: true }),
    ]);
    expect(tables.identities).toEqual([{ user_id: tables.users[0]?.id, issuer, subject: sub }]);
    expect(tables.members).toEqual([{ user_id: tables.users[0]?.id, role: 'viewer' }]);

    // The code works once.
    expect(await refusalOf(anonymous().auth.exchangeSsoCode({ code: first.code as string }))).toBe(
      'UNAUTHORIZED:UNAUTHORIZED',
    );
    // Signing in again finds the same account by (connection, issuer, sub).
    const again = await signIn(org.label, sub);
    // A cookie is set only on an HTTP answer: asked of a direct caller, refused before the code is spent.
    expect(await refusalOf(anonymous().auth.exchangeSsoCode({ code: again.code as string, cookie: true }))).toBe(
      'BAD_REQUEST:BAD_REQUEST',
    );
    tokenOf(await anonymous().auth.exchangeSsoCode({ code: again.code as string }));
    const after = await tablesFor(email, org.organizationId);
    expect(after.users.map((u) => u.id)).toEqual(tables.users.map((u) => u.id));
    expect(after.identities).toHaveLength(1);
    const audit = await orm()
      .em.fork()
      .execute<{ action: string }[]>('select action from audit_events where organization_id = ? order by id', [
        org.organizationId,
      ]);
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['sso.enabled', 'user.created', 'sso.identity_linked', 'member.added']),
    );
  });

  it('refuses an email on a domain that is not verified, or that the IdP has not verified, and creates nothing', async () => {
    const org = await organization();
    const pendingEmail = `bob@${org.pending}`;
    const onPending = await signIn(org.label, person({ email: pendingEmail, email_verified: true }));
    expect(onPending.refusal).toBe('FORBIDDEN:SSO_EMAIL_NOT_ALLOWED');
    expect(await tablesFor(pendingEmail, org.organizationId)).toEqual({ users: [], identities: [], members: [] });

    const unverifiedEmail = `carol@${org.verified}`;
    const unverified = await signIn(org.label, person({ email: unverifiedEmail, email_verified: false }));
    expect(unverified.refusal).toBe('FORBIDDEN:SSO_EMAIL_NOT_ALLOWED');
    expect(await tablesFor(unverifiedEmail, org.organizationId)).toEqual({ users: [], identities: [], members: [] });

    const silent = await signIn(org.label, person({ email: `dan@${org.verified}` }));
    expect(silent.refusal).toBe('FORBIDDEN:SSO_EMAIL_NOT_ALLOWED');
  });

  it('an existing account is linked only if the organization manages it; otherwise refused, nothing created', async () => {
    const org = await organization();
    const [own, managed] = await seedAccounts(orm(), [
      { managedBy: null, emailVerified: true },
      { managedBy: org.organizationId, emailVerified: true },
    ]);
    const ownEmail = `self@${org.verified}`;
    const managedEmail = `made@${org.verified}`;
    const em = orm().em.fork();
    await em.execute('update users set email = ? where id = ?', [ownEmail, own?.userId]);
    await em.execute('update users set email = ? where id = ?', [managedEmail, managed?.userId]);

    const refused = await signIn(org.label, person({ email: ownEmail, email_verified: true }));
    expect(refused.refusal).toBe('FORBIDDEN:SSO_ACCOUNT_NOT_LINKED');
    expect(await tablesFor(ownEmail, org.organizationId)).toMatchObject({ identities: [], members: [] });

    const linked = await signIn(org.label, person({ email: managedEmail, email_verified: true }));
    const session = tokenOf(await anonymous().auth.exchangeSsoCode({ code: linked.code as string }));
    expect((await callerFor(env.runtime, bearer(session.sessionToken)).auth.whoami()).userId).toBe(managed?.userId);
    expect((await tablesFor(managedEmail, org.organizationId)).members).toEqual([
      { user_id: managed?.userId, role: 'viewer' },
    ]);
  });

  it('a second subject with a linked email takes nothing over; a deactivated membership is refused', async () => {
    const org = await organization();
    const email = `hank@${org.verified}`;
    const first = await signIn(org.label, person({ email, email_verified: true }));
    expect(first.code).toBeDefined();
    // The IdP now presents another subject with the same email (a recreated account, or an impostor).
    const second = await signIn(org.label, person({ email, email_verified: true }));
    expect(second.refusal).toBe('FORBIDDEN:SSO_ACCOUNT_NOT_LINKED');
    expect((await tablesFor(email, org.organizationId)).identities).toHaveLength(1);

    const [user] = (await tablesFor(email, org.organizationId)).users;
    await orm()
      .em.fork()
      .execute(`update memberships set status = 'deactivated' where organization_id = ? and user_id = ?`, [
        org.organizationId,
        user?.id,
      ]);
    const sub = (await tablesFor(email, org.organizationId)).identities[0]?.subject as string;
    expect((await signIn(org.label, sub)).refusal).toBe('FORBIDDEN:MEMBERSHIP_DEACTIVATED');
  });

  it("an IdP's error answer is refused and spends the sign-in", async () => {
    const org = await organization();
    const begun = await start(org.label);
    const state = new URL(begun.location).searchParams.get('state') as string;
    const denied = `/sso/callback?error=access_denied&state=${encodeURIComponent(state)}&iss=${encodeURIComponent(issuer)}`;
    expect((await callback({ path: denied, cookie: begun.cookie })).refusal).toBe('BAD_REQUEST:BAD_REQUEST');
    expect((await callback({ path: '/sso/callback?code=x', cookie: begun.cookie })).refusal).toBe(
      'BAD_REQUEST:BAD_REQUEST',
    );
  });

  it('another server process takes the callback and the exchange: the sign-in lives in the database', async () => {
    const org = await organization();
    const email = `ivy@${org.verified}`;
    const trip = await throughProvider(org.label, person({ email, email_verified: true }));
    const other = await startTestRuntime(env.db, { allowLoopbackUrls: true, allowedRedirectOrigins: [APP] });
    // Every request to the IdP goes through the runtime's guarded fetcher (openid-client's customFetch).
    const fetched: string[] = [];
    const guarded = other.fetch;
    other.fetch = (url, options) => {
      fetched.push(new URL(url).pathname);
      return guarded(url, options);
    };
    try {
      const response = await appFor(other).request(trip.path, { headers: { cookie: trip.cookie } });
      expect(response.status).toBe(302);
      const code = new URL(response.headers.get('location') as string).searchParams.get('code') as string;
      const session = tokenOf(await callerFor(other, {}).auth.exchangeSsoCode({ code }));
      expect((await callerFor(env.runtime, bearer(session.sessionToken)).auth.whoami()).email).toBe(email);
      // The code exchange and userinfo (the ID token comes straight from the token endpoint, over TLS in
      // production: OIDC Core 3.1.3.7 lets that stand for its signature, and openid-client relies on it).
      expect(fetched).toEqual(['/token', '/me']);
    } finally {
      await other.stop();
    }
  });

  it('a state works once and for 10 minutes; the code for a minute', async () => {
    const org = await organization();
    const sub = person({ email: `erin@${org.verified}`, email_verified: true });
    const trip = await throughProvider(org.label, sub);
    // Carried to another browser (no cookie, or another one), the callback finds nothing and spends nothing.
    expect((await callback({ path: trip.path, cookie: '' })).refusal).toBe('BAD_REQUEST:BAD_REQUEST');
    const other = await start(org.label);
    expect((await callback({ path: trip.path, cookie: other.cookie })).refusal).toBe('BAD_REQUEST:BAD_REQUEST');
    expect((await callback(trip)).redirect).toBeDefined();
    // Replayed: the sign-in was spent (its row is gone, whatever the IdP would say of its code).
    const state = new URL(trip.path, 'http://gatehouse.test').searchParams.get('state') as string;
    const left = await orm()
      .em.fork()
      .execute("select 1 from sso_logins where id = encode(sha256(convert_to(? || '.' || ?, 'UTF8')), 'hex')", [
        state,
        trip.browser,
      ]);
    expect(left).toEqual([]);
    expect((await callback(trip)).refusal).toBe('BAD_REQUEST:BAD_REQUEST');

    const late = await throughProvider(org.label, sub);
    await orm().em.fork().execute(`update sso_logins set expires_at = now() - interval '1 second'`);
    expect((await callback(late)).refusal).toBe('BAD_REQUEST:BAD_REQUEST');

    const { code } = await signIn(org.label, sub);
    await orm().em.fork().execute(`update sso_codes set expires_at = now() - interval '1 second'`);
    expect(await refusalOf(anonymous().auth.exchangeSsoCode({ code: code as string }))).toBe(
      'UNAUTHORIZED:UNAUTHORIZED',
    );
  });

  it('a callback whose iss is not the issuer is refused (mix-up), and the sign-in is spent', async () => {
    const org = await organization();
    const trip = await throughProvider(org.label, person({ email: `fay@${org.verified}`, email_verified: true }));
    const url = new URL(trip.path, 'http://gatehouse.test');
    expect(url.searchParams.get('iss')).toBe(issuer);
    url.searchParams.set('iss', 'http://127.0.0.1:1/evil');
    expect((await callback({ ...trip, path: `${url.pathname}${url.search}` })).refusal).toBe('BAD_REQUEST:BAD_REQUEST');
    expect((await callback(trip)).refusal).toBe('BAD_REQUEST:BAD_REQUEST');
  });

  it('refuses a redirect_uri on another origin before anything is stored, and an unknown organization', async () => {
    const org = await organization();
    const [before] = await orm().em.fork().execute<{ n: number }[]>('select count(*)::int as n from sso_logins');
    for (const target of ['http://evil.test/steal', 'https://app.test/signed-in', '/relative', 'javascript:alert(1)']) {
      const response = await app.request(`/sso/${org.label}/start?redirect_uri=${encodeURIComponent(target)}`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { reason: string }).reason).toBe('BAD_REQUEST');
    }
    const none = await app.request(`/sso/${org.label}/start`);
    expect(none.status).toBe(400);
    const [after] = await orm().em.fork().execute<{ n: number }[]>('select count(*)::int as n from sso_logins');
    expect(after?.n).toBe(before?.n);
    // The server's own origin is always allowed.
    const own = await app.request(
      `/sso/${org.label}/start?redirect_uri=${encodeURIComponent('http://gatehouse.test/app')}`,
    );
    expect(own.status).toBe(302);
    const unknown = await app.request(`/sso/no-such-org/start?redirect_uri=${encodeURIComponent(`${APP}/x`)}`);
    expect(unknown.status).toBe(404);
  });

  it('enable refuses the real provider under an issuer that is not exactly its own', async () => {
    const owner = await ownerWithKey(orm());
    const error = await callerFor(env.runtime, bearer(owner.key))
      .sso.enable({ organizationId: owner.organizationId, identifier: `${issuer}/`, clientId: 'x', clientSecret: 'y' })
      .then(
        () => null,
        (e: Error) => e,
      );
    expect(error?.message).toContain(`issuer is ${issuer}, not the configured ${issuer}/`);
  });

  it('ssoRequired refuses password login and reset to members on a verified domain only', async () => {
    const org = await organization({ ssoRequired: true });
    const PASSWORD = 'a sturdy passphrase 42';
    const [onDomain, elsewhere] = await seedAccounts(orm(), [
      { memberOf: { organizationId: org.organizationId, role: 'member' }, password: PASSWORD, emailVerified: true },
      { memberOf: { organizationId: org.organizationId, role: 'member' }, password: PASSWORD, emailVerified: true },
    ]);
    const email = `grace@${org.verified}`;
    await orm().em.fork().execute('update users set email = ? where id = ?', [email, onDomain?.userId]);
    expect(await refusalOf(anonymous().auth.login({ email, password: PASSWORD }))).toBe('FORBIDDEN:SSO_REQUIRED');
    // A wrong password learns nothing more than any wrong password.
    expect(await refusalOf(anonymous().auth.login({ email, password: 'not the passphrase 42' }))).toBe(
      'UNAUTHORIZED:UNAUTHORIZED',
    );
    const token = await seedMailedToken(orm(), onDomain?.userId as string, 'reset');
    expect(await refusalOf(anonymous().auth.resetPassword({ token, newPassword: 'another sturdy passphrase 7' }))).toBe(
      'FORBIDDEN:SSO_REQUIRED',
    );
    // An address on no verified domain of the organization keeps its password.
    const other = tokenOf(await anonymous().auth.login({ email: elsewhere?.email as string, password: PASSWORD }));
    expect(other.sessionToken).toMatch(/^ghs_/);
    // Without ssoRequired, the password works again.
    await org.owners.sso.update({ organizationId: org.organizationId, ssoRequired: false });
    expect(tokenOf(await anonymous().auth.login({ email, password: PASSWORD })).sessionToken).toMatch(/^ghs_/);
  });

  it('no packet left loopback', () => {
    expect(violations).toEqual([]);
  });
});
