// The failure throttles on every store: this process's memory, PostgreSQL and Redis (REDIS_URL, else
// 127.0.0.1:6379). Time moves by ending windows (a moved clock, a backdated row, a shortened expiry),
// never by sleeping.
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@gatehouse/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../core/errors.js';
import type { Runtime } from '../infra/caller.js';
import { callerFor, rejectionOf, startTestRuntime, uniqueEmail } from '../testing/fixtures.js';
import { beginPasswordAttempt, throttleAddress, throttleLimits } from './guards.js';
import {
  MemoryThrottleStore,
  PostgresThrottleStore,
  RedisThrottleStore,
  type ThrottleStore,
} from './throttle-store.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

let db: TestDatabase;
const redisStores: RedisThrottleStore[] = [];
let clock = Date.now();
const memory = new MemoryThrottleStore(100_000, () => clock);

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  for (const store of redisStores) await store.close();
  await db?.drop();
});

interface Backend {
  name: string;
  /** A store as a second server process would see it (the memory store is one process's own). */
  store: () => ThrottleStore;
  /** Ends the bucket's current window. */
  endWindow: (bucket: string) => Promise<void>;
}

const redis = () => {
  const store = new RedisThrottleStore(REDIS_URL);
  redisStores.push(store);
  return store;
};

const backends: Backend[] = [
  {
    name: 'memory',
    store: () => memory,
    // The memory store's clock is shared by its buckets: moving it ends every window at once.
    endWindow: async () => {
      clock += 2 * 60 * 60 * 1000;
    },
  },
  {
    name: 'postgres',
    store: () => new PostgresThrottleStore(db.orm),
    endWindow: async (bucket) => {
      await db.orm.em
        .fork()
        .execute(`update rate_limits set reset_at = now() - interval '1 second' where bucket = ?`, [bucket]);
    },
  },
  {
    name: 'redis',
    store: redis,
    endWindow: async (bucket) => {
      await redisStores[0]?.redis.del(`gatehouse:throttle:${bucket}`);
    },
  },
];

const unique = (name: string) => `test:${name}:${randomUUID()}`;
const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
};

describe.each(backends)('$name store', (backend) => {
  it('counts atomically in a window, takes back, and starts afresh when the window ends', async () => {
    const store = backend.store();
    const bucket = unique('count');
    const counts = await Promise.all(Array.from({ length: 20 }, () => store.hit(bucket, 60_000)));
    expect(counts.map((c) => c.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const resetInMs = Math.min(...counts.map((c) => c.resetInMs));
    expect(resetInMs).toBeGreaterThan(50_000);
    expect(resetInMs).toBeLessThanOrEqual(60_000);
    await store.unhit(bucket);
    expect((await store.peek(bucket))?.count).toBe(19);
    await backend.endWindow(bucket);
    expect(await store.peek(bucket)).toBeNull();
    expect((await store.hit(bucket, 60_000)).count).toBe(1);
  });

  it('admits five wrong passwords per account and address, then refuses with the time to retry', async () => {
    const store = backend.store();
    const account = uniqueEmail('account');
    const known = async () => false;
    for (let i = 0; i < throttleLimits.password.perAccountAddress; i++) {
      await (await beginPasswordAttempt(store, { account, address: '203.0.113.1', knownAddress: known })).failed();
    }
    const refused = await refusal(
      beginPasswordAttempt(store, { account, address: '203.0.113.1', knownAddress: known }),
    );
    expect(refused.reason).toBe('TOO_MANY_REQUESTS');
    expect(refused.details?.retryAfterSeconds).toBeGreaterThan(14 * 60);
    // Another address is not concerned; the account's owner is not locked out.
    const owner = await beginPasswordAttempt(store, { account, address: '198.51.100.1', knownAddress: known });
    await owner.succeeded();
  });

  it('lets exactly the limit through when attempts arrive together', async () => {
    const store = backend.store();
    const account = uniqueEmail('account');
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () =>
        beginPasswordAttempt(store, { account, address: '203.0.113.2', knownAddress: async () => false }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(throttleLimits.password.perAccountAddress);
  });

  it('brakes an account guessed at from many addresses, never where its owner signs in', async () => {
    const store = backend.store();
    const account = uniqueEmail('account');
    const stranger = async () => false;
    for (let i = 0; i < throttleLimits.password.brakeAfter; i++) {
      await (await beginPasswordAttempt(store, { account, address: `192.0.2.${i}`, knownAddress: stranger })).failed();
    }
    // Braked: addresses the account never signed in from share one attempt per interval (5 s first)…
    const first = await beginPasswordAttempt(store, { account, address: '192.0.2.100', knownAddress: stranger });
    await first.failed();
    const refused = await refusal(
      beginPasswordAttempt(store, { account, address: '192.0.2.101', knownAddress: stranger }),
    );
    expect(refused.reason).toBe('TOO_MANY_REQUESTS');
    expect(refused.details?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.details?.retryAfterSeconds).toBeLessThanOrEqual(10);
    // …while the owner, from where they signed in before, goes straight to the password check.
    const owner = await beginPasswordAttempt(store, {
      account,
      address: '198.51.100.9',
      knownAddress: async () => true,
    });
    await owner.succeeded();
  });
});

describe('shared stores', () => {
  it.each(backends.filter((b) => b.name !== 'memory'))(
    '$name: two processes count into the same window',
    async (backend) => {
      const a = backend.store();
      const b = backend.store();
      const bucket = unique('shared');
      await a.hit(bucket, 60_000);
      expect((await b.hit(bucket, 60_000)).count).toBe(2);
      expect((await a.peek(bucket))?.count).toBe(2);
    },
  );
});

describe('two server processes on a shared store', () => {
  const runtimes: Runtime[] = [];
  afterAll(async () => {
    for (const runtime of runtimes) await runtime.stop();
  });

  it.each([{ store: 'postgres' as const }, { store: 'redis' as const, url: REDIS_URL }])(
    '$store: failures counted by one process stop the guess in the other',
    async (throttle) => {
      const [a, b] = [await startTestRuntime(db, { throttle }), await startTestRuntime(db, { throttle })] as [
        Runtime,
        Runtime,
      ];
      runtimes.push(a, b);
      const email = uniqueEmail('account');
      await callerFor(a, {}, '198.51.100.1').auth.signup({ email, password: 'a sturdy passphrase 42', name: 'S' });
      const guess = (runtime: Runtime) =>
        rejectionOf(callerFor(runtime, {}, '203.0.113.9').auth.login({ email, password: 'a wrong guess 1234' }));
      for (let i = 0; i < 5; i++) expect((await guess(i % 2 ? a : b)).code).toBe('UNAUTHORIZED');
      expect((await guess(a)).code).toBe('TOO_MANY_REQUESTS');
      expect((await guess(b)).code).toBe('TOO_MANY_REQUESTS');
    },
  );
});

describe('addresses', () => {
  it('count IPv6 by its /64, IPv4-mapped as IPv4, IPv4 as it is', () => {
    expect(throttleAddress('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(throttleAddress('2001:db8:1:2::ffff')).toBe('2001:db8:1:2::/64');
    expect(throttleAddress('2001:0db8::1')).toBe('2001:db8:0:0::/64');
    expect(throttleAddress('::1')).toBe('0:0:0:0::/64');
    expect(throttleAddress('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(throttleAddress('198.51.100.7')).toBe('198.51.100.7');
    expect(throttleAddress(null)).toBe('-');
  });
});
