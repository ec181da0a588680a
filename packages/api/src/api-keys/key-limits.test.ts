// Per-key limits (auth.createKey / auth.updateKey rateLimit and remaining), held across server processes
// by leasing calls from PostgreSQL in batches: never more than the limit, and at most 1% of it per
// process left unused.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Runtime } from '../infra/runtime.js';
import { bearer, callerFor, ownerWithKey, startTestRuntime, useTestRuntime } from '../testing/fixtures.js';

const env = useTestRuntime();
let second: Runtime;
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
