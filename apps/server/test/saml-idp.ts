// The SAML rig shared by sso-saml.test.ts and sso-saml-attacks.test.ts: samlify as the test IdP (its keys
// made with openssl for this run), an organization with a SAML connection to it, and the browser's trip
// (start, the IdP answers the AuthnRequest, the form posted to /sso/callback). The IdP is never fetched
// (SAML sends the browser there and back), so nothing listens for it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callerFor, ownerWithKey, seedDomain, type useTestRuntime } from '@gatehouse/api/testing';
import * as samlify from 'samlify';
import { afterAll, beforeAll, expect, vi } from 'vitest';
import { appFor } from './app.js';
import { bearer } from './hostile/http.js';

samlify.setSchemaValidator({ validate: async () => 'skipped: samlify is only the test IdP' });

export const APP = 'http://app.test';
// Okta's entity IDs are plain http URLs: a SAML identifier is never fetched, so any URI is taken.
export const IDP_ENTITY = 'http://www.okta.com/exk1gatehousetest';
const REDIRECT = samlify.Constants.namespace.binding.redirect;

/** A key pair and self-signed certificate made for this run. */
function keyPair(dir: string, name: string) {
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

const identityProvider = (keys: { privateKey: string; signingCert: string }) =>
  samlify.IdentityProvider({
    entityID: IDP_ENTITY,
    ...keys,
    singleSignOnService: [{ Binding: REDIRECT, Location: 'https://idp.example.test/sso' }],
    wantAuthnRequestsSigned: false,
    isAssertionEncrypted: false,
    nameIDFormat: ['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'],
  });
export type Idp = ReturnType<typeof identityProvider>;

/** The posted form, with the sign-in cookie the starting browser holds. */
export interface SamlForm {
  SAMLResponse: string;
  RelayState: string;
  cookie: string;
}

/** How the IdP answers: who signs, what it believes the SP's metadata says, what its clock reads. */
export interface Answer {
  by?: Idp;
  /** Rewrites the SP metadata the IdP reads (a wrong ACS or entity ID: a response meant for someone else). */
  spMetadata?: (xml: string) => string;
  /** The IdP's clock is off by this much (ms; negative is in the past) while it signs. */
  skewMs?: number;
}

/** Sets up the IdPs, the app, and the helpers over `env` (the file's useTestRuntime). */
export function samlRig(env: ReturnType<typeof useTestRuntime>) {
  const orm = () => env.db.orm;
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-saml-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const rig = {} as { idp: Idp; impostor: Idp; app: ReturnType<typeof appFor> };
  beforeAll(() => {
    rig.idp = identityProvider(keyPair(dir, 'idp'));
    rig.impostor = identityProvider(keyPair(dir, 'impostor'));
    rig.app = appFor(env.runtime);
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
      samlMetadataXml: rig.idp.getMetadata(),
      defaultRole: 'viewer',
    });
    return { ...owner, label: row?.label as string, verified, connection };
  }

  /** The browser's trip: start, the IdP reads the AuthnRequest and answers for `email`. */
  async function samlResponse(label: string, email: string, answer: Answer | Idp = {}): Promise<SamlForm> {
    const {
      by = rig.idp,
      spMetadata = (xml: string) => xml,
      skewMs = 0,
    } = 'createLoginResponse' in answer ? { by: answer } : answer;
    const start = await rig.app.request(`/sso/${label}/start?redirect_uri=${encodeURIComponent(`${APP}/signed-in`)}`);
    expect(start.status, await start.clone().text()).toBe(302);
    const location = new URL(start.headers.get('location') as string);
    const cookie = (start.headers.get('set-cookie') as string).split(';')[0] as string;
    expect(location.origin + location.pathname).toBe('https://idp.example.test/sso');
    const metadata = await (await rig.app.request(`/sso/${label}/saml/metadata`)).text();
    const sp = samlify.ServiceProvider({ metadata: spMetadata(metadata) });
    const query = Object.fromEntries(location.searchParams);
    const request = await by.parseLoginRequest(sp, 'redirect', { query, octetString: location.search.slice(1) });
    if (skewMs) {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + skewMs);
    }
    try {
      const response = (await by.createLoginResponse(
        sp,
        request as unknown as Parameters<typeof by.createLoginResponse>[1],
        'post',
        { email },
      )) as { context: string };
      return { SAMLResponse: response.context, RelayState: query.RelayState as string, cookie };
    } finally {
      if (skewMs) vi.useRealTimers();
    }
  }

  /** The browser posts the IdP's form to the callback, with the sign-in cookie it was given at the start. */
  async function post({ cookie, ...form }: SamlForm) {
    const response = await rig.app.request('/sso/callback', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams(form).toString(),
    });
    if (response.status === 302) return { redirect: new URL(response.headers.get('location') as string) };
    const body = (await response.json()) as { code: string; reason: string; detail: string };
    return { status: response.status, refusal: `${body.code}:${body.reason}`, detail: body.detail };
  }

  async function accountsOf(email: string) {
    return orm().em.fork().execute<{ id: string }[]>('select id from users where lower(email) = lower(?)', [email]);
  }

  return {
    rig,
    orm,
    organization,
    samlResponse,
    post,
    accountsOf,
    get app() {
      return rig.app;
    },
  };
}
