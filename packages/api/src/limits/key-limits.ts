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
  /** Calls leased by this process and not spent yet. */
  left: number;
  /** What the shared counter had left after this process's last lease (for the estimate callers see). */
  shared: number;
  /** The shared counter had nothing left: refuse without asking again (until drop() or the next window). */
  spent: boolean;
}

interface Lease {
  granted: number;
  shared: number;
}

/** What the calling key has left after a take, as far as this process knows (exact with one process). */
export interface KeyUsage {
  rateLimit?: { limit: number; remaining: number; reset: number };
  remaining?: number;
}

/**
 * Per-key limits across every server process without a database round trip per call. Each process
 * leases calls in batches (an atomic update of the shared counter in PostgreSQL) and spends them from
 * memory; a batch is at most 1% of the window's limit (or of what the key has left), or what one call
 * costs if more. Calls are taken from the shared counter before they are made, so no process ever
 * exceeds a limit: the error is the other way, and bounded. Within a window, a process may hold up to
 * 1% of the limit unused while another is refused, so the deployment allows at least
 * limit × (1 − 0.01 × processes) calls; leased `remaining` calls unused at shutdown are given back, and
 * lost only by a crash.
 */
export class KeyLimiter {
  #rate = new Map<string, Allowance>();
  #remaining = new Map<string, Allowance>();
  /** One lease in flight per key and kind: concurrent calls of a process wait for it, not race it. */
  #pending = new Map<string, Promise<Lease>>();

  constructor(private readonly fork: () => EntityManager) {}

  /**
   * Spends `cost` calls of each limited key of a lineage (the calling key first, then the keys it was
   * made with), all or nothing: or throws TOO_MANY_REQUESTS (rate) or UNAUTHORIZED KEY_EXHAUSTED, having
   * taken nothing (what was taken from one key before another refused goes back to this process's
   * allowance, already leased, so no other process can lose it). Answers what the calling key has left.
   */
  async take(lineage: readonly KeyLimit[], cost = 1, now = Date.now()): Promise<KeyUsage> {
    // Rate limits first, then the remaining counts; the calling key first, so a key that is itself
    // spent never takes from the keys above it.
    const whose = (keyId: string) => (keyId === lineage[0]?.keyId ? 'This key' : 'A key this one was made with');
    const taken: Allowance[] = [];
    const usage: KeyUsage = {};
    try {
      for (const { keyId, rateLimit } of lineage) {
        if (!rateLimit) continue;
        const held = await this.#takeRate(keyId, rateLimit, cost, now, whose(keyId));
        taken.push(held);
        if (keyId === lineage[0]?.keyId) {
          usage.rateLimit = {
            limit: rateLimit.limit,
            remaining: held.left + held.shared,
            reset: held.windowStart + rateLimit.windowSeconds * 1000,
          };
        }
      }
      for (const { keyId, metered } of lineage) {
        if (!metered) continue;
        const held = await this.#takeRemaining(keyId, cost, whose(keyId));
        taken.push(held);
        if (keyId === lineage[0]?.keyId) usage.remaining = held.left + held.shared;
      }
    } catch (error) {
      for (const held of taken) held.left += cost;
      throw error;
    }
    return usage;
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
    cost: number,
    now: number,
    whose: string,
  ): Promise<Allowance> {
    const windowMs = rate.windowSeconds * 1000;
    const windowStart = Math.floor(now / windowMs) * windowMs;
    const refuse = () => {
      // The shared counter cannot pay for this call in this window.
      const retryAfterSeconds = Math.max(1, Math.ceil((windowStart + windowMs - Date.now()) / 1000));
      return new AppError('TOO_MANY_REQUESTS', `${whose} has reached its rate limit; retry in ${retryAfterSeconds} s`, {
        retryAfterSeconds,
        limit: rate.limit,
        windowSeconds: rate.windowSeconds,
      });
    };
    for (;;) {
      let held = this.#rate.get(keyId);
      if (held?.windowStart !== windowStart) {
        held = { windowStart, left: 0, shared: rate.limit, spent: false };
        this.#rate.set(keyId, held);
      }
      if (held.left >= cost) {
        held.left -= cost;
        return held;
      }
      if (held.spent) throw refuse();
      const allowance = held;
      const need = cost - allowance.left;
      const lease = await this.#once(`r:${keyId}`, () => this.#leaseWindow(keyId, windowStart, rate.limit, need));
      // What was leased is this process's, whatever drop() did meanwhile (the old code's set() after a lease).
      this.#rate.set(keyId, allowance);
      this.#credit(allowance, lease);
      // Nothing granted and too little left for this call: refused (a smaller call may still pass).
      if (lease.granted === 0 && lease.shared < cost - allowance.left) throw refuse();
    }
  }

