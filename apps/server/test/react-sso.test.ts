// @vitest-environment happy-dom
/// <reference lib="dom" />
// useSsoSignIn against a live server and a real OpenID provider (oidc-rig.ts), as a page on Gatehouse's
// own origin (cookie mode) and as an app holding the token in memory. happy-dom cannot follow a
// cross-origin interactive login, so the trip through the IdP is driven over HTTP (as sso-http.test.ts
// does) from the URL start() sent the browser to, and the page is then put at the redirect with ?code=.
import type { ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ownerWithKey, seedDomain } from '@gatehouse/api/testing';
import { GatehouseProvider, type SessionMode, useSession, useSsoSignIn } from '@gatehouse/client/react';
import { createTestDatabase, type TestDatabase } from '@gatehouse/db/testing';
import { createElement as h, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { browserEdge } from './browser-edge.js';
import { http, OIDC_CLIENT, startOidcProvider, type TestIdp, throughIdp } from './oidc-rig.js';
import { freePort, startServer, stopServer } from './processes.js';

const env = {} as { db: TestDatabase; url: string; idp: TestIdp };
let server: ChildProcess | undefined;
let edge: Server | undefined;
beforeAll(async () => {
  env.db = await createTestDatabase();
  const port = await freePort();
  edge = await browserEdge(port);
  env.url = `http://127.0.0.1:${(edge.address() as AddressInfo).port}`;
  env.idp = await startOidcProvider(OIDC_CLIENT, env.url);
  server = await startServer({
    ...process.env,
    DATABASE_URL: env.db.url,
    PORT: String(port),
    GATEHOUSE_PUBLIC_URL: env.url,
    // The provider is on loopback.
    GATEHOUSE_ALLOW_LOOPBACK_URLS: 'true',
    LOG_LEVEL: 'info',
  });
}, 60_000);
afterAll(async () => {
  await new Promise((done) => edge?.close(done));
  if (server) await stopServer(server);
  await env.idp?.close();
  await env.db?.drop();
});

let subjects = 0;
/** A new person at the provider, asserting `claims`: their subject. */
function person(claims: Record<string, unknown>): string {
  const sub = `react-person-${++subjects}`;
  env.idp.accounts.set(sub, claims);
  return sub;
}

const setUrl = (url: string) => (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url);

/** An organization with a verified domain and an SSO connection to the rig's provider (over REST). */
async function organization() {
  const owner = await ownerWithKey(env.db.orm);
  const { domain } = await seedDomain(env.db.orm, owner.organizationId, 'verified');
  const enabled = await http(`${env.url}/api/v1/organizations/${owner.organizationId}/sso-connection`, {
    method: 'POST',
    headers: { authorization: `Bearer ${owner.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ identifier: env.idp.issuer, client_id: OIDC_CLIENT.id, client_secret: OIDC_CLIENT.secret }),
  });
  expect(enabled.status, enabled.body).toBe(201);
  const [row] = await env.db.orm.em
    .fork()
    .execute<{ label: string }[]>('select label from organizations where id = ?', [owner.organizationId]);
  return { ...owner, domain, label: row?.label as string };
}

/**
 * What the browser does after start(): GET the start URL (the sign-in cookie), through the IdP as `sub`,
 * then GET /sso/callback with that cookie: the redirect back to the page, with ?code=.
 */
async function browserTrip(startUrl: string, sub: string): Promise<string> {
  const started = await http(startUrl);
  expect(started.status, started.body).toBe(302);
  const cookie = (started.headers['set-cookie']?.[0] ?? '').split(';')[0] as string;
  const callback = await throughIdp(started.headers.location as string, sub, env.url);
  expect(callback.startsWith('/sso/callback?')).toBe(true);
  const back = await http(`${env.url}${callback}`, { headers: { cookie } });
  expect(back.status, back.body).toBe(302);
  return back.headers.location as string;
}

function App({ label }: { label: string }) {
  const session = useSession();
  const { start, complete, error } = useSsoSignIn();
  const [completed, setCompleted] = useState('');
  return h(
    'main',
    null,
    h('p', { id: 'status' }, session.status === 'signedIn' ? `${session.user?.email}` : session.status),
    h('p', { id: 'error' }, error ? `${error.code}:${error.reason}` : ''),
    h('p', { id: 'completed' }, completed),
    h('button', { id: 'start', type: 'button', onClick: () => start(label) }, 'Sign in with SSO'),
    h(
      'button',
      {
        id: 'complete',
        type: 'button',
        onClick: () =>
          complete().then(
            (signedIn) => setCompleted(String(signedIn)),
            () => setCompleted('refused'),
          ),
      },
      'Complete',
    ),
  );
}

function mount(props: { session?: SessionMode; url?: string }, label: string) {
  const container = document.createElement('div');
  document.body.append(container);
  const root = createRoot(container);
  root.render(h(GatehouseProvider, { ...props }, h(App, { label })));
  const text = (selector: string) => container.querySelector(selector)?.textContent ?? '';
  const click = (selector: string) => container.querySelector<HTMLButtonElement>(selector)?.click();
  return { text, click, unmount: () => root.unmount() };
}

const until = (check: () => void) => vi.waitFor(check, { timeout: 10_000, interval: 20 });

describe('useSsoSignIn', () => {
  it.each([
    ['cookie mode (a page on the server origin)', {}],
    ['token mode (the token kept in memory)', { session: 'token' as const }],
  ])(
    '%s: start() goes to the IdP, complete() signs in, takes the code out of the URL, and a spent code is refused',
    async (_, mode) => {
      const org = await organization();
      const email = `ada.${Math.random().toString(36).slice(2, 8)}@${org.domain}`;
      const sub = person({ email, email_verified: true, name: 'Ada' });
      setUrl(`${env.url}/console?tab=sso#top`);
      const assign = vi.spyOn(window.location, 'assign').mockImplementation(() => {});
      const app = mount({ ...mode, url: env.url }, org.label);
      await until(() => expect(app.text('#status')).toBe('signedOut'));

      // A page with no code: nothing to complete.
      app.click('#complete');
      await until(() => expect(app.text('#completed')).toBe('false'));

      app.click('#start');
      // Back to this page without its query (or fragment).
      const startUrl = `${env.url}/sso/${org.label}/start?redirect_uri=${encodeURIComponent(`${env.url}/console`)}`;
      expect(assign).toHaveBeenCalledWith(startUrl);
      assign.mockRestore();

      const back = await browserTrip(startUrl, sub);
      const code = new URL(back).searchParams.get('code') as string;
      expect(code).toMatch(/^ghc_/);
      setUrl(`${back}&tab=sso`);
      app.click('#complete');
      await until(() => expect(app.text('#status')).toBe(email.toLowerCase()));
      expect(app.text('#completed')).toBe('true');
      // The code is gone from the URL; the rest of it stays.
      expect(window.location.href).toBe(`${env.url}/console?tab=sso`);
      // Cookie mode: the session is an HttpOnly cookie, nothing of it readable here.
      expect(document.cookie).toBe('');

      // The same code again (a reload of the redirect, say): refused, and the session stands.
      setUrl(back);
      app.click('#complete');
      await until(() => expect(app.text('#error')).toBe('UNAUTHORIZED:UNAUTHORIZED'));
      expect(app.text('#completed')).toBe('refused');
      expect(window.location.href).toBe(`${env.url}/console`);
      expect(app.text('#status')).toBe(email.toLowerCase());
      app.unmount();
    },
  );
});
