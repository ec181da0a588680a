// A real OpenID provider (oidc-provider, its devInteractions) on loopback, and a browser's trip through
// it driven over HTTP with a cookie jar (node:http, so it works under happy-dom too, whose fetch is not
// Node's): from the IdP's authorization URL, signing in as a subject and consenting, up to the redirect
// to Gatehouse's /sso/callback.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export const RIG_CLIENT = { id: 'gatehouse', secret: 'a client secret of the test provider 81f2' };

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

export interface OidcRig {
  issuer: string;
  /** A new person at the provider, asserting `claims`: their subject. */
  person(claims: Record<string, unknown>): string;
  /** From the IdP's authorization URL, as `sub`, to the callback URL the IdP redirects to. */
  signIn(authorizationUrl: string, sub: string): Promise<string>;
  stop(): Promise<void>;
}

/** The provider, its one client sending sign-ins back to `callbackUrl` (Gatehouse's /sso/callback). */
export async function startOidcRig(callbackUrl: string): Promise<OidcRig> {
  const accounts = new Map<string, Record<string, unknown>>();
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: RIG_CLIENT.id,
        client_secret: RIG_CLIENT.secret,
        redirect_uris: [callbackUrl],
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
  let subjects = 0;

  async function signIn(authorizationUrl: string, sub: string): Promise<string> {
    if (!authorizationUrl.startsWith(`${issuer}/auth?`)) throw new Error(`not the provider: ${authorizationUrl}`);
    const jar = new Map<string, string>();
    const keep = (answer: HttpAnswer) => {
      for (const line of answer.headers['set-cookie'] ?? []) {
        const [pair] = line.split(';');
        const at = (pair as string).indexOf('=');
        jar.set((pair as string).slice(0, at), (pair as string).slice(at + 1));
      }
    };
    const cookie = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    let location = authorizationUrl;
    for (let hop = 0; hop < 12; hop++) {
      if (!location.startsWith(`${issuer}/`)) return location;
      const answer = await http(location, { headers: { cookie: cookie() } });
      keep(answer);
      if (answer.status >= 300 && answer.status < 400) {
        location = new URL(answer.headers.location as string, location).href;
        continue;
      }
      if (answer.status !== 200) throw new Error(`the provider answered ${answer.status}: ${answer.body}`);
      const action = answer.body.match(/<form[^>]*action="([^"]+)"/)?.[1];
      const prompt = answer.body.match(/name="prompt" value="(\w+)"/)?.[1];
      if (!action || !prompt) throw new Error(`no interaction form at ${location}`);
      const form = new URLSearchParams({ prompt, ...(prompt === 'login' ? { login: sub, password: 'any' } : {}) });
      const submitted = await http(new URL(action, location).href, {
        method: 'POST',
        headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
      keep(submitted);
      if (submitted.status !== 302 && submitted.status !== 303) throw new Error(`form answered ${submitted.status}`);
      location = new URL(submitted.headers.location as string, location).href;
    }
    throw new Error('too many redirects');
  }

  return {
    issuer,
    person: (claims) => {
      const sub = `rig-person-${++subjects}`;
      accounts.set(sub, claims);
      return sub;
    },
    signIn,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