  async #takeRemaining(keyId: string, cost: number, whose: string): Promise<Allowance> {
    for (;;) {
      let held = this.#remaining.get(keyId);
      if (!held) {
        held = { windowStart: 0, left: 0, shared: 0, spent: false };
        this.#remaining.set(keyId, held);
      }
      if (held.left >= cost) {
        held.left -= cost;
        return held;
      }
      if (held.spent) throw new AppError('KEY_EXHAUSTED', `${whose} has no calls left`);
      const allowance = held;
      const need = cost - allowance.left;
      const lease = await this.#once(`n:${keyId}`, () => this.#leaseRemaining(keyId, need));
      this.#remaining.set(keyId, allowance);
      this.#credit(allowance, lease);
      if (lease.granted === 0 && lease.shared < cost - allowance.left) {
        throw new AppError('KEY_EXHAUSTED', `${whose} has fewer calls left than this call costs`);
      }
    }
  }

  /** Adds a lease to the allowance it was taken for (each lease is credited once, by whoever started it). */
  #credit(allowance: Allowance, lease: Lease & { credited?: boolean }): void {
    allowance.shared = lease.shared;
    if (lease.credited) return;
    lease.credited = true;
    allowance.left += lease.granted;
    if (lease.shared === 0 && allowance.left === 0) allowance.spent = true;
  }

  #once(key: string, lease: () => Promise<Lease>): Promise<Lease> {
    let pending = this.#pending.get(key);
    if (!pending) {
      pending = lease().finally(() => this.#pending.delete(key));
      this.#pending.set(key, pending);
    }
    return pending;
  }

  /**
   * Takes a lease of calls from the key's counter for the window: `need` or more, or nothing if fewer
   * are left (all or nothing). How many it got, and how many the counter has left.
   */
  async #leaseWindow(keyId: string, windowStart: number, limit: number, need: number): Promise<Lease> {
    const want = Math.max(need, leaseSize(limit));
    const lease = await systemTransaction({ em: this.fork() }, async (tx) => {
      const at = new Date(windowStart);
      await tx.execute(
        `insert into api_key_windows (key_id, window_start, used) values (?, ?, 0) on conflict do nothing`,
        [keyId, at],
      );
      const [row] = await tx.execute<{ used: number }[]>(
        'select used from api_key_windows where key_id = ? and window_start = ? for update',
        [keyId, at],
      );
      const available = Math.max(0, limit - (row?.used ?? limit));
      const take = available >= need ? Math.min(want, available) : 0;
      if (take > 0) {
        await tx.execute('update api_key_windows set used = used + ? where key_id = ? and window_start = ?', [
          take,
          keyId,
          at,
        ]);
      }
      return { granted: take, shared: available - take };
    });
    if (Math.random() < 0.01) {
      // Old windows are worth nothing: drop them now and then, a bounded delete by the primary key's prefix.
      await this.fork().execute(`delete from api_key_windows where key_id = ? and window_start < ?`, [
        keyId,
        new Date(windowStart),
      ]);
    }
    return lease;
  }

  /** Takes a lease of the key's remaining calls: `need` or more, or nothing if fewer are left. */
  async #leaseRemaining(keyId: string, need: number): Promise<Lease> {
    const [row] = await this.fork().execute<{ granted: number; shared: string | number | null }[]>(
      `with k as (select id, remaining,
                         case when remaining >= ? then least(remaining, greatest(?, least(?, floor(remaining * ?))))
                              else 0 end as n
                    from api_keys where id = ? for update),
            u as (update api_keys a set remaining = a.remaining - k.n from k where a.id = k.id and k.n > 0
                  returning a.remaining)
       select coalesce((select n from k), 0)::int as granted,
              coalesce((select remaining from u), (select remaining from k), 0) as shared`,
      [need, need, MAX_LEASE, LEASE_SHARE, keyId],
    );
    return { granted: row?.granted ?? 0, shared: Number(row?.shared ?? 0) };
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
