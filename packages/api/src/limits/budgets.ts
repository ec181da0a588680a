import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../core/errors.js';
import type { Runtime } from '../infra/caller.js';

export interface Limit {
  bucket: string;
  max: number;
  windowSeconds: number;
  /** How much this attempt counts (a batch of 40 invitation emails costs 40); 1 by default. */
  cost?: number;
}

/**
 * Counts one attempt (its `cost`) in each bucket and throws TOO_MANY_REQUESTS (with
 * `details.retryAfterSeconds`) when any bucket is over its limit for the current fixed window. The
 * count is taken before the attempt runs, atomically, so concurrent attempts are all counted; a
 * refused attempt gives its cost back, so one oversized request does not spend the budget.
 * Counters live in PostgreSQL, so every server process shares them (abuse budgets; the failure
 * throttles in guards.ts have their own store).
 */
export async function takeAttempt(em: EntityManager, limits: Limit[]): Promise<void> {
  // Every new IP or email makes a bucket: now and then, the long-expired ones go (a bounded delete).
  if (Math.random() < PRUNE_CHANCE) await pruneRateLimits(em);
  let retryAt: string | undefined;
  const taken: Limit[] = [];
  for (const limit of limits) {
    const { bucket, max, windowSeconds, cost = 1 } = limit;
    const [row] = await em.execute<{ count: number; reset_at: string }[]>(
      `insert into rate_limits (bucket, count, reset_at) values (?, ?, now() + make_interval(secs => ?))
       on conflict (bucket) do update set
         count = case when rate_limits.reset_at <= now() then excluded.count else rate_limits.count + excluded.count end,
         reset_at = case when rate_limits.reset_at <= now() then excluded.reset_at else rate_limits.reset_at end
       returning count, reset_at`,
      [bucket, cost, windowSeconds],
    );
    taken.push(limit);
    if (row && row.count > max && (!retryAt || row.reset_at > retryAt)) retryAt = row.reset_at;
  }
  if (retryAt) {
    await returnAttempt(em, taken);
    const retryAfterSeconds = Math.max(1, Math.ceil((Date.parse(retryAt) - Date.now()) / 1000));
    throw new AppError('TOO_MANY_REQUESTS', `Too many attempts; retry in ${retryAfterSeconds} s`, {
      retryAfterSeconds,
    });
  }
}

/** Gives back what takeAttempt counted. */
async function returnAttempt(em: EntityManager, limits: Limit[]): Promise<void> {
  for (const { bucket, cost = 1 } of limits) {
    await em.execute('update rate_limits set count = greatest(count - ?, 0) where bucket = ?', [cost, bucket]);
  }
}

export const PRUNE_CHANCE = 1 / 500;

/** Deletes up to 1,000 buckets whose window ended over an hour ago; returns how many. */
export async function pruneRateLimits(em: EntityManager): Promise<number> {
  const deleted = await em.execute<{ bucket: string }[]>(
    `delete from rate_limits where bucket in (
       select bucket from rate_limits where reset_at < now() - interval '1 hour' order by reset_at limit 1000)
     returning bucket`,
  );
  return deleted.length;
}

/**
 * Hourly abuse budgets: what one organization or user may make the deployment do, whatever their
 * permissions. Mail is a cost to whoever receives it, so every invitation email counts, however it
 * was asked for (invite, users.create, users.preRegister); organizations are a cost to the
 * deployment. Counted in PostgreSQL, so every process shares them.
 */
export interface Budgets {
  invitesPerHour: number;
  organizationsPerHour: number;
}

export const defaultBudgets: Budgets = { invitesPerHour: 200, organizationsPerHour: 10 };

/** `mails` invitation emails from the organization. */
export const inviteBudget = (runtime: Runtime, organizationId: string, mails = 1): Limit => ({
  bucket: `invite:org:${organizationId}`,
  max: runtime.budgets.invitesPerHour,
  windowSeconds: 3600,
  cost: mails,
});

export const organizationBudget = (runtime: Runtime, userId: string): Limit => ({
  bucket: `org-create:user:${userId}`,
  max: runtime.budgets.organizationsPerHour,
  windowSeconds: 3600,
});
