// OIDC sign-in attacks (issue 28), against two real OpenID providers (oidc-provider) on loopback, "acme" and
// "evil", each a connection of its own organization(s): a nonce other than the sign-in's, an issuer mix-up, the
// same `sub` at another connection, a connection disabled mid-sign-in, another organization's label or
// callback, and the client secret on every surface. Each refusal is pinned (status, code:reason) and the
// tables are read to show nothing was created (users, SSO identities, memberships, one-time codes).
import { callerFor, loopbackOnly, ownerWithKey, seedDomain, useTestRuntime } from '@gatehouse/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFor } from './app.js';
import { bearer } from './hostile/http.js';
import { OIDC_CLIENT, startOidcProvider, type TestIdp, throughIdp } from './oidc-rig.js';

const violations = loopbackOnly();
const APP = 'http://app.test';
const env = useTestRuntime({ allowLoopbackUrls: true, allowedRedirectOrigins: [APP] });
const orm = () => env.db.orm;

let acme: TestIdp;
let evil: TestIdp;
let app: ReturnType<typeof appFor>;
beforeAll(async () => {
  [acme, evil] = await Promise.all([startOidcProvider(), startOidcProvider()]);
  app = appFor(env.runtime);
  // Every request Gatehouse makes to an IdP, and how it was answered.
  const guarded = env.runtime.fetch;
  env.runtime.fetch = async (url, options) => {
    const seen: Exchange = { url: new URL(url).href };
    exchanges.push(seen);
    try {
      const response = await guarded(url, options);
      seen.status = response.status;
      seen.body = response.text();
      return response;
    } catch (error) {
      seen.error = (error as Error).message;
      throw error;
    }
  };
});

interface Exchange {
  url: string;
  status?: number;
  body?: string;
  error?: string;
}
const exchanges: Exchange[] = [];
/** What Gatehouse asked of IdPs during `act`. */
async function exchangesDuring<T>(act: () => Promise<T>): Promise<[T, Exchange[]]> {
  const from = exchanges.length;
  const result = await act();
  return [result, exchanges.slice(from)];
}
/** The claims of the ID token a token endpoint answered. */
function idTokenClaims(exchange: Exchange | undefined): Record<string, unknown> {
  const idToken = (JSON.parse(exchange?.body as string) as { id_token: string }).id_token;
  return JSON.parse(Buffer.from(idToken.split('.')[1] as string, 'base64url').toString()) as Record<string, unknown>;
}
afterAll(async () => {
  await Promise.all([acme?.close(), evil?.close()]);
});

/** A new organization with a verified domain and an SSO connection to `idp`. */
async function organization(idp: TestIdp, clientSecret = OIDC_CLIENT.secret) {
  const owner = await ownerWithKey(orm());
  const verified = (await seedDomain(orm(), owner.organizationId, 'verified')).domain;
  const [row] = await orm()
    .em.fork()
    .execute<{ label: string }[]>('select label from organizations where id = ?', [owner.organizationId]);
  const owners = callerFor(env.runtime, bearer(owner.key));
  const connection = await owners.sso.enable({
    organizationId: owner.organizationId,
    identifier: idp.issuer,
    clientId: OIDC_CLIENT.id,
    clientSecret,
    defaultRole: 'viewer',
  });
  return { ...owner, label: row?.label as string, verified, connection, owners };
}

let subjects = 0;
/** A person at `idp` (a new subject, or the one given). */
function person(idp: TestIdp, claims: Record<string, unknown>, sub = `person-${++subjects}`): string {
  idp.accounts.set(sub, claims);
  return sub;
}

