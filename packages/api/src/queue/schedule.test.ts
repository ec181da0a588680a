import { describe, expect, it } from 'vitest';
import { GIVE_UP_AFTER_MS, retryDelay } from './worker.js';

const s = 1000;
const min = 60 * s;
const h = 60 * min;

describe('the retry schedule (Svix)', () => {
  it('waits 5 s, 5 min, 30 min, 2 h, 5 h, 10 h after failed attempts 1 to 6, then 10 h each time', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map(retryDelay)).toEqual([
      5 * s,
      5 * min,
      30 * min,
      2 * h,
      5 * h,
      10 * h,
      10 * h,
      10 * h,
      10 * h,
    ]);
  });

  it('gives up after 3 days', () => {
    expect(GIVE_UP_AFTER_MS).toBe(72 * h);
  });
});
