import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from './errors.js';

export interface Limit {
  bucket: string;
  max: number;
  windowSeconds: number;
}

/**
 * Counts one attempt in each bucket and throws TOO_MANY_REQUESTS (with `details.retryAfterSeconds`)
 * when any bucket is over its limit for the current fixed window. The count is taken before the
 * attempt runs, atomically, so concurrent attempts (a batch of ten logins) are all counted.
 * Counters live in PostgreSQL, so every server process shares them.
 */
export async function takeAttempt(em: EntityManager, limits: Limit[]): Promise<void> {
  // Every new IP or email makes a bucket: now and then, the long-expired ones go (a bounded delete).
  if (Math.random() < PRUNE_CHANCE) await pruneRateLimits(em);
  let retryAt: string | undefined;
  // One statement (one commit) for every bucket; they are sorted so concurrent attempts lock them in one order.
  const unique = [...new Map(limits.map((l) => [l.bucket, l])).values()];
  const sorted = unique.sort((a, b) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : 0));
  const rows = await em.execute<{ bucket: string; count: number; reset_at: string }[]>(
    `insert into rate_limits (bucket, count, reset_at)
     select b.bucket, 1, now() + make_interval(secs => b.secs)
       from (values ${sorted.map((_, i) => `(?::text, ?::int, ${i})`).join(', ')}) as b(bucket, secs, n) order by b.n
     on conflict (bucket) do update set
       count = case when rate_limits.reset_at <= now() then 1 else rate_limits.count + 1 end,
       reset_at = case when rate_limits.reset_at <= now() then excluded.reset_at else rate_limits.reset_at end
     returning bucket, count, reset_at`,
    sorted.flatMap((l) => [l.bucket, l.windowSeconds]),
  );
  for (const row of rows) {
    const max = sorted.find((l) => l.bucket === row.bucket)?.max ?? Infinity;
    if (row.count > max && (!retryAt || row.reset_at > retryAt)) retryAt = row.reset_at;
  }
  if (retryAt) {
    const retryAfterSeconds = Math.max(1, Math.ceil((Date.parse(retryAt) - Date.now()) / 1000));
    throw new AppError('TOO_MANY_REQUESTS', `Too many attempts; retry in ${retryAfterSeconds} s`, {
      retryAfterSeconds,
    });
  }
}

/** Uncounts an attempt that succeeded, for limits that are meant to count failures only. */
export async function returnAttempt(em: EntityManager, limits: Limit[]): Promise<void> {
  await em.execute(
    `update rate_limits set count = greatest(count - 1, 0) where bucket in (${limits.map(() => '?').join(', ')})`,
    limits.map((l) => l.bucket),
  );
}

const PRUNE_CHANCE = 1 / 500;

/** Deletes up to 1,000 buckets whose window ended over an hour ago; returns how many. */
export async function pruneRateLimits(em: EntityManager): Promise<number> {
  const deleted = await em.execute<{ bucket: string }[]>(
    `delete from rate_limits where bucket in (
       select bucket from rate_limits where reset_at < now() - interval '1 hour' order by reset_at limit 1000)
     returning bucket`,
  );
  return deleted.length;
}
