// Per-key limits (auth.createKey / auth.updateKey rateLimit and remaining), held across server processes
// by leasing calls from PostgreSQL in batches: never more than the limit, and at most 1% of it per
// process left unused.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Runtime } from '../infra/caller.js';
import type { OwnedRuntime } from '../runtime.js';
import { createSession } from '../sessions/sessions.js';
import { bearer, callerFor, ownerWithKey, startTestRuntime, useTestRuntime } from '../testing/fixtures.js';

const env = useTestRuntime();
let second: OwnedRuntime;
beforeAll(async () => {
  second = await startTestRuntime(env.db);
});
afterAll(() => second?.stop());

/** Outcome of a call: OK, or `CODE:reason`. */
async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (error) {
    const e = error as { code: string; cause?: { reason?: string } };
    return `${e.code}:${e.cause?.reason ?? e.code}`;
  }
}

const tally = (outcomes: string[]) =>
  outcomes.reduce<Record<string, number>>((t, o) => Object.assign(t, { [o]: (t[o] ?? 0) + 1 }), {});

describe('per-key limits', () => {
  it('refuses past the rate limit with retry-after, in every process', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const limited = await callerFor(env.runtime, bearer(owner.key)).auth.createKey({
      name: 'limited',
      rateLimit: { limit: 5, windowSeconds: 3600 },
    });
    expect(limited.rateLimit).toEqual({ limit: 5, windowSeconds: 3600 });
    const here = callerFor(env.runtime, bearer(limited.key));
    for (let i = 0; i < 5; i++) await here.auth.whoami();
    const refused = (await here.auth.whoami().catch((e: unknown) => e)) as {
      code: string;
      cause: { details: { retryAfterSeconds: number } };
    };
    expect(refused.code).toBe('TOO_MANY_REQUESTS');
    expect(refused.cause.details.retryAfterSeconds).toBeGreaterThan(0);
    expect(await outcome(callerFor(second, bearer(limited.key)).auth.whoami())).toBe(
      'TOO_MANY_REQUESTS:TOO_MANY_REQUESTS',
    );
    // Lifting the limit applies at once, here and there.
    await callerFor(env.runtime, bearer(owner.key)).auth.updateKey({ keyId: limited.id, rateLimit: null });
    expect(await outcome(here.auth.whoami())).toBe('OK');
  });

  it('two processes hammering one key together stay within the limit and lose at most 1% each', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const limit = 200;
    const key = await callerFor(env.runtime, bearer(owner.key)).auth.createKey({
      name: 'shared',
      rateLimit: { limit, windowSeconds: 3600 },
    });
    const calls = (runtime: Runtime) =>
      Array.from({ length: 150 }, () => outcome(callerFor(runtime, bearer(key.key)).auth.whoami()));
    const outcomes = await Promise.all([...calls(env.runtime), ...calls(second)]);
    const counts = tally(outcomes);
    expect(Object.keys(counts).sort()).toEqual(['OK', 'TOO_MANY_REQUESTS:TOO_MANY_REQUESTS']);
    expect(counts.OK).toBeLessThanOrEqual(limit);
    expect(counts.OK).toBeGreaterThanOrEqual(limit - 2 * Math.floor(limit * 0.01));
    const [row] = await env.db.orm.em
      .fork()
      .execute<{ used: number }[]>('select sum(used)::int as used from api_key_windows where key_id = ?', [key.id]);
    expect(row?.used).toBe(limit);
  });

  it('stops a metered key after its remaining calls, across processes, exactly', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const owners = callerFor(env.runtime, bearer(owner.key));
    const key = await owners.auth.createKey({ name: 'metered', remaining: 100 });
    const calls = (runtime: Runtime) =>
      Array.from({ length: 80 }, () => outcome(callerFor(runtime, bearer(key.key)).auth.whoami()));
    const counts = tally(await Promise.all([...calls(env.runtime), ...calls(second)]));
    expect(counts).toEqual({ OK: 100, 'UNAUTHORIZED:KEY_EXHAUSTED': 60 });
    expect((await owners.auth.getKey({ keyId: key.id })).remaining).toBe(0);
    // More calls, granted by whoever manages the key, work at once here, and in the other process as
    // soon as the change's NOTIFY reaches it.
    await owners.auth.updateKey({ keyId: key.id, remaining: 3 });
    const after = await Promise.all([1, 2].map(() => outcome(callerFor(env.runtime, bearer(key.key)).auth.whoami())));
    expect(after).toEqual(['OK', 'OK']);
    await vi.waitFor(async () => expect(await outcome(callerFor(second, bearer(key.key)).auth.whoami())).toBe('OK'));
    expect(await outcome(callerFor(env.runtime, bearer(key.key)).auth.whoami())).toBe('UNAUTHORIZED:KEY_EXHAUSTED');
  });

  it('spends nothing on calls with a wrong secret', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const key = await callerFor(env.runtime, bearer(owner.key)).auth.createKey({ name: 'guarded', remaining: 1 });
    const wrong = `${key.key.slice(0, -4)}AAAA`;
    expect(await outcome(callerFor(env.runtime, bearer(wrong)).auth.whoami())).toBe('UNAUTHORIZED:UNAUTHORIZED');
    expect(await outcome(callerFor(env.runtime, bearer(key.key)).auth.whoami())).toBe('OK');
    expect(await outcome(callerFor(env.runtime, bearer(key.key)).auth.whoami())).toBe('UNAUTHORIZED:KEY_EXHAUSTED');
  });
});

