import type { MikroORM } from '@mikro-orm/postgresql';
import { Redis } from 'ioredis';
import { PRUNE_CHANCE, pruneRateLimits } from './budgets.js';

/** A fixed-window counter: how many were counted in the window, and how long until it ends. */
export interface Count {
  count: number;
  resetInMs: number;
}

/**
 * Where throttle counters live. `hit` adds one to the bucket's current window (opening a window of
 * `windowMs` when none is open) and returns the new count, atomically, so concurrent attempts all
 * count. `unhit` takes one back (an attempt reserved before a check that then succeeded).
 */
export interface ThrottleStore {
  hit(bucket: string, windowMs: number): Promise<Count>;
  unhit(bucket: string): Promise<void>;
  /** The open window's count, or null when none is open. */
  peek(bucket: string): Promise<Count | null>;
  /** Where counters live now; /readyz and /metrics show it. */
  health(): ThrottleHealth;
  close(): Promise<void>;
}

export interface ThrottleHealth {
  store: 'memory' | 'postgres' | 'redis';
  /** The shared store did not answer: this process counts in its own memory until it does again. */
  degraded: boolean;
  /** When the outage began (ISO time), or null. */
  since: string | null;
  /** Calls to the shared store that failed or timed out since the process started. */
  errors: number;
}

export type ThrottleStoreOptions = { store: 'memory' } | { store: 'postgres' } | { store: 'redis'; url: string };

export function createThrottleStore(
  options: ThrottleStoreOptions,
  orm: MikroORM,
  log: (message: string, error?: unknown) => void = () => {},
): ThrottleStore {
  if (options.store === 'redis') return new FallbackThrottleStore('redis', new RedisThrottleStore(options.url), log);
  if (options.store === 'postgres') return new FallbackThrottleStore('postgres', new PostgresThrottleStore(orm), log);
  return new MemoryThrottleStore();
}

/** A shared store: answers `ping` when it is reachable. */
export interface SharedThrottleStore extends ThrottleStore {
  ping(): Promise<void>;
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A shared store (Redis or PostgreSQL) that degrades instead of failing. A call the store does not
 * answer within `timeoutMs` (or answers with an error) switches this process to counting in its own
 * memory, with one warning per outage; the failure throttles keep refusing brute force, per process,
 * and sign-in keeps working. A probe every `probeMs` switches back, with one line, once the store
 * answers again. Counts made during the outage stay in memory and are not carried over.
 */
export class FallbackThrottleStore implements ThrottleStore {
  readonly local = new MemoryThrottleStore();
  #since: Date | null = null;
  #errors = 0;
  #probe: NodeJS.Timeout | null = null;

  constructor(
    readonly kind: 'postgres' | 'redis',
    readonly shared: SharedThrottleStore,
    readonly log: (message: string, error?: unknown) => void,
    readonly timeoutMs = 200,
    readonly probeMs = 1_000,
  ) {}

  async #use<T>(call: (store: ThrottleStore) => Promise<T>): Promise<T> {
    if (!this.#since) {
      try {
        return await within(call(this.shared), this.timeoutMs);
      } catch (error) {
        this.#errors++;
        this.#degrade(error);
      }
    }
    return call(this.local);
  }

