// Webhook deliveries over real HTTP through the runtime's own sender, the guarded fetcher: a loopback
// receiver gets the signed event where loopback is allowed (GATEHOUSE_ALLOW_LOOPBACK_URLS, tests only),
// and the same receiver is never connected to where it is not (a private address is refused at connect
// time, recorded as the attempt's error, and retried on the schedule).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OwnedRuntime } from '@gatehouse/api';
import { startTestRuntime } from '@gatehouse/api/testing';
import { verifyWebhook } from '@gatehouse/client';
import { createTestDatabase, type TestDatabase } from '@gatehouse/db/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { roleChangeHookedTo } from './webhook-rig.js';

const received: { headers: Record<string, string>; body: string }[] = [];
let receiver: Server;
let url: string;
const opened: { db: TestDatabase; runtime: OwnedRuntime }[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ headers: req.headers as Record<string, string>, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  for (const { db, runtime } of opened) {
    await runtime.stop();
    await db.drop();
  }
  await new Promise((resolve) => receiver.close(resolve));
});

/** A runtime as a server runs it: deliveries sent by the runtime's own sender (no test sender given). */
async function serverRuntime(allowLoopbackUrls: boolean) {
  const db = await createTestDatabase();
  const runtime = await startTestRuntime(db, { allowLoopbackUrls, queue: { url: db.url, pollMs: 100 } });
  opened.push({ db, runtime });
  return { db, runtime };
}

async function hookedToReceiver(runtime: OwnedRuntime, db: TestDatabase) {
  const { webhook } = await roleChangeHookedTo(runtime, db.orm, url);
  const deliveries = () =>
    db.orm.em
      .fork()
      .execute<{ status: string; response_status: number | null; last_error: string | null }[]>(
        'select status, response_status, last_error from webhook_deliveries where webhook_id = ?',
        [webhook.id],
      );
  return { webhook, deliveries };
}

describe('webhook deliveries over HTTP', () => {
  it('reach a loopback receiver where loopback is allowed, signed', async () => {
    const { db, runtime } = await serverRuntime(true);
    const { webhook, deliveries } = await hookedToReceiver(runtime, db);
    await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: 10_000 });
    const [request] = received;
    const event = await verifyWebhook(request?.body ?? '', request?.headers ?? {}, webhook.secret);
    expect(event.type).toBe('organization.member_role_changed');
    await vi.waitFor(async () =>
      expect(await deliveries()).toEqual([{ status: 'succeeded', response_status: 204, last_error: null }]),
    );
  });

  it('never connect to a private address otherwise: refused, recorded, retried later', async () => {
    const before = received.length;
    const { db, runtime } = await serverRuntime(false);
    const { deliveries } = await hookedToReceiver(runtime, db);
    await vi.waitFor(
      async () => {
        const [delivery] = await deliveries();
        expect(delivery?.status).toBe('pending');
        expect(delivery?.last_error).toMatch(/127\.0\.0\.1|private|loopback/i);
      },
      { timeout: 10_000 },
    );
    // The receiver heard nothing (read after the attempt is recorded, not waited for).
    expect(received.length).toBe(before);
  });
});
