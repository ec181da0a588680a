import { createTestDatabase, type TestDatabase } from '@gatehouse/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneRateLimits, takeAttempt } from './budgets.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('rate-limit buckets', () => {
  it('are deleted an hour after their window ends, and start afresh if used again', async () => {
    const em = db.orm.em.fork();
    await em.execute(
      `insert into rate_limits (bucket, count, reset_at) values
         ('old', 9, now() - interval '2 hours'), ('recent', 9, now() - interval '10 minutes'),
         ('open', 9, now() + interval '10 minutes')`,
    );
    expect(await pruneRateLimits(em)).toBe(1);
    const left = await em.execute<{ bucket: string }[]>('select bucket from rate_limits order by bucket');
    expect(left.map((r) => r.bucket)).toEqual(['open', 'recent']);

    await takeAttempt(em, [{ bucket: 'old', max: 1, windowSeconds: 60 }]);
    await expect(takeAttempt(em, [{ bucket: 'old', max: 1, windowSeconds: 60 }])).rejects.toMatchObject({
      reason: 'TOO_MANY_REQUESTS',
    });
  });
});