  #degrade(error: unknown) {
    if (this.#since) return;
    this.#since = new Date();
    this.log(`throttle store: ${this.kind} is unreachable; counting in this process's memory until it answers`, error);
    this.#probe = setInterval(() => {
      within(this.shared.ping(), this.timeoutMs).then(
        () => this.#recover(),
        () => {
          this.#errors++;
        },
      );
    }, this.probeMs);
    this.#probe.unref();
  }

  #recover() {
    if (!this.#since) return;
    const seconds = Math.round((Date.now() - this.#since.getTime()) / 1000);
    this.#since = null;
    if (this.#probe) clearInterval(this.#probe);
    this.#probe = null;
    this.log(`throttle store: ${this.kind} answers again after ${seconds} s; counting there again`);
  }

  hit(bucket: string, windowMs: number): Promise<Count> {
    return this.#use((store) => store.hit(bucket, windowMs));
  }

  unhit(bucket: string): Promise<void> {
    return this.#use((store) => store.unhit(bucket));
  }

  peek(bucket: string): Promise<Count | null> {
    return this.#use((store) => store.peek(bucket));
  }

  health(): ThrottleHealth {
    return {
      store: this.kind,
      degraded: this.#since !== null,
      since: this.#since?.toISOString() ?? null,
      errors: this.#errors,
    };
  }

  async close(): Promise<void> {
    if (this.#probe) clearInterval(this.#probe);
    await this.shared.close();
  }
}

/**
 * One process's counters: the default, and the right one for a single server process (the embedded
 * database has exactly one). Bounded: past `maxBuckets`, ended windows go first, then the oldest.
 */
export class MemoryThrottleStore implements ThrottleStore {
  #buckets = new Map<string, { count: number; resetAt: number }>();

  constructor(
    readonly maxBuckets = 100_000,
    /** The clock; tests move it instead of sleeping. */
    readonly now: () => number = Date.now,
  ) {}

  async hit(bucket: string, windowMs: number): Promise<Count> {
    const now = this.now();
    const open = this.#buckets.get(bucket);
    if (open && open.resetAt > now) {
      open.count++;
      return { count: open.count, resetInMs: open.resetAt - now };
    }
    if (!open && this.#buckets.size >= this.maxBuckets) this.#evict(now);
    this.#buckets.set(bucket, { count: 1, resetAt: now + windowMs });
    return { count: 1, resetInMs: windowMs };
  }

  async unhit(bucket: string): Promise<void> {
    const open = this.#buckets.get(bucket);
    if (open && open.count > 0) open.count--;
  }

  async peek(bucket: string): Promise<Count | null> {
    const open = this.#buckets.get(bucket);
    const resetInMs = (open?.resetAt ?? 0) - this.now();
    return open && resetInMs > 0 ? { count: open.count, resetInMs } : null;
  }

  health(): ThrottleHealth {
    return { store: 'memory', degraded: false, since: null, errors: 0 };
  }

  async close(): Promise<void> {}

  #evict(now: number) {
    for (const [key, c] of this.#buckets) if (c.resetAt <= now) this.#buckets.delete(key);
    if (this.#buckets.size >= this.maxBuckets) this.#buckets.delete(this.#buckets.keys().next().value as string);
  }
}

// Measured by the database's clock, which every process shares (theirs may drift).
const RESET_IN_MS = `ceil(extract(epoch from rate_limits.reset_at - now()) * 1000)::int as reset_in_ms`;
type Row = { count: number; reset_in_ms: number };

/**
 * Counters in the `rate_limits` table, shared by every process on the database (the abuse budgets
 * of rate-limit.ts live there too). One upsert per hit; now and then, long-ended windows are deleted.
 */
export class PostgresThrottleStore implements SharedThrottleStore {
  constructor(private readonly orm: MikroORM) {}

  async hit(bucket: string, windowMs: number): Promise<Count> {
    const em = this.orm.em.fork();
    if (Math.random() < PRUNE_CHANCE) await pruneRateLimits(em);
    const [row] = await em.execute<Row[]>(
      `insert into rate_limits (bucket, count, reset_at) values (?, 1, now() + make_interval(secs => ?))
       on conflict (bucket) do update set
         count = case when rate_limits.reset_at <= now() then 1 else rate_limits.count + 1 end,
         reset_at = case when rate_limits.reset_at <= now() then excluded.reset_at else rate_limits.reset_at end
       returning count, ${RESET_IN_MS}`,
      [bucket, windowMs / 1000],
    );
    return { count: row?.count ?? 1, resetInMs: row?.reset_in_ms ?? windowMs };
  }

  async unhit(bucket: string): Promise<void> {
    await this.orm.em
      .fork()
      .execute('update rate_limits set count = greatest(count - 1, 0) where bucket = ? and reset_at > now()', [bucket]);
  }

  async peek(bucket: string): Promise<Count | null> {
    const [row] = await this.orm.em
      .fork()
      .execute<Row[]>(`select count, ${RESET_IN_MS} from rate_limits where bucket = ? and reset_at > now()`, [bucket]);
    return row ? { count: row.count, resetInMs: row.reset_in_ms } : null;
  }

  async ping(): Promise<void> {
    await this.orm.em.fork().execute('select 1');
  }

  health(): ThrottleHealth {
    return { store: 'postgres', degraded: false, since: null, errors: 0 };
  }

  async close(): Promise<void> {}
}

// INCR and the window's expiry in one step: a key never lives on without an expiry.
const HIT = `local c = redis.call('INCR', KEYS[1])
if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {c, redis.call('PTTL', KEYS[1])}`;
const UNHIT = `if (tonumber(redis.call('GET', KEYS[1]) or '0')) > 0 then redis.call('DECR', KEYS[1]) end`;

/** Counters in Redis (`REDIS_URL`), shared by every process that uses it; expiry does the cleaning. */
export class RedisThrottleStore implements SharedThrottleStore {
  readonly redis: Redis;
  readonly prefix = 'gatehouse:throttle:';

  constructor(url: string) {
    // A lost Redis fails calls quickly (FallbackThrottleStore then counts in memory and says so once)
    // while the client reconnects in the background; its own error events would repeat per retry.
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 1_000 });
    this.redis.on('error', () => {});
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  health(): ThrottleHealth {
    return { store: 'redis', degraded: false, since: null, errors: 0 };
  }

  async hit(bucket: string, windowMs: number): Promise<Count> {
    const [count, ttl] = (await this.redis.eval(HIT, 1, this.prefix + bucket, Math.ceil(windowMs))) as [number, number];
    return { count, resetInMs: Math.max(ttl, 0) };
  }

  async unhit(bucket: string): Promise<void> {
    await this.redis.eval(UNHIT, 1, this.prefix + bucket);
  }

  async peek(bucket: string): Promise<Count | null> {
    const [[, count], [, ttl]] = (await this.redis
      .multi()
      .get(this.prefix + bucket)
      .pttl(this.prefix + bucket)
      .exec()) as [[unknown, string | null], [unknown, number]];
    return count === null || ttl <= 0 ? null : { count: Number(count), resetInMs: ttl };
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
