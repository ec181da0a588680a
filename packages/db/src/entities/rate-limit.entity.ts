import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/**
 * Fixed-window counters shared by every server process (e.g. failed logins per account and per IP).
 * Rows are tiny, overwritten when their window has passed, and deleted a while after (by resetAt).
 */
export const RateLimit = defineEntity({
  name: 'RateLimit',
  tableName: 'rate_limits',
  properties: {
    bucket: p.string().primary(),
    count: p.integer(),
    resetAt: p.datetime().index(),
  },
});
export type RateLimit = InferEntity<typeof RateLimit>;
