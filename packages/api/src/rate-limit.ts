import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from './errors.js';

export interface Limit {
  bucket: string;
  max: number;
  windowSeconds: number;
}

interface Counter {
  count: number;
  reset_at: string;
}

/**
 * Throws TOO_MANY_REQUESTS (with `details.retryAfterSeconds`) when any of the buckets has used up
 * its window. Counters live in PostgreSQL, so every server process shares them.
 */
export async function assertWithinLimits(em: EntityManager, limits: Limit[]): Promise<void> {
  if (limits.length === 0) return;
  const rows: (Counter & { bucket: string })[] = await em.execute(
    `select bucket, count, reset_at from rate_limits where bucket in (${limits.map(() => '?').join(', ')}) and reset_at > now()`,
    limits.map((l) => l.bucket),
  );
  for (const row of rows) {
    const limit = limits.find((l) => l.bucket === row.bucket);
    if (limit && row.count >= limit.max) throw tooMany(row.reset_at);
  }
}

/** Counts one event (e.g. a failed login) in each bucket; a bucket whose window passed starts over. */
export async function countEvent(em: EntityManager, limits: Limit[]): Promise<void> {
  for (const { bucket, windowSeconds } of limits) {
    await em.execute(
      `insert into rate_limits (bucket, count, reset_at) values (?, 1, now() + make_interval(secs => ?))
       on conflict (bucket) do update set
         count = case when rate_limits.reset_at <= now() then 1 else rate_limits.count + 1 end,
         reset_at = case when rate_limits.reset_at <= now() then excluded.reset_at else rate_limits.reset_at end`,
      [bucket, windowSeconds],
    );
  }
}

/** Counts one event and refuses it when the bucket is over its limit: for actions limited as a whole. */
export async function consumeLimit(em: EntityManager, limit: Limit): Promise<void> {
  const [row]: Counter[] = await em.execute(
    `insert into rate_limits (bucket, count, reset_at) values (?, 1, now() + make_interval(secs => ?))
     on conflict (bucket) do update set
       count = case when rate_limits.reset_at <= now() then 1 else rate_limits.count + 1 end,
       reset_at = case when rate_limits.reset_at <= now() then excluded.reset_at else rate_limits.reset_at end
     returning count, reset_at`,
    [limit.bucket, limit.windowSeconds],
  );
  if (row && row.count > limit.max) throw tooMany(row.reset_at);
}

function tooMany(resetAt: string): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil((Date.parse(resetAt) - Date.now()) / 1000));
  return new AppError('TOO_MANY_REQUESTS', `Too many attempts; retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
}