/** GET /sso/{label}/start as a new browser: the IdP's URL and the sign-in cookie it was given. */
async function start(label: string) {
  const response = await app.request(`/sso/${label}/start?redirect_uri=${encodeURIComponent(`${APP}/signed-in`)}`);
  expect(response.status, await response.clone().text()).toBe(302);
  const browser = /^gatehouse_sso=([0-9A-Za-z]{43});/.exec(response.headers.get('set-cookie') as string)?.[1];
  expect(browser).toBeDefined();
  const location = response.headers.get('location') as string;
  return { location, cookie: `gatehouse_sso=${browser}`, state: new URL(location).searchParams.get('state') as string };
}

/** A browser's whole trip: start at `label`, sign in at its IdP as `sub`; the callback it would call. */
async function throughProvider(label: string, sub: string) {
  const begun = await start(label);
  return { ...begun, path: await throughIdp(begun.location, sub) };
}

interface Answer {
  status: number;
  redirect?: URL;
  /** `code:reason` of a refusal. */
  refusal?: string;
  detail?: string;
}
async function answerOf(response: Response): Promise<Answer> {
  expect(response.status, 'never a 500').toBeLessThan(500);
  if (response.status === 302) {
    return { status: 302, redirect: new URL(response.headers.get('location') as string) };
  }
  const body = (await response.json()) as { code: string; reason: string; detail: string };
  return { status: response.status, refusal: `${body.code}:${body.reason}`, detail: body.detail };
}
const callback = async (path: string, cookie: string) => answerOf(await app.request(path, { headers: { cookie } }));
const startAt = async (label: string) =>
  answerOf(await app.request(`/sso/${label}/start?redirect_uri=${encodeURIComponent(`${APP}/signed-in`)}`));

/** The IdP's redirect back (`path`) with its parameters changed: `null` removes one. */
function rewritten(path: string, changes: Record<string, string | null>): string {
  const url = new URL(path, 'http://gatehouse.test');
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) url.searchParams.delete(name);
    else url.searchParams.set(name, value);
  }
  return `${url.pathname}${url.search}`;
}

/** Everything a sign-in can create, counted: a refusal leaves every count as it was. */
async function created() {
  const [row] = await orm()
    .em.fork()
    .execute<Record<string, number>[]>(
      `select (select count(*)::int from users) as users, (select count(*)::int from sso_identities) as identities,
            (select count(*)::int from memberships) as memberships, (select count(*)::int from sso_codes) as codes,
            (select count(*)::int from sessions) as sessions`,
    );
  return row;
}
/** Sign-ins under way (not spent). */
async function pendingSignIns(): Promise<number> {
  const [row] = await orm().em.fork().execute<{ n: number }[]>('select count(*)::int as n from sso_logins');
  return row?.n as number;
}
const REFUSED_PREFIX = "SSO sign-in refused: the identity provider's answer was refused";
const UNKNOWN_SIGN_IN = /this sign-in is unknown, already used or expired/;
/** openid-client's refusals, as the callback words them. */
const REFUSED = {
  claim: `${REFUSED_PREFIX} (unexpected JWT claim value encountered)`,
  response: `${REFUSED_PREFIX} (invalid response encountered)`,
  grant: `${REFUSED_PREFIX} (something went wrong)`,
};

async function identitiesOf(organizationId: string) {
  return orm()
    .em.fork()
    .execute<{ user_id: string; issuer: string; subject: string }[]>(
      `select i.user_id, i.issuer, i.subject from sso_identities i join sso_connections s on s.id = i.connection_id
        where s.organization_id = ? order by i.created_at`,
      [organizationId],
    );
}
async function membersOf(organizationId: string) {
  const rows = await orm()
    .em.fork()
    .execute<{ user_id: string }[]>('select user_id from memberships where organization_id = ? order by created_at', [
      organizationId,
    ]);
  return rows.map((row) => row.user_id);
}