describe('a key made with a key never gets more than its parent has', () => {
  const as = (key: string, runtime = env.runtime) => callerFor(runtime, bearer(key));
  const db = () => env.db.orm.em.fork();
  /** A session of the owner: the person, not one of their keys. */
  const signedIn = async (userId: string) =>
    as(await db().transactional(async (tx) => createSession(tx, userId, null).sessionToken));
  const remainingOf = async (keyId: string) =>
    (await db().execute<{ remaining: number }[]>('select remaining::int from api_keys where id = ?', [keyId]))[0]
      ?.remaining;

  it('a child spends its parent’s rate limit and remaining calls, in every process', async () => {
    const owner = await ownerWithKey(env.db.orm);
    // A day's window (the review's was an hour): the test is never split by the start of a new one.
    const parent = await as(owner.key).auth.createKey({
      name: 'limited',
      rateLimit: { limit: 2, windowSeconds: 86_400 },
      remaining: 3,
    });
    // Minting is a call of the parent: one of its two calls this hour.
    const child = await as(parent.key).auth.createKey({ name: 'unlimited child' });
    expect(child).toMatchObject({ rateLimit: null, remaining: null });
    const outcomes = await Promise.all(
      Array.from({ length: 25 }, (_, i) => outcome(as(child.key, i % 2 ? second : env.runtime).auth.whoami())),
    );
    expect(tally(outcomes)).toEqual({ OK: 1, 'TOO_MANY_REQUESTS:TOO_MANY_REQUESTS': 24 });
    expect(await outcome(as(parent.key).auth.whoami())).toBe('TOO_MANY_REQUESTS:TOO_MANY_REQUESTS');
    const [window] = await db().execute<{ used: number }[]>('select used from api_key_windows where key_id = ?', [
      parent.id,
    ]);
    expect(window?.used).toBe(2);
  });

  it('children and grandchildren share one budget; a spent child takes nothing from its parent', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const parent = await as(owner.key).auth.createKey({ name: 'metered', remaining: 5 });
    const child = await as(parent.key).auth.createKey({ name: 'child' }); // 4 left
    const grandchild = await as(child.key).auth.createKey({ name: 'grandchild', remaining: 100 }); // 3 left
    const calls = [grandchild, child, parent, grandchild, child, parent].map((k) => k.key);
    const outcomes: string[] = [];
    for (const key of calls) outcomes.push(await outcome(as(key).auth.whoami()));
    expect(outcomes).toEqual(['OK', 'OK', 'OK', ...Array(3).fill('UNAUTHORIZED:KEY_EXHAUSTED')]);

    const roomy = await as(owner.key).auth.createKey({ name: 'roomy', remaining: 10 });
    const tight = await as(roomy.key).auth.createKey({ name: 'tight', remaining: 1 }); // roomy: 9
    expect(await outcome(as(tight.key).auth.whoami())).toBe('OK'); // roomy: 8
    expect(await outcome(as(tight.key).auth.whoami())).toBe('UNAUTHORIZED:KEY_EXHAUSTED');
    expect(await remainingOf(roomy.id)).toBe(8);
    expect(await outcome(as(roomy.key).auth.whoami())).toBe('OK');
  });

  it('new limits on a key reach the keys made with it at once, here and in other processes', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const parent = await as(owner.key).auth.createKey({ name: 'parent' });
    const child = await as(parent.key).auth.createKey({ name: 'child' });
    // Both processes hold the child as verified, with no limits above it.
    expect(await outcome(as(child.key).auth.whoami())).toBe('OK');
    expect(await outcome(as(child.key, second).auth.whoami())).toBe('OK');
    await (await signedIn(owner.userId)).auth.updateKey({ keyId: parent.id, remaining: 1 });
    expect(await outcome(as(child.key).auth.whoami())).toBe('OK');
    expect(await outcome(as(child.key).auth.whoami())).toBe('UNAUTHORIZED:KEY_EXHAUSTED');
    await vi.waitFor(async () =>
      expect(await outcome(as(child.key, second).auth.whoami())).toBe('UNAUTHORIZED:KEY_EXHAUSTED'),
    );
  });

  it('a key never raises its own limits or those of a key it was made with; a session does', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const metered = await as(owner.key).auth.createKey({
      name: 'metered',
      rateLimit: { limit: 100, windowSeconds: 86_400 },
      remaining: 50,
    });
    const self = as(metered.key).auth;
    const refused = 'FORBIDDEN:FORBIDDEN';
    expect(await outcome(self.updateKey({ keyId: metered.id, remaining: null, rateLimit: null }))).toBe(refused);
    expect(await outcome(self.updateKey({ keyId: metered.id, remaining: null }))).toBe(refused);
    expect(await outcome(self.updateKey({ keyId: metered.id, remaining: 1_000 }))).toBe(refused);
    expect(await outcome(self.updateKey({ keyId: metered.id, rateLimit: null }))).toBe(refused);
    expect(await outcome(self.updateKey({ keyId: metered.id, rateLimit: { limit: 101, windowSeconds: 86_400 } }))).toBe(
      refused,
    );
    // Fewer calls per shorter window still allows more an hour.
    expect(await outcome(self.updateKey({ keyId: metered.id, rateLimit: { limit: 50, windowSeconds: 60 } }))).toBe(
      refused,
    );
    const child = await as(metered.key).auth.createKey({ name: 'child', remaining: 5 });
    expect(await outcome(as(child.key).auth.updateKey({ keyId: metered.id, remaining: null }))).toBe(refused);
    expect(await outcome(as(child.key).auth.updateKey({ keyId: child.id, remaining: null }))).toBe(refused);
    expect(await as(owner.key).auth.getKey({ keyId: metered.id })).toMatchObject({
      rateLimit: { limit: 100, windowSeconds: 86_400 },
    });

    // Lowering is always allowed (the same window, so the calls already counted in it stay counted), and so
    // is raising a key made with it: its calls still spend the parent's.
    expect(
      await self.updateKey({ keyId: metered.id, rateLimit: { limit: 50, windowSeconds: 86_400 }, remaining: 3 }),
    ).toMatchObject({ rateLimit: { limit: 50, windowSeconds: 86_400 }, remaining: 3 });
    expect((await self.updateKey({ keyId: child.id, remaining: null })).remaining).toBeNull(); // 2 left
    const left: string[] = [];
    for (let i = 0; i < 3; i++) left.push(await outcome(as(child.key).auth.whoami()));
    expect(left).toEqual(['OK', 'OK', 'UNAUTHORIZED:KEY_EXHAUSTED']);

    // The person, signed in, lifts them.
    await (await signedIn(owner.userId)).auth.updateKey({ keyId: metered.id, remaining: null, rateLimit: null });
    expect(await outcome(as(child.key).auth.whoami())).toBe('OK');
  });

  it('a rotated key keeps its limits; a limited or expiring key rotates only itself and keys made with it', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const person = await signedIn(owner.userId);
    const metered = await person.auth.createKey({ name: 'metered', remaining: 3 });
    const rotated = await as(metered.key).auth.rotateKey({ keyId: metered.id }); // 2 left
    expect(await person.auth.getKey({ keyId: metered.id })).toMatchObject({ remaining: 2, rateLimit: null });
    const calls: string[] = [];
    for (let i = 0; i < 3; i++) calls.push(await outcome(as(rotated.key).auth.whoami()));
    expect(calls).toEqual(['OK', 'OK', 'UNAUTHORIZED:KEY_EXHAUSTED']);

    // Another key of the same person, with no limits: its fresh secret would be a way out of them.
    const free = await person.auth.createKey({ name: 'free' });
    const limited = await person.auth.createKey({ name: 'limited', rateLimit: { limit: 50, windowSeconds: 3600 } });
    const expiring = await person.auth.createKey({ name: 'expiring', expiresInDays: 1 });
    expect(await outcome(as(limited.key).auth.rotateKey({ keyId: free.id }))).toBe('FORBIDDEN:FORBIDDEN');
    expect(await outcome(as(expiring.key).auth.rotateKey({ keyId: free.id }))).toBe('FORBIDDEN:FORBIDDEN');
    const own = await as(limited.key).auth.createKey({ name: 'own' });
    const grand = await as(own.key).auth.createKey({ name: 'grand' });
    expect((await as(limited.key).auth.rotateKey({ keyId: grand.id })).keyPrefix).toMatch(/^gh_/);
    expect((await as(owner.key).auth.rotateKey({ keyId: free.id })).keyPrefix).toMatch(/^gh_/);
  });
});
