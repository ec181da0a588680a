// Two workers on one queue (two runtimes here, as two server processes would run them): a burst of
// events, each delivered, in the normal case once. Each runtime has its own graphile-worker runner and
// pool; jobs are shared through the database alone.
import type { OwnedRuntime, WebhookRequest } from '@gatehouse/api';
import { callerAs, ownerWithKey, startTestRuntime } from '@gatehouse/api/testing';
import { createTestDatabase, type TestDatabase } from '@gatehouse/db/testing';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';

const BURST = 1000;
let db: TestDatabase;
const runtimes: OwnedRuntime[] = [];
const received: { worker: number; request: WebhookRequest }[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  for (const worker of [1, 2]) {
    runtimes.push(
      await startTestRuntime(db, {
        queue: {
          url: db.url,
          pollMs: 100,
          concurrency: 8,
          sender: async (request) => {
            received.push({ worker, request });
            return { status: 204 };
          },
        },
      }),
    );
  }
});
afterAll(async () => {
  await Promise.all(runtimes.map((r) => r.stop()));
  await db?.drop();
});

it(`delivers a burst of ${BURST} events through two workers, none lost, none twice`, async () => {
  const owner = await ownerWithKey(db.orm);
  const [first] = runtimes as [OwnedRuntime];
  const gh = callerAs(first, owner.key);
  await gh.webhooks.create({
    organizationId: owner.organizationId,
    url: 'https://receiver.example.com/burst',
    events: ['api_key.created'],
  });
  // Events written in parallel batches, as concurrent requests would.
  for (let i = 0; i < BURST; i += 50) {
    await Promise.all(Array.from({ length: 50 }, (_, j) => gh.auth.createKey({ name: `burst ${i + j}` })));
  }
  await vi.waitFor(() => expect(received.length).toBeGreaterThanOrEqual(BURST), { timeout: 120_000, interval: 200 });
  const ids = received.map((r) => r.request.headers['webhook-id']);
  const unique = new Set(ids);
  expect(unique.size).toBe(BURST);
  // At least once; in the normal case exactly once (a duplicate would need a crash between send and commit).
  expect(ids.length - unique.size).toBe(0);
  // Both workers took a share.
  expect(new Set(received.map((r) => r.worker)).size).toBe(2);
  const { items } = await gh.events.list({ organizationId: owner.organizationId, limit: 200 });
  expect(items[0]?.sequence).toBe(1);
});
