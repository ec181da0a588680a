// Browser sessions over real HTTP: the session cookie and its attributes, the CSRF rules on every
// surface (tRPC, REST, GraphQL), bearer tokens untouched, and auth.sessions.* across two server
// processes on one database, each listening for the other's invalidations.
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { OwnedRuntime } from '@gatehouse/api';
import { callerFor, ownerWithKey, sessionFor, startTestRuntime, tokenOf, uniqueEmail } from '@gatehouse/api/testing';
import { createTestDatabase, type TestDatabase } from '@gatehouse/db/testing';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFor } from './app.js';
import { freePort } from './processes.js';

const PASSWORD = 'a sturdy passphrase 42';
const EVIL = 'https://evil.example';

interface Process {
  runtime: OwnedRuntime;
  url: string;
  close: () => Promise<void>;
}
const env = {} as { db: TestDatabase; a: Process; b: Process; publicUrl: string };

/** A server process (its own runtime, cache and listener) served on `port`, answering for `publicUrl`. */
async function serveProcess(port: number, publicUrl: string): Promise<Process> {
  const runtime = await startTestRuntime(env.db, { publicUrl });
  const app = appFor(runtime);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    runtime,
    url: `http://127.0.0.1:${bound}`,
    close: async () => {
      await new Promise<void>((done) => server.close(() => done()));
      await runtime.stop();
    },
  };
}

beforeAll(async () => {
  env.db = await createTestDatabase();
  const port = await freePort();
  // Two processes behind one public origin (a load balancer's): pages of that origin may use the cookie.
  env.publicUrl = `http://127.0.0.1:${port}`;
  env.a = await serveProcess(port, env.publicUrl);
  env.b = await serveProcess(0, env.publicUrl);
});
afterAll(async () => {
  await env.a?.close();
  await env.b?.close();
  await env.db?.drop();
});

const sameOrigin = () => ({ origin: env.publicUrl, 'sec-fetch-site': 'same-origin' });
const crossSite = { origin: EVIL, 'sec-fetch-site': 'cross-site' };

