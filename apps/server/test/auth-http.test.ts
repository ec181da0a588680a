// Authentication across the HTTP surface and across server processes.
import type { ChildProcess } from 'node:child_process';
import { bearer, callerFor, ownerWithKey, useTestRuntime } from '@gatehouse/api/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { appFor } from './app.js';
import { freePort, startServer, stopServer } from './processes.js';

const env = useTestRuntime();
let second: ChildProcess | undefined;
afterAll(async () => {
  if (second) await stopServer(second);
});

describe('a second server process', () => {
  it('stops accepting a revoked key within one second', { timeout: 60_000 }, async () => {
    const port = await freePort();
    second = await startServer({ ...process.env, DATABASE_URL: env.db.url, PORT: String(port), LOG_LEVEL: 'info' });
    const owner = await ownerWithKey(env.db.orm);
    const victim = await callerFor(env.runtime, bearer(owner.key)).auth.createKey({ name: 'shared' });
    const whoami = () =>
      fetch(`http://127.0.0.1:${port}/trpc/auth.whoami`, { headers: bearer(victim.key) }).then((r) => r.status);
    // The other process has verified the key and holds it in its cache.
    expect(await whoami()).toBe(200);
    expect(await whoami()).toBe(200);

    await callerFor(env.runtime, bearer(owner.key)).auth.revokeKey({ keyId: victim.id });
    const revokedAt = Date.now();
    while ((await whoami()) === 200) {
      expect(Date.now() - revokedAt).toBeLessThan(1000);
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await whoami()).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(1000);
  });
});

describe('batched calls', () => {
  it('count against the login throttle one call at a time', async () => {
    const app = appFor(env.runtime);
    await callerFor(env.runtime).auth.signup({
      email: 'batch@example.com',
      password: 'a sturdy passphrase 42',
      name: 'Batch',
    });
    const calls = 10;
    const body = Object.fromEntries(
      Array.from({ length: calls }, (_, i) => [
        i,
        { json: { email: 'batch@example.com', password: 'wrong guess 1234' } },
      ]),
    );
    const res = await app.request(`/trpc/${Array(calls).fill('auth.login').join(',')}?batch=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const results = (await res.json()) as { error: { json: { data: { reason: string } } } }[];
    const reasons = results.map((r) => r.error.json.data.reason).sort();
    expect(reasons).toEqual([...Array(5).fill('TOO_MANY_REQUESTS'), ...Array(5).fill('UNAUTHORIZED')]);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
