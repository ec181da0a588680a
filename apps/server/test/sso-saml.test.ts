// SSO over SAML (issue 28): SP-initiated, against samlify as the test IdP (its keys made with openssl for
// this run). The IdP is never fetched (SAML sends the browser there and back), so nothing listens for it:
// the test plays the browser, reading the AuthnRequest and posting the IdP's signed response.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callerFor, loopbackOnly, ownerWithKey, refusalOf, seedDomain, useTestRuntime } from '@gatehouse/api/testing';
import * as samlify from 'samlify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFor } from './app.js';
import { bearer } from './hostile/http.js';

samlify.setSchemaValidator({ validate: async () => 'skipped: samlify is only the test IdP' });

const violations = loopbackOnly();
const APP = 'http://app.test';
const env = useTestRuntime({ allowedRedirectOrigins: [APP] });
const orm = () => env.db.orm;
// Okta's entity IDs are plain http URLs: a SAML identifier is never fetched, so any URI is taken.
const IDP_ENTITY = 'http://www.okta.com/exk1gatehousetest';
const REDIRECT = samlify.Constants.namespace.binding.redirect;

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-saml-'));
/** A key pair and self-signed certificate made for this run. */
function keyPair(name: string) {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-subj',
      `/CN=${name}`,
      '-days',
      '2',
    ],
    { stdio: 'ignore' },
  );
  return { privateKey: readFileSync(key, 'utf8'), signingCert: readFileSync(cert, 'utf8') };
}
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const identityProvider = (keys: { privateKey: string; signingCert: string }) =>
  samlify.IdentityProvider({
    entityID: IDP_ENTITY,
    ...keys,
    singleSignOnService: [{ Binding: REDIRECT, Location: 'https://idp.example.test/sso' }],
    wantAuthnRequestsSigned: false,
    isAssertionEncrypted: false,
    nameIDFormat: ['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'],
  });

let idp: ReturnType<typeof identityProvider>;
let impostor: ReturnType<typeof identityProvider>;
let app: ReturnType<typeof appFor>;
beforeAll(() => {
  idp = identityProvider(keyPair('idp'));
  impostor = identityProvider(keyPair('impostor'));
  app = appFor(env.runtime);
});

async function organization() {
  const owner = await ownerWithKey(orm());
  const verified = (await seedDomain(orm(), owner.organizationId, 'verified')).domain;
  const [row] = await orm()
    .em.fork()
    .execute<{ label: string }[]>('select label from organizations where id = ?', [owner.organizationId]);
  const connection = await callerFor(env.runtime, bearer(owner.key)).sso.enable({
    organizationId: owner.organizationId,
    identifier: IDP_ENTITY,
    clientId: 'unused for SAML',
    clientSecret: 'unused for SAML',
    protocol: 'saml',
    samlMetadataXml: idp.getMetadata(),
    defaultRole: 'viewer',
  });
  return { ...owner, label: row?.label as string, verified, connection };
}

/** The browser's trip: start, the IdP reads the AuthnRequest and answers for `email`, signed by `by`. */
async function samlResponse(label: string, email: string, by = idp) {
  const start = await app.request(`/sso/${label}/start?redirect_uri=${encodeURIComponent(`${APP}/signed-in`)}`);
  expect(start.status, await start.clone().text()).toBe(302);
  const location = new URL(start.headers.get('location') as string);
  const cookie = (start.headers.get('set-cookie') as string).split(';')[0] as string;
  expect(location.origin + location.pathname).toBe('https://idp.example.test/sso');
  const spMetadata = await (await app.request(`/sso/${label}/saml/metadata`)).text();
  const sp = samlify.ServiceProvider({ metadata: spMetadata });
  const query = Object.fromEntries(location.searchParams);
  const request = await by.parseLoginRequest(sp, 'redirect', { query, octetString: location.search.slice(1) });
  const response = (await by.createLoginResponse(
    sp,
    request as unknown as Parameters<typeof by.createLoginResponse>[1],
    'post',
    {
      email,
    },
  )) as { context: string };
  return { SAMLResponse: response.context, RelayState: query.RelayState as string, cookie };
}

/** The browser posts the IdP's form to the callback, with the sign-in cookie it was given at the start. */
async function post({ cookie, ...form }: { SAMLResponse: string; RelayState: string; cookie: string }) {
  const response = await app.request('/sso/callback', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams(form).toString(),
  });
  if (response.status === 302) return { redirect: new URL(response.headers.get('location') as string) };
  const body = (await response.json()) as { code: string; reason: string; detail: string };
  return { refusal: `${body.code}:${body.reason}`, detail: body.detail };
}

async function accountsOf(email: string) {
  return orm().em.fork().execute<{ id: string }[]>('select id from users where lower(email) = lower(?)', [email]);
}