/** A tRPC call over HTTP: the answer's status, data (superjson's json) or refusal `CODE:REASON`, and headers. */
async function trpc(
  url: string,
  path: string,
  { input, headers = {}, query = false }: { input?: unknown; headers?: Record<string, string>; query?: boolean } = {},
) {
  const body = input === undefined ? undefined : JSON.stringify({ json: input });
  const res = query
    ? await fetch(`${url}/trpc/${path}${body ? `?input=${encodeURIComponent(body)}` : ''}`, { headers })
    : await fetch(`${url}/trpc/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        ...(body ? { body } : {}),
      });
  const json = (await res.json()) as {
    result?: { data: { json: Record<string, unknown> } };
    error?: { json: { data: { code: string; reason: string } } };
  };
  const error = json.error?.json.data;
  return {
    status: res.status,
    data: json.result?.data.json,
    refusal: error ? `${error.code}:${error.reason}` : undefined,
    headers: res.headers,
  };
}

/** A signed-up account, then signed in from a browser: the cookie it got and the CSRF token. */
async function browserSignIn(url = env.a.url) {
  const email = uniqueEmail('browser');
  const signup = tokenOf(await callerFor(env.a.runtime).auth.signup({ email, password: PASSWORD, name: 'Ada' }));
  const { userId } = signup;
  // Only the browser's session stays.
  await callerFor(env.a.runtime, { authorization: `Bearer ${signup.sessionToken}` }).auth.logout();
  const login = await trpc(url, 'auth.login', {
    input: { email, password: PASSWORD, cookie: true },
    headers: { ...sameOrigin(), 'user-agent': 'Firefox (test)' },
  });
  const setCookie = login.headers.getSetCookie();
  const cookie = setCookie[0]?.split(';')[0] as string;
  return { email, userId, login, setCookie, cookie, csrf: login.data?.csrfToken as string };
}

const nameOf = async (userId: string) => {
  const [row] = await env.db.orm.em.fork().execute<{ name: string }[]>('select name from users where id = ?', [userId]);
  return row?.name;
};
const liveSessions = async (userId: string) => {
  const [row] = await env.db.orm.em
    .fork()
    .execute<{ n: number }[]>('select count(*)::int as n from sessions where user_id = ? and revoked_at is null', [
      userId,
    ]);
  return row?.n;
};

describe('the session cookie', () => {
  it('auth.login with cookie: true sets an HttpOnly, SameSite=Lax cookie and answers the CSRF token, not the session token', async () => {
    const { login, setCookie, cookie, csrf } = await browserSignIn();
    expect(login.status).toBe(200);
    expect(setCookie).toHaveLength(1);
    expect(setCookie[0]).toMatch(
      /^gatehouse_session=ghs_[0-9A-Za-z]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=604800$/,
    );
    expect(login.data).toEqual({ cookie: true, csrfToken: expect.any(String), expiresAt: expect.any(String) });
    expect(csrf).toMatch(/^[\w-]{43}$/);
    expect(JSON.stringify(login.data)).not.toContain(cookie.split('=')[1]);
  });

  it('over https (or an https public URL) it is Secure and named __Host-', async () => {
    const email = uniqueEmail('https');
    await callerFor(env.a.runtime).auth.signup({ email, password: PASSWORD, name: 'Sec' });
    const res = await appFor(env.a.runtime).request('https://id.example/trpc/auth.login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { email, password: PASSWORD, cookie: true } }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()[0]).toMatch(
      /^__Host-gatehouse_session=ghs_\w{43}; Path=\/; HttpOnly; SameSite=Lax; Secure; Max-Age=604800$/,
    );
    // The unprefixed name is not read on https: a sibling subdomain cannot plant a session.
    const token = res.headers.getSetCookie()[0]?.split(';')[0]?.split('=')[1];
    const planted = await appFor(env.a.runtime).request('https://id.example/trpc/auth.whoami', {
      headers: { cookie: `gatehouse_session=${token}` },
    });
    expect(planted.status).toBe(401);
  });

  it('signup with cookie: true sets it too; without it the answer is the token, as before', async () => {
    const signup = await trpc(env.a.url, 'auth.signup', {
      input: { email: uniqueEmail('signup'), password: PASSWORD, name: 'New', cookie: true },
      headers: sameOrigin(),
    });
    expect(signup.headers.getSetCookie()[0]).toMatch(/^gatehouse_session=ghs_/);
    expect(Object.keys(signup.data ?? {}).sort()).toEqual(['cookie', 'csrfToken', 'expiresAt', 'userId']);
    const plain = await trpc(env.a.url, 'auth.signup', {
      input: { email: uniqueEmail('signup'), password: PASSWORD, name: 'Plain' },
    });
    expect(plain.headers.getSetCookie()).toEqual([]);
    expect(plain.data?.sessionToken).toMatch(/^ghs_/);
  });

  it('REST sets and clears it the same way', async () => {
    const email = uniqueEmail('rest');
    await callerFor(env.a.runtime).auth.signup({ email, password: PASSWORD, name: 'Rest' });
    const login = await fetch(`${env.a.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...sameOrigin() },
      body: JSON.stringify({ email, password: PASSWORD, cookie: true }),
    });
    expect(login.status).toBe(200);
    const [setCookie] = login.headers.getSetCookie();
    expect(setCookie).toMatch(/^gatehouse_session=ghs_\w{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=604800$/);
    const body = (await login.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['cookie', 'csrf_token', 'expires_at']);
    const cookie = setCookie?.split(';')[0] as string;
    const logout = await fetch(`${env.a.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { cookie, ...sameOrigin(), 'x-gatehouse-csrf': body.csrf_token as string },
    });
    expect(logout.status).toBe(204);
    expect(logout.headers.getSetCookie()).toEqual(['gatehouse_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0']);
  });

  it('auth.exchangeSsoCode with cookie: true sets the same cookie, and a change with its CSRF token works (on the other process too)', async () => {
    const { userId, organizationId } = await ownerWithKey(env.db.orm);
    // The one-time code an SSO sign-in hands its redirect_uri (the IdP step is sso-http.test.ts's).
    const ssoCode = async () => {
      const code = `ghc_${createHash('sha256').update(uniqueEmail('code')).digest('hex').slice(0, 43)}`;
      await env.db.orm.em.fork().execute(
        `insert into sso_codes (code_hash, user_id, organization_id, expires_at, created_at)
           values (?, ?, ?, now() + interval '1 minute', now())`,
        [createHash('sha256').update(code).digest('hex'), userId, organizationId],
      );
      return code;
    };
    const code = await ssoCode();
    const exchanged = await trpc(env.a.url, 'auth.exchangeSsoCode', {
      input: { code, cookie: true },
      headers: sameOrigin(),
    });
    expect(exchanged.status).toBe(200);
    const setCookie = exchanged.headers.getSetCookie();
    expect(setCookie).toHaveLength(1);
    expect(setCookie[0]).toMatch(/^gatehouse_session=ghs_\w{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=604800$/);
    expect(exchanged.data).toEqual({ cookie: true, csrfToken: expect.any(String), expiresAt: expect.any(String) });
    const cookie = setCookie[0]?.split(';')[0] as string;
    expect(JSON.stringify(exchanged.data)).not.toContain(cookie.split('=')[1]);
    const renamed = await trpc(env.b.url, 'users.updateMe', {
      input: { name: 'Signed in by SSO' },
      headers: { cookie, ...sameOrigin(), 'x-gatehouse-csrf': exchanged.data?.csrfToken as string },
    });
    expect(renamed.status).toBe(200);
    expect(await nameOf(userId)).toBe('Signed in by SSO');
    // Without the CSRF token the cookie changes nothing.
    const forged = await trpc(env.a.url, 'users.updateMe', {
      input: { name: 'Forged' },
      headers: { cookie, ...sameOrigin() },
    });
    expect(forged.refusal).toBe('FORBIDDEN:CSRF');
    expect(await nameOf(userId)).toBe('Signed in by SSO');

    // Spent: the same code again is refused, and sets nothing.
    const again = await trpc(env.a.url, 'auth.exchangeSsoCode', {
      input: { code, cookie: true },
      headers: sameOrigin(),
    });
    expect(again.refusal).toBe('UNAUTHORIZED:UNAUTHORIZED');
    expect(again.headers.getSetCookie()).toEqual([]);

    // Without cookie: the bearer token, as before, and no cookie; REST takes the option too.
    const plain = await trpc(env.a.url, 'auth.exchangeSsoCode', { input: { code: await ssoCode() } });
    expect(plain.headers.getSetCookie()).toEqual([]);
    expect(Object.keys(plain.data ?? {}).sort()).toEqual(['expiresAt', 'sessionToken']);
    const rest = await fetch(`${env.a.url}/api/v1/auth/sso/exchange`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...sameOrigin() },
      body: JSON.stringify({ code: await ssoCode(), cookie: true }),
    });
    expect(rest.status).toBe(200);
    expect(rest.headers.getSetCookie()[0]).toMatch(/^gatehouse_session=ghs_\w{43}; Path=\/; HttpOnly;/);
    expect(Object.keys((await rest.json()) as object).sort()).toEqual(['cookie', 'csrf_token', 'expires_at']);
  });

  it('a query with the cookie needs no token; auth.whoami answers the CSRF token only to a cookie', async () => {
    const { cookie, csrf, userId } = await browserSignIn();
    const me = await trpc(env.a.url, 'auth.whoami', { query: true, headers: { cookie } });
    expect(me.data).toMatchObject({ userId, csrfToken: csrf });
    const token = cookie.split('=')[1] as string;
    const byBearer = await trpc(env.a.url, 'auth.whoami', {
      query: true,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(byBearer.data?.userId).toBe(userId);
    expect(byBearer.data).not.toHaveProperty('csrfToken');
  });
});

describe('CSRF', () => {
  it('a cross-site form post carrying the cookie is FORBIDDEN CSRF, and nothing changes', async () => {
    const { cookie, csrf, userId } = await browserSignIn();
    const form = new FormData();
    form.set('name', 'Hijacked');
    const res = await fetch(`${env.a.url}/trpc/users.updateMe`, {
      method: 'POST',
      headers: { cookie, ...crossSite },
      body: form,
    });
    const body = (await res.json()) as { error: { json: { data: { code: string; reason: string } } } };
    expect(res.status).toBe(403);
    expect(`${body.error.json.data.code}:${body.error.json.data.reason}`).toBe('FORBIDDEN:CSRF');
    // Even holding the CSRF token (it cannot, but say it leaked), another site's page is refused.
    const leaked = await trpc(env.a.url, 'users.updateMe', {
      input: { name: 'Hijacked' },
      headers: { cookie, ...crossSite, 'x-gatehouse-csrf': csrf },
    });
    expect(leaked.refusal).toBe('FORBIDDEN:CSRF');
    // REST: an empty cross-site form post.
    const rest = await fetch(`${env.a.url}/api/v1/auth/sessions/revoke-others`, {
      method: 'POST',
      headers: { cookie, origin: EVIL, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(rest.status).toBe(403);
    expect(((await rest.json()) as { reason: string }).reason).toBe('CSRF');
    expect(await nameOf(userId)).toBe('Ada');
  });

  it('a cookie is never accepted from another site, not even for a query', async () => {
    const { cookie } = await browserSignIn();
    expect((await trpc(env.a.url, 'auth.whoami', { query: true, headers: { cookie, ...crossSite } })).refusal).toBe(
      'FORBIDDEN:CSRF',
    );
    expect(
      (await trpc(env.a.url, 'auth.whoami', { query: true, headers: { cookie, 'sec-fetch-site': 'same-site' } }))
        .refusal,
    ).toBe('FORBIDDEN:CSRF');
  });

  it('a same-origin change without the CSRF header, or with a wrong one, is FORBIDDEN CSRF', async () => {
    const { cookie, csrf, userId } = await browserSignIn();
    const other = await browserSignIn();
    const attempts = {
      missing: { cookie, ...sameOrigin() },
      wrong: { cookie, ...sameOrigin(), 'x-gatehouse-csrf': `${csrf.slice(0, -1)}x` },
      "another session's": { cookie, ...sameOrigin(), 'x-gatehouse-csrf': other.csrf },
      // The token alone, with no sign of the page's origin, is not enough either.
      'no origin': { cookie, 'x-gatehouse-csrf': csrf },
    };
    for (const [what, headers] of Object.entries(attempts)) {
      const res = await trpc(env.a.url, 'users.updateMe', { input: { name: 'Changed' }, headers });
      expect(`${what}: ${res.refusal}`).toBe(`${what}: FORBIDDEN:CSRF`);
    }
    expect(await nameOf(userId)).toBe('Ada');
  });

  it('a same-origin fetch with the token passes, on tRPC and REST', async () => {
    const { cookie, csrf, userId } = await browserSignIn();
    const ok = await trpc(env.a.url, 'users.updateMe', {
      input: { name: 'Grace' },
      headers: { cookie, origin: env.publicUrl, 'x-gatehouse-csrf': csrf },
    });
    expect(ok.status).toBe(200);
    expect(await nameOf(userId)).toBe('Grace');
    // Sec-Fetch-Site alone says same-origin too (a GET-less fetch without Origin).
    const bySite = await trpc(env.b.url, 'users.updateMe', {
      input: { name: 'Grace Hopper' },
      headers: { cookie, 'sec-fetch-site': 'same-origin', 'x-gatehouse-csrf': csrf },
    });
    expect(bySite.status).toBe(200);
    const rest = await fetch(`${env.a.url}/api/v1/me`, {
      method: 'PATCH',
      headers: { cookie, ...sameOrigin(), 'x-gatehouse-csrf': csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'G. Hopper' }),
    });
    expect(rest.status).toBe(200);
    expect(await nameOf(userId)).toBe('G. Hopper');
  });

  it('GraphQL mutations follow the same rules', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const token = await sessionFor(env.db.orm, owner.userId);
    const cookie = `gatehouse_session=${token}`;
    const me = await trpc(env.a.url, 'auth.whoami', { query: true, headers: { cookie } });
    const invite = (headers: Record<string, string>) =>
      fetch(`${env.a.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, ...headers },
        body: JSON.stringify({
          query: 'mutation { inviteUser(email: "x@example.com", accountType: DEVELOPER) { ok } }',
        }),
      }).then(async (r) => (await r.json()) as { data?: unknown; errors?: { extensions?: { reason?: string } }[] });
    expect((await invite(crossSite)).errors?.[0]?.extensions?.reason).toBe('CSRF');
    expect((await invite(sameOrigin())).errors?.[0]?.extensions?.reason).toBe('CSRF');
    const done = await invite({ ...sameOrigin(), 'x-gatehouse-csrf': me.data?.csrfToken as string });
    expect(done).toEqual({ data: { inviteUser: { ok: true } } });
  });

  it('bearer tokens work as before and win over a cookie, whatever the origin', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const { cookie } = await browserSignIn();
    const res = await trpc(env.a.url, 'users.updateMe', {
      input: { name: 'By key' },
      headers: { authorization: `Bearer ${owner.key}`, cookie, ...crossSite },
    });
    expect(res.status).toBe(200);
    expect(await nameOf(owner.userId)).toBe('By key');
  });

  it('auth.logout ends the session and clears the cookie', async () => {
    const { cookie, csrf } = await browserSignIn();
    const out = await trpc(env.a.url, 'auth.logout', {
      headers: { cookie, ...sameOrigin(), 'x-gatehouse-csrf': csrf },
    });
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie()).toEqual(['gatehouse_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0']);
    expect((await trpc(env.a.url, 'auth.whoami', { query: true, headers: { cookie } })).refusal).toBe(
      'UNAUTHORIZED:UNAUTHORIZED',
    );
  });
});

