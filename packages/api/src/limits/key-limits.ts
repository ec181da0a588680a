import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../core/errors.js';
import { systemTransaction } from '../infra/transaction.js';

/** What one key is limited to: calls per window, and calls left in all (null / false: no such limit). */
export interface KeyLimit {
  keyId: string;
  rateLimit: { limit: number; windowSeconds: number } | null;
  metered: boolean;
}

// A process leases at most this share of a window's limit (or of what a key has left) at a time.
const LEASE_SHARE = 0.01;
const MAX_LEASE = 1_000;

const leaseSize = (total: number) => Math.max(1, Math.min(MAX_LEASE, Math.floor(total * LEASE_SHARE)));

interface Allowance {
  /** For a rate window: its start (ms); for the remaining count: 0. */
  windowStart: number;
  left: number;
}

/**
 * Per-key limits across every server process without a database round trip per call. Each process
 * leases calls in batches (an atomic update of the shared counter in PostgreSQL) and spends them from
 * memory; a batch is at most 1% of the window's limit (or of what the key has left). Calls are taken
 * from the shared counter before they are made, so no process ever exceeds a limit: the error is the
 * other way, and bounded. Within a window, a process may hold up to 1% of the limit unused while
 * another is refused, so the deployment allows at least limit × (1 − 0.01 × processes) calls; leased
 * `remaining` calls unused at shutdown are given back, and lost only by a crash.
 */
export class KeyLimiter {
  #rate = new Map<string, Allowance>();
  #remaining = new Map<string, Allowance>();
  /** One lease in flight per key and kind: concurrent calls of a process wait for it, not race it. */
  #pending = new Map<string, Promise<void>>();

  constructor(private readonly fork: () => EntityManager) {}

  /**
   * Spends one call of each limited key of a lineage (the calling key first, then the keys it was made
   * with), or throws TOO_MANY_REQUESTS (rate) or UNAUTHORIZED KEY_EXHAUSTED.
   */
  async take(lineage: readonly KeyLimit[], now = Date.now()): Promise<void> {
    // Rate limits first: a refused call must not use up one of a key's remaining calls (a window's call it
    // may, but that comes back with the next window). The calling key first, so a key that is itself
    // spent never takes from the keys above it.
    const whose = (keyId: string) => (keyId === lineage[0]?.keyId ? 'This key' : 'A key this one was made with');
    for (const { keyId, rateLimit } of lineage) {
      if (rateLimit) await this.#takeRate(keyId, rateLimit, now, whose(keyId));
    }
    for (const { keyId, metered } of lineage) if (metered) await this.#takeRemaining(keyId, whose(keyId));
  }

  /** Forgets what this process holds for the key (its limits changed, or it died), or for every key. */
  drop(keyId?: string): void {
    if (keyId === undefined) {
      this.#rate.clear();
      this.#remaining.clear();
      return;
    }
    this.#rate.delete(keyId);
    this.#remaining.delete(keyId);
  }

  async #takeRate(
    keyId: string,
    rate: { limit: number; windowSeconds: number },
    now: number,
    whose: string,
  ): Promise<void> {
    const windowMs = rate.windowSeconds * 1000;
    const windowStart = Math.floor(now / windowMs) * windowMs;
    for (;;) {
      const held = this.#rate.get(keyId);
      if (held && held.windowStart === windowStart && held.left > 0) {
        held.left--;
        return;
      }
      if (held?.windowStart === windowStart && held.left < 0) {
        // The shared counter is spent for this window.
        const retryAfterSeconds = Math.max(1, Math.ceil((windowStart + windowMs - Date.now()) / 1000));
        throw new AppError(
          'TOO_MANY_REQUESTS',
          `${whose} has reached its rate limit; retry in ${retryAfterSeconds} s`,
          {
            retryAfterSeconds,
            limit: rate.limit,
            windowSeconds: rate.windowSeconds,
          },
        );
      }
      await this.#once(`r:${keyId}`, async () => {
        const granted = await this.#leaseWindow(keyId, windowStart, rate.limit);
        // -1 marks "none left this window" so later calls refuse without asking again.
        this.#rate.set(keyId, { windowStart, left: granted > 0 ? granted : -1 });
      });
    }
  }

  async #takeRemaining(keyId: string, whose: string): Promise<void> {
    for (;;) {
      const held = this.#remaining.get(keyId);
      if (held && held.left > 0) {
        held.left--;
        return;
      }
      if (held && held.left < 0) throw new AppError('KEY_EXHAUSTED', `${whose} has no calls left`);
      await this.#once(`n:${keyId}`, async () => {
        const granted = await this.#leaseRemaining(keyId);
        this.#remaining.set(keyId, { windowStart: 0, left: granted > 0 ? granted : -1 });
      });
    }
  }

  #once(key: string, lease: () => Promise<void>): Promise<void> {
    let pending = this.#pending.get(key);
    if (!pending) {
      pending = lease().finally(() => this.#pending.delete(key));
      this.#pending.set(key, pending);
    }
    return pending;
  }

  /** Takes up to a lease of calls from the key's counter for the window; how many it got. */
  async #leaseWindow(keyId: string, windowStart: number, limit: number): Promise<number> {
    const want = leaseSize(limit);
    const granted = await systemTransaction({ em: this.fork() }, async (tx) => {
      const at = new Date(windowStart);
      await tx.execute(
        `insert into api_key_windows (key_id, window_start, used) values (?, ?, 0) on conflict do nothing`,
        [keyId, at],
      );
      const [row] = await tx.execute<{ used: number }[]>(
        'select used from api_key_windows where key_id = ? and window_start = ? for update',
        [keyId, at],
      );
      const take = Math.max(0, Math.min(want, limit - (row?.used ?? limit)));
      if (take > 0) {
        await tx.execute('update api_key_windows set used = used + ? where key_id = ? and window_start = ?', [
          take,
          keyId,
          at,
        ]);
      }
      return take;
    });
    if (Math.random() < 0.01) {
      // Old windows are worth nothing: drop them now and then, a bounded delete by the primary key's prefix.
      await this.fork().execute(`delete from api_key_windows where key_id = ? and window_start < ?`, [
        keyId,
        new Date(windowStart),
      ]);
    }
    return granted;
  }

  /** Takes up to a lease of the key's remaining calls; how many it got. */
  async #leaseRemaining(keyId: string): Promise<number> {
    const [row] = await this.fork().execute<{ granted: number }[]>(
      `with k as (select id, remaining from api_keys where id = ? and remaining > 0 for update)
       update api_keys a set remaining = a.remaining - least(k.remaining, greatest(1, least(?, floor(k.remaining * ?))))
         from k where a.id = k.id
       returning least(k.remaining, greatest(1, least(?, floor(k.remaining * ?))))::int as granted`,
      [keyId, MAX_LEASE, LEASE_SHARE, MAX_LEASE, LEASE_SHARE],
    );
    return row?.granted ?? 0;
  }

  /** Gives the unused leased `remaining` calls back (at shutdown). */
  async release(): Promise<void> {
    const unused = [...this.#remaining].filter(([, a]) => a.left > 0);
    this.#remaining.clear();
    if (unused.length === 0) return;
    const values = unused.map(() => '(?, ?::bigint)').join(', ');
    await this.fork().execute(
      `update api_keys k set remaining = k.remaining + v.n from (values ${values}) as v(id, n)
        where k.id = v.id and k.remaining is not null`,
      unused.flatMap(([id, a]) => [id, a.left]),
    );
  }
}