describe('OIDC sign-in attacks', () => {
  it('an ID token whose nonce is not the sign-in’s is refused, the sign-in spent, nothing created', async () => {
    const org = await organization(acme);
    const sub = person(acme, { email: `nina@${org.verified}`, email_verified: true });
    for (const nonce of ['the nonce of another sign-in', null]) {
      // The authorization request is the browser's to alter: the IdP then signs an ID token with that nonce
      // (or none), for this sign-in's code, state and PKCE challenge.
      const begun = await start(org.label);
      const url = new URL(begun.location);
      expect(url.searchParams.get('nonce')).toMatch(/^[\w-]{43}$/);
      if (nonce === null) url.searchParams.delete('nonce');
      else url.searchParams.set('nonce', nonce);
      const path = await throughIdp(url.href, sub);
      const before = await created();
      const pending = await pendingSignIns();
      const [refused, asked] = await exchangesDuring(() => callback(path, begun.cookie));
      // The IdP gave tokens for the code (PKCE and client fine); their ID token carries the other nonce.
      expect(asked.map((exchange) => [exchange.url, exchange.status])).toEqual([[`${acme.issuer}/token`, 200]]);
      expect(idTokenClaims(asked[0]).nonce).toBe(nonce ?? undefined);
      expect(idTokenClaims(asked[0]).sub).toBe(sub);
      expect(refused).toMatchObject({ status: 400, refusal: 'BAD_REQUEST:BAD_REQUEST' });
      expect(refused.detail).toBe(nonce === null ? REFUSED.response : REFUSED.claim);
      expect(await created()).toEqual(before);
      expect(await pendingSignIns()).toBe(pending - 1);
      const again = await callback(path, begun.cookie);
      expect(again).toMatchObject({ status: 400, refusal: 'BAD_REQUEST:BAD_REQUEST' });
      expect(again.detail).toMatch(UNKNOWN_SIGN_IN);
    }

    // Two sign-ins started in one browser: the IdP's answer to the first delivered to the second's state (the
    // browser holds the second's cookie). Its code was issued for the first's PKCE challenge and nonce.
    const first = await start(org.label);
    const second = await start(org.label);
    const firstAnswer = await throughIdp(first.location, sub);
    const before = await created();
    const [crossed, asked] = await exchangesDuring(() =>
      callback(rewritten(firstAnswer, { state: second.state }), second.cookie),
    );
    expect(crossed).toMatchObject({ status: 400, refusal: 'BAD_REQUEST:BAD_REQUEST' });
    // The IdP refused the code: not issued for the second's PKCE verifier.
    expect(asked.map((exchange) => [exchange.url, exchange.error])).toEqual([
      [`${acme.issuer}/token`, `${acme.issuer} answered 400`],
    ]);
    expect(crossed.detail).toBe(REFUSED.grant);
    // The second is spent; the first, under the second browser's cookie, is nothing.
    expect((await callback(rewritten(firstAnswer, { state: second.state }), second.cookie)).detail).toMatch(
      UNKNOWN_SIGN_IN,
    );
    expect((await callback(firstAnswer, second.cookie)).detail).toMatch(UNKNOWN_SIGN_IN);
    expect(await created()).toEqual(before);
    expect(await identitiesOf(org.organizationId)).toEqual([]);
    expect(await membersOf(org.organizationId)).toEqual([org.userId]);
  });

  it('issuer mix-up: a code from "evil" at the callback of a sign-in started for "acme" is refused', async () => {
    const victim = await organization(acme);
    const attacker = await organization(evil);
    expect(acme.issuer).not.toBe(evil.issuer);
    // evil asserts an address on the victim's verified domain, under the subject acme knows it by.
    const sub = person(acme, { email: `ceo@${victim.verified}`, email_verified: true });
    person(evil, { email: `ceo@${victim.verified}`, email_verified: true }, sub);

    const cases: [string, Record<string, string | null>, string, [string, string][]][] = [
      // As evil sends it, with its own iss: refused before any request to an IdP.
      ['iss of evil', { iss: evil.issuer }, REFUSED.response, []],
      // The iss rewritten to acme's: the code goes to acme's token endpoint only, which does not know it.
      ['iss of acme', { iss: acme.issuer }, REFUSED.grant, [[`${acme.issuer}/token`, `${acme.issuer} answered 400`]]],
      // No iss at all (acme announces authorization_response_iss_parameter_supported): refused at once.
      ['no iss', { iss: null }, REFUSED.response, []],
    ];
    for (const [name, changes, why, requests] of cases) {
      const begun = await start(victim.label);
      expect(begun.location.startsWith(`${acme.issuer}/auth?`)).toBe(true);
      const atEvil = await throughProvider(attacker.label, sub);
      expect(new URL(atEvil.path, 'http://x').searchParams.get('iss')).toBe(evil.issuer);
      const before = await created();
      const [refused, asked] = await exchangesDuring(() =>
        callback(rewritten(atEvil.path, { ...changes, state: begun.state }), begun.cookie),
      );
      expect(refused, name).toMatchObject({ status: 400, refusal: 'BAD_REQUEST:BAD_REQUEST' });
      expect(refused.detail, name).toBe(why);
      expect(
        asked.map((exchange) => [exchange.url, exchange.error]),
        name,
      ).toEqual(requests);
      expect(await created(), name).toEqual(before);
      // Spent: acme's own answer to that sign-in comes too late.
      expect((await callback(rewritten(atEvil.path, { state: begun.state }), begun.cookie)).detail).toMatch(
        UNKNOWN_SIGN_IN,
      );
    }
    expect(await identitiesOf(victim.organizationId)).toEqual([]);
    expect(await membersOf(victim.organizationId)).toEqual([victim.userId]);

    // At evil's own connection, an address on the victim's domain admits nobody either.
    const own = await throughProvider(attacker.label, sub);
    const before = await created();
    expect(await callback(own.path, own.cookie)).toMatchObject({
      status: 403,
      refusal: 'FORBIDDEN:SSO_EMAIL_NOT_ALLOWED',
    });
    expect(await created()).toEqual(before);
    expect(await identitiesOf(attacker.organizationId)).toEqual([]);
  });

  it('the same sub at another connection (same IdP or another) is a new identity under that connection’s rules', async () => {
    const first = await organization(acme);
    const second = await organization(acme);
    const third = await organization(evil);
    const sub = person(acme, { email: `sam@${first.verified}`, email_verified: true });
    const signedIn = await throughProvider(first.label, sub);
    expect((await callback(signedIn.path, signedIn.cookie)).redirect?.searchParams.get('code')).toMatch(/^ghc_/);
    const [identity] = await identitiesOf(first.organizationId);
    expect(identity).toMatchObject({ issuer: acme.issuer, subject: sub });
    const sam = identity?.user_id as string;

    // The same IdP, the same subject, the second organization's connection: its rules, and the address is not
    // on its domains. No link to the first organization's account.
    const atSecond = await throughProvider(second.label, sub);
    let before = await created();
    expect(await callback(atSecond.path, atSecond.cookie)).toMatchObject({
      status: 403,
      refusal: 'FORBIDDEN:SSO_EMAIL_NOT_ALLOWED',
    });
    expect(await created()).toEqual(before);
    expect(await identitiesOf(second.organizationId)).toEqual([]);
    expect(await membersOf(second.organizationId)).toEqual([second.userId]);

    // Another IdP asserting the same subject (and the same address): likewise.
    person(evil, { email: `sam@${first.verified}`, email_verified: true }, sub);
    const atThird = await throughProvider(third.label, sub);
    before = await created();
    expect(await callback(atThird.path, atThird.cookie)).toMatchObject({
      status: 403,
      refusal: 'FORBIDDEN:SSO_EMAIL_NOT_ALLOWED',
    });
    expect(await created()).toEqual(before);
    expect(await identitiesOf(third.organizationId)).toEqual([]);

    // Where the address is on that connection's verified domain, the subject gets an account of its own there.
    for (const [org, idp] of [
      [second, acme],
      [third, evil],
    ] as const) {
      person(idp, { email: `sam@${org.verified}`, email_verified: true }, sub);
      const trip = await throughProvider(org.label, sub);
      expect((await callback(trip.path, trip.cookie)).status).toBe(302);
      const [own] = await identitiesOf(org.organizationId);
      expect(own).toMatchObject({ issuer: idp.issuer, subject: sub });
      expect(own?.user_id).not.toBe(sam);
      expect(await membersOf(org.organizationId)).toEqual([org.userId, own?.user_id]);
    }
    // The first organization's identity and account are as they were, and its account joined nothing.
    expect(await identitiesOf(first.organizationId)).toEqual([identity]);
    const [memberships] = await orm()
      .em.fork()
      .execute<{ n: number }[]>('select count(*)::int as n from memberships where user_id = ?', [sam]);
    expect(memberships?.n).toBe(1);
  });

  it('a connection disabled mid-sign-in: the callback is refused, and start after disable too', async () => {
    const org = await organization(acme);
    const sub = person(acme, { email: `dora@${org.verified}`, email_verified: true });
    const early = await throughProvider(org.label, sub);
    const earlier = await throughProvider(org.label, sub);
    await org.owners.sso.disable({ organizationId: org.organizationId });
    const before = await created();
    const refused = await callback(early.path, early.cookie);
    expect(refused).toMatchObject({ status: 400, refusal: 'BAD_REQUEST:BAD_REQUEST' });
    expect(refused.detail).toMatch(UNKNOWN_SIGN_IN);
    expect(await startAt(org.label)).toMatchObject({ status: 404, refusal: 'NOT_FOUND:NOT_FOUND' });
    // Enabled again (a new connection): a sign-in started under the old one stays refused.
    await org.owners.sso.enable({
      organizationId: org.organizationId,
      identifier: acme.issuer,
      clientId: OIDC_CLIENT.id,
      clientSecret: OIDC_CLIENT.secret,
      defaultRole: 'viewer',
    });
    expect(await callback(earlier.path, earlier.cookie)).toMatchObject({
      status: 400,
      refusal: 'BAD_REQUEST:BAD_REQUEST',
    });
    expect(await created()).toEqual(before);
    expect(await identitiesOf(org.organizationId)).toEqual([]);
    expect(await membersOf(org.organizationId)).toEqual([org.userId]);
  });

  it('another organization’s label: no SSO or unknown is the same 404; a callback binds to its own sign-in', async () => {
    const withoutSso = await ownerWithKey(orm());
    const [row] = await orm()
      .em.fork()
      .execute<{ label: string }[]>('select label from organizations where id = ?', [withoutSso.organizationId]);
    const pending = await pendingSignIns();
    const noSso = await startAt(row?.label as string);
    expect(noSso).toMatchObject({ status: 404, refusal: 'NOT_FOUND:NOT_FOUND' });
    const unknown = await startAt('no-such-organization');
    // The same answer: a label tells nobody whether an organization exists.
    expect(unknown).toEqual(noSso);
    expect(await pendingSignIns()).toBe(pending);

    // Two organizations at one IdP and one client: the answer to B's sign-in, delivered to A's.
    const a = await organization(acme);
    const b = await organization(acme);
    const sub = person(acme, { email: `otto@${a.verified}`, email_verified: true });
    const atA = await start(a.label);
    const atB = await throughProvider(b.label, sub);
    const before = await created();
    const [crossed, asked] = await exchangesDuring(() =>
      callback(rewritten(atB.path, { state: atA.state }), atA.cookie),
    );
    expect(crossed).toMatchObject({ status: 400, refusal: 'BAD_REQUEST:BAD_REQUEST' });
    expect(crossed.detail).toBe(REFUSED.grant);
    // A's sign-in sent B's code to the IdP with A's PKCE verifier: the IdP refused it.
    expect(asked.map((exchange) => [exchange.url, exchange.error])).toEqual([
      [`${acme.issuer}/token`, `${acme.issuer} answered 400`],
    ]);
    // B's answer as it is, in A's browser: no such sign-in there.
    expect(await callback(atB.path, atA.cookie)).toMatchObject({
      status: 400,
      refusal: 'BAD_REQUEST:BAD_REQUEST',
      detail: expect.stringMatching(UNKNOWN_SIGN_IN),
    });
    expect(await created()).toEqual(before);
    expect(await identitiesOf(a.organizationId)).toEqual([]);
    expect(await identitiesOf(b.organizationId)).toEqual([]);
  });

  it('a suspended organization: start is refused, and a sign-in started before the suspension too', async () => {
    const org = await organization(acme);
    const sub = person(acme, { email: `sue@${org.verified}`, email_verified: true });
    const before = await throughProvider(org.label, sub);
    await orm().em.fork().execute(`update organizations set status = 'suspended' where id = ?`, [org.organizationId]);
    expect(await startAt(org.label)).toMatchObject({ status: 403, refusal: 'FORBIDDEN:ORGANIZATION_SUSPENDED' });
    const counts = await created();
    expect(await callback(before.path, before.cookie)).toMatchObject({
      status: 403,
      refusal: 'FORBIDDEN:ORGANIZATION_SUSPENDED',
    });
    expect(await created()).toEqual(counts);
    expect(await identitiesOf(org.organizationId)).toEqual([]);
    expect(await membersOf(org.organizationId)).toEqual([org.userId]);
    // Spent: lifting the suspension does not revive it.
    await orm().em.fork().execute(`update organizations set status = 'active' where id = ?`, [org.organizationId]);
    expect((await callback(before.path, before.cookie)).detail).toMatch(UNKNOWN_SIGN_IN);
    expect(await created()).toEqual(counts);
  });

  it('the client secret is never returned: sso, REST, the audit trail, the organization', async () => {
    const secret = 'the first client secret, write-only 5e1d';
    const rotated = 'the rotated client secret, write-only 77c0';
    const org = await organization(acme, secret);
    const answers: unknown[] = [org.connection];
    answers.push(
      await org.owners.sso.update({ organizationId: org.organizationId, clientSecret: rotated, ssoRequired: true }),
      await org.owners.sso.retrieve({ organizationId: org.organizationId }),
      await org.owners.sso.retrieve({ organizationId: org.organizationId, expand: ['permissions'] }),
      await org.owners.sso.test({ organizationId: org.organizationId }),
      await org.owners.audit.list({ organizationId: org.organizationId }),
      await org.owners.organizations.retrieve({ organizationId: org.organizationId }),
    );
    for (const path of [
      `/api/v1/organizations/${org.organizationId}/sso-connection`,
      `/api/v1/organizations/${org.organizationId}/sso-connection?expand[]=permissions`,
      `/api/v1/organizations/${org.organizationId}/audit-events`,
      `/api/v1/organizations/${org.organizationId}`,
    ]) {
      const response = await app.request(path, { headers: bearer(org.key) });
      expect(response.status, path).toBe(200);
      answers.push(await response.json());
    }
    const serialized = JSON.stringify(answers);
    expect(serialized).toContain('"clientSecretSet":true');
    expect(serialized).toContain('"client_secret_set":true');
    expect(serialized).toContain('sso.updated');
    for (const value of [secret, rotated]) {
      expect(serialized).not.toContain(value);
      // Nor at rest: the column is sealed, the trail says only "replaced".
      const [stored] = await orm()
        .em.fork()
        .execute<{ n: number }[]>(
          `select (select count(*) from sso_connections s where s::text like '%' || ? || '%')
                + (select count(*) from audit_events a where a::text like '%' || ? || '%') as n`,
          [value, value],
        );
      expect(Number(stored?.n)).toBe(0);
    }
  });

  it('no packet left loopback', () => {
    expect(violations).toEqual([]);
  });
});