describe('SSO over SAML', () => {
  it('publishes the service provider metadata: entity ID its own URL, the ACS POST /sso/callback', async () => {
    const org = await organization();
    const response = await app.request(`/sso/${org.label}/saml/metadata`);
    expect(response.status).toBe(200);
    const xml = await response.text();
    expect(xml).toContain(`entityID="http://gatehouse.test/sso/${org.label}/saml/metadata"`);
    expect(xml).toContain('Location="http://gatehouse.test/sso/callback"');
    expect(xml).toContain('WantAssertionsSigned="true"');
    expect((await app.request('/sso/no-such-org/saml/metadata')).status).toBe(404);
    expect(org.connection).toMatchObject({ protocol: 'saml', identifier: IDP_ENTITY });
  });

  it('a signed assertion for an email on a verified domain signs in just in time', async () => {
    const org = await organization();
    const email = `sam@${org.verified}`;
    const { redirect, detail } = await post(await samlResponse(org.label, email));
    expect(redirect?.origin, detail).toBe(APP);
    const code = redirect?.searchParams.get('code') as string;
    const session = await callerFor(env.runtime, {}).auth.exchangeSsoCode({ code });
    const me = await callerFor(env.runtime, bearer(session.sessionToken)).auth.whoami();
    expect(me).toMatchObject({ email, organization: { id: org.organizationId }, roles: ['viewer'] });
    const identities = await orm()
      .em.fork()
      .execute('select issuer, subject from sso_identities where user_id = ?', [me.userId]);
    expect(identities).toEqual([{ issuer: IDP_ENTITY, subject: email }]);
  });

  it('refuses a tampered, a foreign-signed or a replayed response, and an email off the verified domains', async () => {
    const org = await organization();
    const form = await samlResponse(org.label, `tom@${org.verified}`);
    const xml = Buffer.from(form.SAMLResponse, 'base64').toString();
    // Posted from a browser that did not start the sign-in: refused, and nothing spent.
    expect((await post({ ...form, cookie: '' })).refusal).toBe('BAD_REQUEST:BAD_REQUEST');
    const tampered = Buffer.from(xml.replaceAll(`tom@${org.verified}`, `mallory@${org.verified}`)).toString('base64');
    expect((await post({ ...form, SAMLResponse: tampered })).refusal).toBe('BAD_REQUEST:BAD_REQUEST');
    expect(await accountsOf(`mallory@${org.verified}`)).toEqual([]);
    // The sign-in was spent by the refused attempt: the genuine response cannot follow it.
    expect((await post(form)).refusal).toBe('BAD_REQUEST:BAD_REQUEST');

    const foreign = await post(await samlResponse(org.label, `una@${org.verified}`, impostor));
    expect(foreign.refusal).toBe('BAD_REQUEST:BAD_REQUEST');
    expect(await accountsOf(`una@${org.verified}`)).toEqual([]);

    const elsewhere = await post(await samlResponse(org.label, 'vic@elsewhere.example.com'));
    expect(elsewhere.refusal).toBe('FORBIDDEN:SSO_EMAIL_NOT_ALLOWED');
    expect(await accountsOf('vic@elsewhere.example.com')).toEqual([]);

    // A response answering another sign-in's AuthnRequest (InResponseTo) is refused too.
    const first = await samlResponse(org.label, `wes@${org.verified}`);
    const second = await samlResponse(org.label, `wes@${org.verified}`);
    expect((await post({ ...second, SAMLResponse: first.SAMLResponse })).refusal).toBe('BAD_REQUEST:BAD_REQUEST');
  });

  it('enable refuses metadata of another entity, without a signing certificate, or not XML', async () => {
    const owner = await ownerWithKey(orm());
    const c = callerFor(env.runtime, bearer(owner.key));
    const base = {
      organizationId: owner.organizationId,
      clientId: 'x',
      clientSecret: 'y',
      protocol: 'saml' as const,
    };
    const metadata = idp.getMetadata();
    const wrong = await c.sso
      .enable({ ...base, identifier: 'https://other.example.test/saml', samlMetadataXml: metadata })
      .catch((e: Error) => e);
    expect((wrong as Error).message).toContain('not the identifier https://other.example.test/saml');
    const noCert = metadata.replace(/<(\w+:)?KeyDescriptor[\s\S]*?<\/(\w+:)?KeyDescriptor>/g, '');
    expect(await refusalOf(c.sso.enable({ ...base, identifier: IDP_ENTITY, samlMetadataXml: noCert }))).toBe(
      'BAD_REQUEST:BAD_REQUEST',
    );
    expect(await refusalOf(c.sso.enable({ ...base, identifier: IDP_ENTITY, samlMetadataXml: '<not xml' }))).toBe(
      'BAD_REQUEST:BAD_REQUEST',
    );
    expect(await refusalOf(c.sso.enable({ ...base, identifier: IDP_ENTITY }))).toBe('BAD_REQUEST:BAD_REQUEST');
    const tested = await (async () => {
      await c.sso.enable({ ...base, identifier: IDP_ENTITY, samlMetadataXml: metadata });
      return c.sso.test({ organizationId: owner.organizationId });
    })();
    expect(tested).toEqual({ ok: true, steps: [{ step: 'metadata', ok: true, detail: expect.any(String) }] });
  });

  it('no packet left loopback', () => {
    expect(violations).toEqual([]);
  });
});
