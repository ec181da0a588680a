// The OIDC test rig: a real OpenID provider (oidc-provider) on loopback, and a browser driving its login
// and consent (devInteractions, over HTTP with a cookie jar) up to the redirect back to Gatehouse's callback.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { expect } from 'vitest';

export const OIDC_CLIENT = { id: 'gatehouse', secret: 'a client secret of the test provider 81f2' };
/** The callback every test runtime registers at the provider (its publicUrl is http://gatehouse.test). */
export const GATEHOUSE = 'http://gatehouse.test';

export interface TestIdp {
  issuer: string;
  /** sub → the claims the provider asserts for it. */
  accounts: Map<string, Record<string, unknown>>;
  close(): Promise<void>;
}

/** An OpenID provider on 127.0.0.1 (a port of its own), knowing the client `client`. */
export async function startOidcProvider(client = OIDC_CLIENT): Promise<TestIdp> {
  const accounts = new Map<string, Record<string, unknown>>();
  let handler: Parameters<typeof createServer>[1] = (_req, res) => res.writeHead(503).end();
  const idp = createServer((req, res) => handler?.(req, res));
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: client.id,
        client_secret: client.secret,
        redirect_uris: [`${GATEHOUSE}/sso/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    findAccount: (_ctx: unknown, id: string) =>
      accounts.has(id) ? { accountId: id, claims: () => ({ sub: id, ...accounts.get(id) }) } : undefined,
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ['a cookie signing key for the test provider'] },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
  });
  handler = provider.callback();
  return {
    issuer,
    accounts,
    close: () => new Promise<void>((resolve) => idp.close(() => resolve())),
  };
}

function remember(jar: Map<string, string>, response: Response) {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const at = (pair as string).indexOf('=');
    jar.set((pair as string).slice(0, at), (pair as string).slice(at + 1));
  }
}

/**
 * A fresh browser at the provider: follows `location` (the authorization URL), signs in as `sub` and
 * consents, up to the redirect back to Gatehouse: returns that callback's path and query (not yet called).
 */
export async function throughIdp(location: string, sub: string): Promise<string> {
  const jar = new Map<string, string>();
  const cookie = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  for (let hop = 0; hop < 12; hop++) {
    if (location.startsWith(`${GATEHOUSE}/`)) return location.slice(GATEHOUSE.length);
    const response = await fetch(location, { redirect: 'manual', headers: { cookie: cookie() } });
    remember(jar, response);
    if (response.status >= 300 && response.status < 400) {
      location = new URL(response.headers.get('location') as string, location).href;
      continue;
    }
    const html = await response.text();
    expect(response.status, html).toBe(200);
    const action = html.match(/<form[^>]*action="([^"]+)"/)?.[1];
    const prompt = html.match(/name="prompt" value="(\w+)"/)?.[1];
    if (!action || !prompt) throw new Error(`no interaction form at ${location}`);
    const form = new URLSearchParams({ prompt, ...(prompt === 'login' ? { login: sub, password: 'any' } : {}) });
    const submitted = await fetch(new URL(action, location), {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    remember(jar, submitted);
    expect([302, 303]).toContain(submitted.status);
    location = new URL(submitted.headers.get('location') as string, location).href;
  }
  throw new Error('too many redirects');
}
