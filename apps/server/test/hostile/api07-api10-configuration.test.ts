// OWASP API7:2023 SSRF, API8:2023 Security Misconfiguration, API9:2023 Improper Inventory
// Management and API10:2023 Unsafe Consumption of APIs (here: what a proxy, or a client pretending
// to be one, says in X-Forwarded-For).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogTransport } from '@gatehouse/api';
import { ownerWithKey, useTestRuntime } from '@gatehouse/api/testing';
import { describe, expect, it } from 'vitest';
import { clientAddressResolver, parseTrustProxy } from '../../src/client-address.js';
import { ConfigError, devMailAllowed, loadConfig } from '../../src/config.js';
import { appFor, fromPeer } from '../app.js';
import { serveApp } from '../listen.js';
import { bearer, call, expectRefused, signup, uniqueEmail } from './http.js';

const mail = createLogTransport(() => {});
const env = useTestRuntime({ mail });
const root = join(import.meta.dirname, '../../../..');

describe('API7 server-side request forgery', () => {
  it('builds links from the configured public URL, never from what the request claims', async () => {
    const app = appFor(env.runtime);
    const { email } = await signup(app, 'ssrf');
    await call(
      app,
      'auth.requestPasswordReset',
      { email },
      { headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example' } },
    );
    let link: string | undefined;
    for (let waited = 0; !link && waited < 5000; waited += 20) {
      link = mail
        .recent()
        .find((m) => m.to === email && m.text.includes('reset-password'))
        ?.text.match(/https?:\/\/\S+/)?.[0];
      if (!link) await new Promise((r) => setTimeout(r, 20)); // the queue's runner delivers after the commit
    }
    expect(link?.startsWith('http://gatehouse.test/reset-password?token=')).toBe(true);
  });

  it('takes no URL it would fetch; the one URL it stores must be https', async () => {
    const app = appFor(env.runtime);
    const { sessionToken } = await signup(app, 'avatar');
    for (const avatarUrl of [
      'http://169.254.169.254/latest/meta-data/',
      'file:///etc/passwd',
      'gopher://127.0.0.1:6379/_FLUSHALL',
    ]) {
      const data = expectRefused(
        await call(app, 'users.updateMe', { avatarUrl }, { headers: bearer(sessionToken) }),
        'BAD_REQUEST',
      );
      expect(Object.keys(data.fieldErrors ?? {})).toEqual(['avatarUrl']);
    }
  });
});

describe('API8 security misconfiguration', () => {
  const baseline = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'cache-control': 'no-store',
  };

  // In process (app.request) and over a socket: served by node, the headers go on node's response instead.
  it.each(['in process', 'served'])(
    'sends the security headers on every response, errors included; HSTS in production only (%s)',
    async (how) => {
      const owner = await ownerWithKey(env.db.orm);
      for (const production of [false, true]) {
        const app = appFor(env.runtime, { production, bodyLimit: 2048, devMail: () => [] });
        const server = how === 'served' ? await serveApp(app) : undefined;
        const request = (path: string, init?: RequestInit) =>
          server ? fetch(`${server.url}${path}`, init) : app.request(path, init);
        const responses = [
          await request('/healthz'),
          await request('/nowhere'),
          await request('/dev/mail'),
          await request('/trpc/auth.whoami', { headers: bearer(owner.key) }),
          await request('/trpc/auth.whoami'),
          await request('/trpc/auth.login', {
            method: 'POST',
            body: 'x'.repeat(4096),
            headers: { 'content-type': 'application/json' },
          }),
          await request('/trpc/auth.login', {
            method: 'POST',
            body: '['.repeat(100),
            headers: { 'content-type': 'application/json' },
          }),
          await request('/trpc/keys.verify', {
            method: 'POST',
            body: JSON.stringify({ json: { key: 'ghk_nope', permissions: 'members:read' } }),
            headers: { ...bearer(owner.key), 'content-type': 'application/json' },
          }),
          await request('/api/v1/keys/verify', {
            method: 'POST',
            body: JSON.stringify({ key: 'ghk_nope' }),
            headers: { ...bearer(owner.key), 'content-type': 'application/json' },
          }),
        ];
        // An answer's own cache-control or CSP wins over the defaults (the unless-set rule); the rest stay.
        const jwks = await request('/.well-known/jwks.json');
        const docs = await request('/docs');
        await server?.close();
        expect(jwks.headers.get('cache-control')).toBe('public, max-age=300');
        expect(docs.headers.get('content-security-policy')).toContain("'nonce-");
        for (const own of [jwks, docs]) expect(own.headers.get('x-frame-options')).toBe('DENY');
        expect(responses.map((r) => r.status)).toEqual([200, 404, 200, 200, 401, 413, 400, 200, 200]);
        for (const res of responses) {
          for (const [name, value] of Object.entries(baseline)) {
            if (name === 'content-security-policy') expect(res.headers.get(name)).toContain("frame-ancestors 'none'");
            else expect(res.headers.get(name), `${res.url} ${name}`).toBe(value);
          }
          expect(res.headers.get('strict-transport-security')).toBe(
            production ? 'max-age=31536000; includeSubDomains' : null,
          );
          expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
        }
      }
    },
  );

  it('answers no cross-origin request unless its origin is listed, and never with credentials', async () => {
    const cross = { origin: 'https://evil.example' };
    const preflight = (origin: string) => ({
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
    const closed = appFor(env.runtime);
    expect(
      (await closed.request('/healthz', { headers: cross })).headers.get('access-control-allow-origin'),
    ).toBeNull();
    expect(
      (await closed.request('/trpc/auth.login', preflight(cross.origin))).headers.get('access-control-allow-origin'),
    ).toBeNull();

    const listed = appFor(env.runtime, { corsOrigins: ['https://console.example'] });
    const allowed = await listed.request('/trpc/auth.login', preflight('https://console.example'));
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://console.example');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    expect(
      (await listed.request('/trpc/auth.login', preflight(cross.origin))).headers.get('access-control-allow-origin'),
    ).toBeNull();

    const anyone = appFor(env.runtime, { corsOrigins: ['*'] });
    const wildcard = await anyone.request('/healthz', { headers: cross });
    expect(wildcard.headers.get('access-control-allow-origin')).toBe('*');
    expect(wildcard.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('keeps development mail to loopback and out of production; a development start binds loopback', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'production' }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(devMailAllowed(loadConfig({}))).toBe(true);
    expect(devMailAllowed(loadConfig({ HOST: '::1' }))).toBe(true);
    expect(devMailAllowed(loadConfig({ HOST: '0.0.0.0' }))).toBe(false);
    expect(devMailAllowed(loadConfig({ HOST: '192.168.1.20' }))).toBe(false);
    expect(devMailAllowed(loadConfig({ NODE_ENV: 'production', HOST: '127.0.0.1' }))).toBe(false);
  });

  it('refuses a dangerous or meaningless setting at start-up, naming it', () => {
    const bad: [Record<string, string>, string][] = [
      [{ GATEHOUSE_TRUST_PROXY: 'yes please' }, 'GATEHOUSE_TRUST_PROXY'],
      [{ GATEHOUSE_TRUST_PROXY: '10.0.0.1,not-an-ip' }, 'GATEHOUSE_TRUST_PROXY'],
      [{ GATEHOUSE_CORS_ORIGINS: 'console.example' }, 'GATEHOUSE_CORS_ORIGINS'],
      [{ GATEHOUSE_BODY_LIMIT: '10' }, 'GATEHOUSE_BODY_LIMIT'],
      [{ GATEHOUSE_THROTTLE_STORE: 'redis' }, 'GATEHOUSE_THROTTLE_STORE'],
      [{ REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL'],
      [{ GATEHOUSE_INVITES_PER_HOUR: '0' }, 'GATEHOUSE_INVITES_PER_HOUR'],
      [{ GATEHOUSE_ORGANIZATIONS_PER_HOUR: 'many' }, 'GATEHOUSE_ORGANIZATIONS_PER_HOUR'],
      [{ GATEHOUSE_ALLOW_LOOPBACK_URLS: 'true', NODE_ENV: 'production' }, 'GATEHOUSE_ALLOW_LOOPBACK_URLS'],
      [{ GATEHOUSE_ALLOW_LOOPBACK_URLS: 'yes' }, 'GATEHOUSE_ALLOW_LOOPBACK_URLS'],
      [{ GATEHOUSE_DNS_SERVERS: 'dns.example.com' }, 'GATEHOUSE_DNS_SERVERS'],
      [{ GATEHOUSE_DNS_SERVERS: '127.0.0.1:99999' }, 'GATEHOUSE_DNS_SERVERS'],
      [{ GATEHOUSE_ALLOWED_REDIRECT_ORIGINS: 'app.example.com' }, 'GATEHOUSE_ALLOWED_REDIRECT_ORIGINS'],
      [{ GATEHOUSE_ALLOWED_REDIRECT_ORIGINS: 'javascript:alert(1)' }, 'GATEHOUSE_ALLOWED_REDIRECT_ORIGINS'],
    ];
    for (const [vars, name] of bad) {
      expect(() => loadConfig(vars)).toThrow(ConfigError);
      expect(() => loadConfig(vars)).toThrow(new RegExp(`^Invalid environment variable ${name}:`));
    }
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).throttle).toEqual({
      store: 'redis',
      url: 'redis://127.0.0.1:6379',
    });
    expect(loadConfig({}).throttle).toEqual({ store: 'memory' });
    expect(
      loadConfig({ GATEHOUSE_ALLOWED_REDIRECT_ORIGINS: 'https://app.example.com/after, http://localhost:5173' })
        .allowedRedirectOrigins,
    ).toEqual(['https://app.example.com', 'http://localhost:5173']);
    expect(loadConfig({ GATEHOUSE_DNS_SERVERS: '127.0.0.1:5353, ::1, [::1]:53' }).dnsServers).toEqual([
      '127.0.0.1:5353',
      '::1',
      '[::1]:53',
    ]);
    expect(loadConfig({ GATEHOUSE_CORS_ORIGINS: 'https://a.example/, https://b.example:8443' }).corsOrigins).toEqual([
      'https://a.example',
      'https://b.example:8443',
    ]);
  });
});

describe('API9 improper inventory management', () => {
  it('documents every setting the server reads in the README configuration table', () => {
    const config = readFileSync(join(root, 'apps/server/src/config.ts'), 'utf8');
    const schema = config.slice(config.indexOf('const ZEnv'), config.indexOf('.superRefine'));
    const read = [...schema.matchAll(/^ {4}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1] as string);
    expect(read.length).toBeGreaterThan(15);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Environment'), readme.indexOf('## HTTP endpoints'));
    const documented = (name: string) =>
      table.includes(`\`${name}\``) ||
      (name.startsWith('GATEHOUSE_BOOTSTRAP_') && table.includes('`GATEHOUSE_BOOTSTRAP_EMAIL`, `_PASSWORD`, `_ORG`'));
    expect(read.filter((name) => !documented(name))).toEqual([]);
  });
});

describe('API10 what X-Forwarded-For says', () => {
  it('is ignored unless a proxy is trusted, and only the rightmost untrusted hop counts', () => {
    const none = clientAddressResolver(false);
    expect(none('203.0.113.9', '1.2.3.4')).toBe('203.0.113.9');
    const oneHop = clientAddressResolver({ hops: 1 });
    expect(oneHop('10.0.0.2', '1.2.3.4, 198.51.100.7')).toBe('198.51.100.7'); // 1.2.3.4 is the client's own text
    expect(oneHop('10.0.0.2', '198.51.100.7')).toBe('198.51.100.7');
    expect(oneHop('10.0.0.2', undefined)).toBe('10.0.0.2');
    expect(oneHop('::ffff:10.0.0.2', 'not an address')).toBe('10.0.0.2');
    const twoHops = clientAddressResolver({ hops: 2 });
    expect(twoHops('10.0.0.2', '6.6.6.6, 198.51.100.7, 10.0.0.1')).toBe('198.51.100.7');
    const listed = clientAddressResolver(parseTrustProxy('10.0.0.0/8, 2001:db8::1') as { addresses: string[] });
    expect(listed('10.0.0.2', '6.6.6.6, 198.51.100.7, 10.9.9.9')).toBe('198.51.100.7');
    expect(listed('2001:db8::1', '6.6.6.6, 2001:db8:ffff::5')).toBe('2001:db8:ffff::5');
    // A peer that is not a trusted proxy is the client, whatever it forwards.
    expect(listed('203.0.113.9', '10.0.0.3')).toBe('203.0.113.9');
    expect(parseTrustProxy('true')).toEqual({ hops: 1 });
    expect(parseTrustProxy('false')).toBe(false);
  });

  it('cannot be forged to dodge a throttle or to write someone else into the audit trail', async () => {
    const app = appFor(env.runtime, { trustProxy: { hops: 1 } });
    const proxy = fromPeer('10.0.0.2');
    const { email } = await signup(app, 'xff');
    const attempt = async (spoofed: string) => {
      const res = await app.request(
        '/trpc/auth.login',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `${spoofed}, 203.0.113.33` },
          body: JSON.stringify({ json: { email, password: 'wrong password 42' } }),
        },
        proxy,
      );
      return ((await res.json()) as { error: { json: { data: { reason: string } } } }).error.json.data.reason;
    };
    const reasons = [];
    for (let i = 0; i < 6; i++) reasons.push(await attempt(`198.18.0.${i}`));
    expect(reasons).toEqual([...Array(5).fill('UNAUTHORIZED'), 'TOO_MANY_REQUESTS']);

    const owner = await ownerWithKey(env.db.orm);
    const res = await app.request(
      '/trpc/auth.createKey',
      {
        method: 'POST',
        headers: {
          ...bearer(owner.key),
          'content-type': 'application/json',
          'x-forwarded-for': '8.8.8.8, 198.51.100.44',
        },
        body: JSON.stringify({ json: { name: uniqueEmail('audited') } }),
      },
      proxy,
    );
    const { id } = ((await res.json()) as { result: { data: { json: { id: string } } } }).result.data.json;
    const [event] = await env.db.orm.em
      .fork()
      .execute<{ ip: string }[]>('select ip from audit_events where target_id = ?', [id]);
    expect(event?.ip).toBe('198.51.100.44');
  });
});
