// The OIDC test rig: a real OpenID provider (oidc-provider) on loopback, and a browser driving its login
// and consent (devInteractions, over HTTP with a cookie jar) up to the redirect back to Gatehouse's callback.
// The browser speaks node:http, not fetch, so the rig also works under happy-dom (whose fetch is not Node's).
import { createServer, type IncomingHttpHeaders, request } from 'node:http';
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

/**
 * An OpenID provider on 127.0.0.1 (a port of its own), knowing the client `client`, whose sign-ins go
 * back to `gatehouse` (a test runtime's publicUrl, or a served process's URL).
 */
export async function startOidcProvider(client = OIDC_CLIENT, gatehouse = GATEHOUSE): Promise<TestIdp> {
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
        redirect_uris: [`${gatehouse}/sso/callback`],
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

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One HTTP request over loopback, never following a redirect. */
export function http(
  url: string,
  { method = 'GET', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function remember(jar: Map<string, string>, answer: HttpAnswer) {
  for (const line of answer.headers['set-cookie'] ?? []) {
    const [pair] = line.split(';');
    const at = (pair as string).indexOf('=');
    jar.set((pair as string).slice(0, at), (pair as string).slice(at + 1));
  }
}

/**
 * A fresh browser at the provider: follows `location` (the authorization URL), signs in as `sub` and
 * consents, up to the redirect back to `gatehouse`: returns that callback's path and query (not yet called).
 */
export async function throughIdp(location: string, sub: string, gatehouse = GATEHOUSE): Promise<string> {
  const jar = new Map<string, string>();
  const cookie = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  for (let hop = 0; hop < 12; hop++) {
    if (location.startsWith(`${gatehouse}/`)) return location.slice(gatehouse.length);
    const response = await http(location, { headers: { cookie: cookie() } });
    remember(jar, response);
    if (response.status >= 300 && response.status < 400) {
      location = new URL(response.headers.location as string, location).href;
      continue;
    }
    expect(response.status, response.body).toBe(200);
    const action = response.body.match(/<form[^>]*action="([^"]+)"/)?.[1];
    const prompt = response.body.match(/name="prompt" value="(\w+)"/)?.[1];
    if (!action || !prompt) throw new Error(`no interaction form at ${location}`);
    const form = new URLSearchParams({ prompt, ...(prompt === 'login' ? { login: sub, password: 'any' } : {}) });
    const submitted = await http(new URL(action, location).href, {
      method: 'POST',
      headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    remember(jar, submitted);
    expect([302, 303]).toContain(submitted.status);
    location = new URL(submitted.headers.location as string, location).href;
  }
  throw new Error('too many redirects');
}
