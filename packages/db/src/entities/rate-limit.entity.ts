import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/**
 * Fixed-window counters shared by every server process (e.g. failed logins per account and per IP).
 * Rows are tiny and overwritten when their window has passed.
 */
export const RateLimit = defineEntity({
  name: 'RateLimit',
  tableName: 'rate_limits',
  properties: {
    bucket: p.string().primary(),
    count: p.integer(),
    resetAt: p.datetime(),
  },
});
export type RateLimit = InferEntity<typeof RateLimit>;
