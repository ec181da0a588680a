import { connect, createServer, type Server, type Socket } from 'node:net';
import { createLogTransport, createRuntime, type Runtime } from '@gatehouse/api';
import { ownerWithKey, uniqueEmail, useTestRuntime } from '@gatehouse/api/testing';
import { createGatehouseClient, isGatehouseError } from '@gatehouse/client';
import { type Orm, openOrm } from '@gatehouse/db';
import { TEST_SERVER_URL } from '@gatehouse/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { type App, appFor } from './app.js';

const env = useTestRuntime();

/** A typed client whose requests go straight into the in-process app. */
function clientFor(app: App, apiKey?: string) {
  return createGatehouseClient({
    url: 'http://gatehouse.test',
    ...(apiKey ? { apiKey } : {}),
    fetch: (input, init) => Promise.resolve(app.fetch(new Request(input, init))),
  });
}

describe('HTTP app', () => {
  it('serves health and readiness', async () => {
    const app = appFor(env.runtime);
    expect((await app.request('/healthz')).status).toBe(200);
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ok',
      database: 'up',
      throttle: { store: 'memory', degraded: false, since: null },
      degraded: [],
    });
  });

  it('echoes a sane request id and replaces a hostile one', async () => {
    const app = appFor(env.runtime);
    expect(
      (await app.request('/healthz', { headers: { 'x-request-id': 'abc-123' } })).headers.get('x-request-id'),
    ).toBe('abc-123');
    const replaced = (await app.request('/healthz', { headers: { 'x-request-id': 'a b<script>' } })).headers.get(
      'x-request-id',
    );
    expect(replaced).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('shows development mail at /dev/mail only when given it, escaped', async () => {
    const messages = [{ to: 'dev@example.com', subject: '<b>Join</b>', text: 'http://x/accept?token=ghi_1&a=<2>' }];
    const viewer = await appFor(env.runtime, { devMail: () => messages }).request('/dev/mail');
    expect(viewer.status).toBe(200);
    const html = await viewer.text();
    expect(html).toContain('dev@example.com');
    expect(html).toContain('token=ghi_1&amp;a=&lt;2&gt;');
    expect(html).not.toContain('<b>Join</b>');
    expect((await appFor(env.runtime).request('/dev/mail')).status).toBe(404);
  });

  it('answers auth.whoami to the typed client', async () => {
    const app = appFor(env.runtime);
    const owner = await ownerWithKey(env.db.orm, 'Typed Inc');
    const me = await clientFor(app, owner.key).auth.whoami();
    expect(me.organization).toEqual({ id: owner.organizationId, name: 'Typed Inc' });
    expect(me.roles).toEqual(['owner']);
  });

  it('pages through a list with the SDK facade', async () => {
    const app = appFor(env.runtime);
    const owner = await ownerWithKey(env.db.orm);
    const gh = clientFor(app, owner.key);
    for (const name of ['one', 'two', 'three']) await gh.auth.createKey({ name });
    const names: string[] = [];
    for await (const key of gh.auth.listKeys({ limit: 2 })) names.push(key.name);
    expect(names).toEqual(['three', 'two', 'one', 'owner key']);
    expect((await gh.auth.listKeys({ status: 'revoked' }).page()).items).toEqual([]);
  });

  it('walks organizations, members, users and the audit log through the SDK facade', async () => {
    const app = appFor(env.runtime);
    const owner = await ownerWithKey(env.db.orm, 'Facade');
    const gh = clientFor(app, owner.key);
    const created = await gh.users.create({ email: uniqueEmail('facade'), name: 'Facade User' });
    const members: string[] = [];
    for await (const m of gh.organizations.members(owner.organizationId, { limit: 1 })) members.push(m.userId);
    expect(members.sort()).toEqual([owner.userId, created.id].sort());
    const users: string[] = [];
    for await (const u of gh.users.list({ limit: 1 })) users.push(u.id);
    expect(users.sort()).toEqual(members.sort());
    expect((await gh.users.me()).organization?.name).toBe('Facade');
    const actions: string[] = [];
    for await (const e of gh.audit.list(owner.organizationId, { limit: 2 })) actions.push(e.action);
    expect(actions).toContain('user.created');
  });

  it('answers UNAUTHORIZED with a reason and no stack to a bad key', async () => {
    const app = appFor(env.runtime);
    const error = await clientFor(app, 'gh_nothere_x')
      .auth.whoami()
      .catch((e: unknown) => e);
    expect(isGatehouseError(error) && error.data).toMatchObject({
      code: 'UNAUTHORIZED',
      reason: 'UNAUTHORIZED',
      httpStatus: 401,
    });
    expect(JSON.stringify((error as Error & { data: unknown }).data)).not.toContain('stack');
  });

  it('refuses a batch larger than the limit', async () => {
    const app = appFor(env.runtime);
    const paths = Array.from({ length: 11 }, () => 'auth.whoami').join(',');
    const res = await app.request(`/trpc/${paths}?batch=1&input={}`);
    expect(res.status).toBe(400);
  });
});

/** A TCP relay to PostgreSQL that the test can cut and restore, to play a database outage. */
function relay(target: URL) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  return {
    async open(port = 0): Promise<number> {
      const listening = createServer((client) => {
        const upstream = connect(Number(target.port || 5432), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server = listening;
      await new Promise<void>((resolve) => listening.listen(port, '127.0.0.1', resolve));
      return (listening.address() as { port: number }).port;
    },
    async cut() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server?.close(() => resolve()));
    },
  };
}

describe('database outage', () => {
  let orm: Orm;
  let outageRuntime: Runtime;
  const proxy = relay(new URL(TEST_SERVER_URL));

  afterAll(async () => {
    await outageRuntime?.stop();
    await orm?.close(true);
    await proxy.cut();
  });

  it('turns readiness and requests into 503 while the database is away, and recovers by itself', async () => {
    const port = await proxy.open();
    const url = new URL(env.db.url);
    url.port = String(port);
    orm = await openOrm({ url: url.toString(), poolMax: 2 });
    // No principal cache: every call must reach the database for this test to mean anything.
    outageRuntime = await createRuntime({
      orm,
      principalTtlMs: 0,
      publicUrl: 'http://gatehouse.test',
      mail: createLogTransport(() => {}),
      log: () => {},
    });
    const app = appFor(outageRuntime);
    const owner = await ownerWithKey(env.db.orm);
    const client = clientFor(app, owner.key);
    expect((await client.auth.whoami()).userId).toBe(owner.userId);

    await proxy.cut();
    expect((await app.request('/readyz')).status).toBe(503);
    const error = await client.auth.whoami().catch((e: unknown) => e);
    expect(isGatehouseError(error) && error.data).toMatchObject({ reason: 'DATABASE_UNAVAILABLE', httpStatus: 503 });

    await proxy.open(port);
    expect((await app.request('/readyz')).status).toBe(200);
    expect((await client.auth.whoami()).userId).toBe(owner.userId);
  });
});
