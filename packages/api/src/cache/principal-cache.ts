import type { Invalidation } from '../infra/caller.js';

/**
 * A short-lived, per-process cache of verified credentials, so the hot path (an API key on every
 * request) skips the database. Entries are tagged with the ids whose change must evict them; every
 * process evicts on the invalidations that PostgreSQL NOTIFY carries (see invalidation.ts).
 *
 * A fill that raced an invalidation is dropped: `set` takes the generation read before the
 * database lookup, and any invalidation since then makes the result suspect.
 */

interface Entry<T> {
  value: T;
  tags: Omit<Invalidation, 'all'>;
  /** The entry is dead after this instant (ms): its TTL, or the credential's own expiry if sooner. */
  deadAt: number;
}

export class PrincipalCache<T = unknown> {
  #entries = new Map<string, Entry<T>>();
  #generation = 0;
  /** Lookups answered from the cache and not (for /metrics: the hit ratio). */
  readonly lookups = { hit: 0, miss: 0 };

  constructor(
    readonly ttlMs = 30_000,
    readonly maxEntries = 50_000,
  ) {}

  get generation(): number {
    return this.#generation;
  }

  get(key: string, now = Date.now()): T | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.deadAt <= now) this.#entries.delete(key);
    const live = entry && entry.deadAt > now;
    this.lookups[live ? 'hit' : 'miss']++;
    return live ? entry.value : undefined;
  }

  set(key: string, value: T, tags: Entry<T>['tags'], generation: number, validUntil = Infinity): void {
    if (generation !== this.#generation || this.ttlMs <= 0) return;
    if (this.#entries.size >= this.maxEntries) {
      // Maps iterate in insertion order: drop the oldest entry.
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(key, { value, tags, deadAt: Math.min(Date.now() + this.ttlMs, validUntil) });
  }

  invalidate(event: Invalidation): void {
    this.#generation++;
    if (event.all) {
      this.#entries.clear();
      return;
    }
    for (const [key, { tags }] of this.#entries) {
      if (
        (event.userId && tags.userId === event.userId) ||
        (event.keyId && tags.keyId === event.keyId) ||
        (event.sessionId && tags.sessionId === event.sessionId) ||
        (event.organizationId && tags.organizationId === event.organizationId) ||
        (event.serviceAccountId && tags.serviceAccountId === event.serviceAccountId) ||
        (event.credentialId && tags.credentialId === event.credentialId)
      ) {
        this.#entries.delete(key);
      }
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