describe('auth.sessions across two server processes', () => {
  const waitRefused = async (url: string, headers: Record<string, string>) => {
    const started = Date.now();
    // The other process hears the invalidation over NOTIFY: at once, but not synchronously.
    while ((await trpc(url, 'auth.whoami', { query: true, headers })).status === 200) {
      expect(Date.now() - started).toBeLessThan(1000);
      await new Promise((r) => setTimeout(r, 10));
    }
    return (await trpc(url, 'auth.whoami', { query: true, headers })).refusal;
  };

  it('lists on one process what the other signed in; a revoke on one holds on the other at once', async () => {
    const browser = await browserSignIn(env.a.url);
    const api = tokenOf(await callerFor(env.b.runtime).auth.login({ email: browser.email, password: PASSWORD }));
    const bearer = { authorization: `Bearer ${api.sessionToken}` };
    // Warm in process B's cache.
    expect((await trpc(env.b.url, 'auth.whoami', { query: true, headers: bearer })).status).toBe(200);

    const list = await trpc(env.b.url, 'auth.sessions.list', { query: true, headers: { cookie: browser.cookie } });
    const items = (list.data?.items ?? []) as { id: string; current: boolean; userAgent: string | null }[];
    expect(items.map((s) => [s.current, s.userAgent])).toEqual([
      [false, null],
      [true, 'Firefox (test)'],
    ]);
    const revoke = await trpc(env.a.url, 'auth.sessions.revoke', {
      input: { sessionId: items[0]?.id },
      headers: { cookie: browser.cookie, ...sameOrigin(), 'x-gatehouse-csrf': browser.csrf },
    });
    expect(revoke.status).toBe(200);
    expect(await waitRefused(env.b.url, bearer)).toBe('UNAUTHORIZED:UNAUTHORIZED');

    // Another user's session id is NOT_FOUND, and it lives on.
    const stranger = await browserSignIn();
    const strangers = await trpc(env.a.url, 'auth.sessions.list', {
      query: true,
      headers: { cookie: stranger.cookie },
    });
    const [theirs] = (strangers.data?.items ?? []) as { id: string }[];
    const refused = await trpc(env.b.url, 'auth.sessions.revoke', {
      input: { sessionId: theirs?.id },
      headers: { cookie: browser.cookie, ...sameOrigin(), 'x-gatehouse-csrf': browser.csrf },
    });
    expect(refused.refusal).toBe('NOT_FOUND:NOT_FOUND');
    expect((await trpc(env.b.url, 'auth.whoami', { query: true, headers: { cookie: stranger.cookie } })).status).toBe(
      200,
    );
  });

  it('revokeOthers, and a password change, end the other sessions in the other process', async () => {
    const browser = await browserSignIn(env.a.url);
    const login = () => callerFor(env.b.runtime).auth.login({ email: browser.email, password: PASSWORD });
    const first = { authorization: `Bearer ${tokenOf(await login()).sessionToken}` };
    expect((await trpc(env.b.url, 'auth.whoami', { query: true, headers: first })).status).toBe(200);
    const others = await trpc(env.a.url, 'auth.sessions.revokeOthers', {
      headers: { cookie: browser.cookie, ...sameOrigin(), 'x-gatehouse-csrf': browser.csrf },
    });
    expect(others.data).toEqual({ revoked: 1 });
    expect(await waitRefused(env.b.url, first)).toBe('UNAUTHORIZED:UNAUTHORIZED');

    const second = { authorization: `Bearer ${tokenOf(await login()).sessionToken}` };
    expect((await trpc(env.b.url, 'auth.whoami', { query: true, headers: second })).status).toBe(200);
    const changed = await trpc(env.a.url, 'auth.changePassword', {
      input: { oldPassword: PASSWORD, newPassword: `${PASSWORD} anew` },
      headers: { cookie: browser.cookie, ...sameOrigin(), 'x-gatehouse-csrf': browser.csrf },
    });
    expect(changed.status).toBe(200);
    expect(await waitRefused(env.b.url, second)).toBe('UNAUTHORIZED:UNAUTHORIZED');
    expect(await liveSessions(browser.userId)).toBe(1);
    expect((await trpc(env.b.url, 'auth.whoami', { query: true, headers: { cookie: browser.cookie } })).status).toBe(
      200,
    );
  });

  it('a use slides the expiry (time moved by backdating the row)', async () => {
    const browser = await browserSignIn(env.a.url);
    const em = env.db.orm.em.fork();
    await em.execute(
      `update sessions set last_seen_at = now() - interval '5 minutes', expires_at = now() + interval '1 minute'
        where user_id = ? and revoked_at is null`,
      [browser.userId],
    );
    const res = await trpc(env.b.url, 'auth.whoami', {
      query: true,
      headers: { cookie: browser.cookie, 'user-agent': 'Safari (test)' },
    });
    expect(res.status).toBe(200);
    const [row] = await em.execute<{ expires_at: string; user_agent: string }[]>(
      'select expires_at, user_agent from sessions where user_id = ? and revoked_at is null',
      [browser.userId],
    );
    expect(Date.parse(row?.expires_at as string)).toBeGreaterThan(Date.now() + 11 * 3600_000);
    expect(row?.user_agent).toBe('Safari (test)');
  });
});
