// What the server's log says about failures: each request line carries the code and reason its answer
// gave, on every surface, and an origin that CORS leaves out is named once, with the setting to change.
import { ownerWithKey, useTestRuntime } from '@gatehouse/api/testing';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { type AppOptions, createApp } from '../src/app.js';
import { MAX_LOGGED_ORIGINS } from '../src/http-guards.js';

const env = useTestRuntime();

/** The app, and the log lines it writes, parsed. */
function appWithLog(options: Partial<AppOptions> = {}, host = 'gatehouse.test') {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'info', base: null, timestamp: false },
    { write: (line) => lines.push(JSON.parse(line)) },
  );
  const app = createApp({ runtime: env.runtime, logger, ...options });
  const url = (path: string) => `http://${host}${path}`;
  return { request: (path: string, init?: RequestInit) => app.request(url(path), init), lines };
}

const json = { 'content-type': 'application/json' };

describe('request log', () => {
  it('gives a failed request its code and reason, whichever surface answered', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const auth = { authorization: `Bearer ${owner.key}` };
    const { request, lines } = appWithLog({ bodyLimit: 1024 });
    const elsewhere = (await ownerWithKey(env.db.orm)).organizationId;
    const batch = encodeURIComponent(JSON.stringify({ 1: { json: { organizationId: elsewhere } } }));
    const answers = [
      await request('/healthz'),
      await request('/trpc/auth.whoami'),
      await request('/trpc/organizations.removeMember', {
        method: 'POST',
        headers: { ...auth, ...json },
        body: JSON.stringify({ json: { organizationId: owner.organizationId, userId: owner.userId } }),
      }),
      await request(`/trpc/auth.whoami,organizations.retrieve?batch=1&input=${batch}`, { headers: auth }),
      await request(`/api/v1/organizations/${owner.organizationId}/members`),
      await request('/api/v1/nowhere'),
      await request('/graphql', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ query: '{ listUsers { ok } }' }),
      }),
      await request('/oauth/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic Z2hjX25vOm5v' },
        body: 'grant_type=client_credentials',
      }),
      await request('/trpc/auth.login', { method: 'POST', headers: json, body: 'x'.repeat(2048) }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 401, 409, 207, 401, 404, 401, 401, 413]);
    const logged = lines.filter((l) => l.msg === 'request');
    expect(logged.map((l) => [l.path, l.status, l.code, l.reason])).toEqual([
      ['/healthz', 200, undefined, undefined],
      ['/trpc/auth.whoami', 401, 'UNAUTHORIZED', 'UNAUTHORIZED'],
      ['/trpc/organizations.removeMember', 409, 'CONFLICT', 'LAST_OWNER'],
      ['/trpc/auth.whoami,organizations.retrieve', 207, 'NOT_FOUND', 'NOT_FOUND'],
      [`/api/v1/organizations/${owner.organizationId}/members`, 401, 'UNAUTHORIZED', 'UNAUTHORIZED'],
      ['/api/v1/nowhere', 404, 'NOT_FOUND', 'NOT_FOUND'],
      ['/graphql', 401, 'UNAUTHORIZED', 'UNAUTHORIZED'],
      ['/oauth/token', 401, undefined, 'invalid_client'],
      ['/trpc/auth.login', 413, 'PAYLOAD_TOO_LARGE', 'PAYLOAD_TOO_LARGE'],
    ]);
    // The answer the client gets is unchanged by the log reading it.
    expect((await answers[5]?.json()) as unknown).toMatchObject({ code: 'NOT_FOUND', reason: 'NOT_FOUND' });
  });
});

describe('CORS log', () => {
  const from = (origin: string, method = 'GET') => ({
    method,
    headers: { origin, ...(method === 'OPTIONS' ? { 'access-control-request-method': 'POST' } : {}) },
  });
  const warnings = (lines: Record<string, unknown>[]) => lines.filter((l) => l.level === 40);

  it('names a refused origin once, with the setting that would allow it', async () => {
    const { request, lines } = appWithLog({ corsOrigins: ['https://console.example'] });
    await request('/healthz', from('https://console.example'));
    await request('/trpc/auth.login', from('https://evil.example', 'OPTIONS'));
    await request('/healthz', from('https://evil.example'));
    await request('/healthz', from('http://gatehouse.test')); // the server's own pages need no CORS
    // Nor behind a proxy that reaches the server under another Host: the public URL is their origin.
    const proxied = appWithLog({ corsOrigins: ['https://console.example'] }, '10.0.0.7:3000');
    await proxied.request('/healthz', from(env.runtime.publicUrl));
    expect(warnings(proxied.lines)).toEqual([]);
    expect(warnings(lines)).toEqual([
      {
        level: 40,
        origin: 'https://evil.example',
        msg: 'CORS: refused origin https://evil.example: it is not in GATEHOUSE_CORS_ORIGINS (add it there to let its pages call Gatehouse)',
      },
    ]);

    const closed = appWithLog();
    await closed.request('/trpc/auth.whoami', from('http://localhost:5173'));
    await closed.request('/trpc/auth.whoami', from('http://localhost:5173'));
    expect(warnings(closed.lines)).toEqual([
      {
        level: 40,
        origin: 'http://localhost:5173',
        msg: 'CORS: refused origin http://localhost:5173: GATEHOUSE_CORS_ORIGINS is unset (list the origin there to let its pages call Gatehouse)',
      },
    ]);

    const open = appWithLog({ corsOrigins: ['*'] });
    await open.request('/healthz', from('http://localhost:5173'));
    expect(warnings(open.lines)).toEqual([]);
  });

  it('remembers a bounded number of origins: made-up ones cannot grow memory or the log', async () => {
    const { request, lines } = appWithLog();
    for (let i = 0; i < MAX_LOGGED_ORIGINS + 50; i++) await request('/healthz', from(`https://made-up-${i}.example`));
    await request('/healthz', from('https://one-more.example'));
    const logged = warnings(lines);
    expect(logged).toHaveLength(MAX_LOGGED_ORIGINS + 1);
    expect(logged.at(-2)?.origin).toBe(`https://made-up-${MAX_LOGGED_ORIGINS - 1}.example`);
    expect(logged.at(-1)?.msg).toBe(`CORS: ${MAX_LOGGED_ORIGINS} origins refused and logged; further ones are not`);
  });
});
