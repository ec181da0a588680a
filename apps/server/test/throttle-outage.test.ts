// A Redis outage (the throttle store) degrades sign-in to per-process counting instead of failing it.
// The test runs a redis-server of its own on a free port and kills it by its pid.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import type { OwnedRuntime } from '@gatehouse/api';
import { bearer, callerFor, ownerWithKey, refusalOf, startTestRuntime } from '@gatehouse/api/testing';
import { createTestDatabase, type TestDatabase } from '@gatehouse/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFor } from './app.js';
import { freePort } from './processes.js';

let db: TestDatabase;
let runtime: OwnedRuntime;
let redis: ChildProcess | undefined;
let port: number;
const lines: string[] = [];

const answers = (p: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(p, '127.0.0.1');
    socket.once('connect', () => resolve(true)).once('error', () => resolve(false));
    socket.once('connect', () => socket.destroy());
  });

async function startRedis() {
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  for (let i = 0; i < 100 && !(await answers(port)); i++) await new Promise((r) => setTimeout(r, 50));
}

async function killRedis() {
  const child = redis as ChildProcess;
  child.kill('SIGKILL');
  if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  expect(await answers(port)).toBe(false);
}

beforeAll(async () => {
  port = await freePort();
  await startRedis();
  db = await createTestDatabase();
  runtime = await startTestRuntime(db, {
    throttle: { store: 'redis', url: `redis://127.0.0.1:${port}` },
    log: (message) => lines.push(message),
  });
});

afterAll(async () => {
  redis?.kill('SIGKILL');
  await runtime?.stop();
  await db?.drop();
});

const login = (email: string, password: string, ip: string) =>
  appFor(runtime).request(
    '/trpc/auth.login',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { email, password } }),
    },
    { incoming: { socket: { remoteAddress: ip, remotePort: 40000, remoteFamily: 'IPv4' } } },
  );
const answerOf = async (res: Response) =>
  res.ok ? 'OK' : ((await res.json()) as { error: { json: { data: { reason: string } } } }).error.json.data.reason;

describe('the throttle store (Redis) stops', () => {
  it('sign-in keeps working, brute force is still refused per process, /readyz says degraded, one warning', async () => {
    const email = 'outage@example.com';
    await callerFor(runtime).auth.signup({ email, password: 'a sturdy passphrase 42', name: 'Outage' });
    expect(await answerOf(await login(email, 'a sturdy passphrase 42', '198.51.100.1'))).toBe('OK');
    expect(runtime.throttle.health()).toMatchObject({ store: 'redis', degraded: false });

    await killRedis();
    expect(await answerOf(await login(email, 'a sturdy passphrase 42', '198.51.100.1'))).toBe('OK');
    const guesses: string[] = [];
    for (let i = 0; i < 7; i++) guesses.push(await answerOf(await login(email, `a wrong guess ${i}xx`, '203.0.113.9')));
    expect(guesses).toEqual([...Array(5).fill('UNAUTHORIZED'), 'TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS']);
    // The owner elsewhere is spared, as with the store up.
    expect(await answerOf(await login(email, 'a sturdy passphrase 42', '198.51.100.1'))).toBe('OK');

    const ready = await appFor(runtime).request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'degraded',
      database: 'up',
      throttle: { store: 'redis', degraded: true },
      degraded: ['throttle'],
    });
    expect(lines.filter((line) => line.includes('unreachable'))).toHaveLength(1);
    expect(runtime.throttle.health().errors).toBeGreaterThan(0);
  });

  it('/metrics (behind GATEHOUSE_METRICS_TOKEN) shows the dependency errors and the degraded state', async () => {
    expect((await appFor(runtime).request('/metrics')).status).toBe(404);
    const token = 'a-metrics-token-of-32-characters';
    const app = appFor(runtime, { metricsToken: token });
    expect((await app.request('/metrics')).status).toBe(401);
    expect((await app.request('/metrics', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    await app.request('/trpc/auth.whoami');
    await app.request('/api/v1/organizations/org_123');
    const res = await app.request('/metrics', { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    const value = (series: string) => Number(new RegExp(`^${series} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('gatehouse_dependency_errors_total{dependency="throttle_store"}')).toBe(
      runtime.throttle.health().errors,
    );
    expect(value('gatehouse_dependency_degraded{dependency="throttle_store"}')).toBe(1);
    expect(value('gatehouse_requests_total{procedure="trpc:auth.whoami",status="401"}')).toBe(1);
    expect(value('gatehouse_requests_total{procedure="/api/v1/organizations/:organization_id",status="401"}')).toBe(1);
    expect(value('gatehouse_outbox_pending')).toBeGreaterThanOrEqual(0);
    expect(value('gatehouse_db_pool_connections{state="total"}')).toBeGreaterThan(0);
  });

  it("a key's remaining uses are never over-spent during the outage (they are counted in PostgreSQL)", async () => {
    expect(runtime.throttle.health().degraded).toBe(true);
    const owner = await ownerWithKey(db.orm);
    const key = await callerFor(runtime, bearer(owner.key)).auth.createKey({ name: 'metered', remaining: 3 });
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const call = callerFor(runtime, bearer(key.key)).auth.whoami();
        return (await call.then(
          () => true,
          () => false,
        ))
          ? 'OK'
          : refusalOf(call);
      }),
    );
    expect(outcomes.sort()).toEqual(['OK', 'OK', 'OK', ...Array(3).fill('UNAUTHORIZED:KEY_EXHAUSTED')]);
  });

  it('when Redis answers again, counting goes back to it by itself', { timeout: 20_000 }, async () => {
    await startRedis();
    const deadline = Date.now() + 10_000;
    while (runtime.throttle.health().degraded && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(runtime.throttle.health()).toMatchObject({ degraded: false, since: null });
    expect(lines.filter((line) => line.includes('answers again'))).toHaveLength(1);

    const email = 'after@example.com';
    await callerFor(runtime).auth.signup({ email, password: 'a sturdy passphrase 42', name: 'After' });
    expect(await answerOf(await login(email, 'a wrong guess 1234', '203.0.113.50'))).toBe('UNAUTHORIZED');
    const counted = execFileSync('redis-cli', ['-p', String(port), 'get', 'gatehouse:throttle:pw:addr:203.0.113.50']);
    expect(counted.toString().trim()).toBe('1');
  });
});

describe('the throttle store hangs (redis-server stopped with SIGSTOP: the socket stays open, nothing answers)', () => {
  it('a sign-in waits at most the store timeout, then counts in memory; SIGCONT brings the store back', {
    timeout: 20_000,
  }, async () => {
    const email = 'hang@example.com';
    await callerFor(runtime).auth.signup({ email, password: 'a sturdy passphrase 42', name: 'Hang' });
    const warned = lines.filter((line) => line.includes('unreachable')).length;
    (redis as ChildProcess).kill('SIGSTOP');
    try {
      expect(await answerOf(await login(email, 'a sturdy passphrase 42', '198.51.100.7'))).toBe('OK');
      expect(runtime.throttle.health()).toMatchObject({ store: 'redis', degraded: true });
      expect(lines.filter((line) => line.includes('unreachable'))).toHaveLength(warned + 1);
    } finally {
      (redis as ChildProcess).kill('SIGCONT');
    }
    const deadline = Date.now() + 10_000;
    while (runtime.throttle.health().degraded && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(runtime.throttle.health().degraded).toBe(false);
  });
});
