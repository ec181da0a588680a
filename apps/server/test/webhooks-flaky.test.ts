// A flaky receiver over real HTTP, through the runtime's own sender (the guarded fetcher; no test sender):
// a 500, a 429, a hang past the attempt's timeout, a reset connection, then a 200. Each failed attempt is
// recorded (status, last_error) and the next one is queued on Svix's schedule (5 s, 5 min, 30 min, 2 h);
// time moves by updating the queued job's run_at, never by sleeping. And the address guard, through the
// same sender: a redirect is not followed, a literal private IP and a name resolving to loopback (where
// loopback is not allowed) are refused before any connect; loopbackOnly() proves no packet left loopback.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OwnedRuntime } from '@gatehouse/api';
import { loopbackOnly, startTestRuntime } from '@gatehouse/api/testing';
import { verifyWebhook } from '@gatehouse/client';
import { createTestDatabase, type TestDatabase } from '@gatehouse/db/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { roleChangeHookedTo } from './webhook-rig.js';

const violations = loopbackOnly();

type Behaviour = 'fail-500' | 'fail-429' | 'hang' | 'reset' | 'ok';
/** What the receiver does with each request to /flaky, in order. */
const script: Behaviour[] = ['fail-500', 'fail-429', 'hang', 'reset', 'ok'];
const received: { path: string; host: string; headers: Record<string, string>; body: string }[] = [];
let receiver: Server;
let base: string;

function answer(req: IncomingMessage, res: ServerResponse, body: string) {
  received.push({
    path: req.url ?? '',
    host: req.headers.host ?? '',
    headers: req.headers as Record<string, string>,
    body,
  });
  if (req.url === '/redirect') {
    // To the same loopback receiver: followed, it would be heard at /redirected.
    res.writeHead(302, { location: `${base}/redirected` }).end();
    return;
  }
  if (req.url !== '/flaky') {
    res.writeHead(204).end();
    return;
  }
  const behaviour = script.shift();
  if (behaviour === 'fail-500') res.writeHead(500).end('down');
  else if (behaviour === 'fail-429') res.writeHead(429, { 'retry-after': '1' }).end();
  else if (behaviour === 'hang') {
    // Never answers: the sender gives up at its timeout.
  } else if (behaviour === 'reset') req.socket.destroy();
  else res.writeHead(200).end('ok');
}

// Long enough that a loaded CI machine still answers the 500 and the 429 within it.
const TIMEOUT_MS = 1_500;
const opened: { db: TestDatabase; runtime: OwnedRuntime }[] = [];
const resolved: string[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk;
    });
    req.on('end', () => answer(req, res, body));
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const { db, runtime } of opened) {
    await runtime.stop();
    await db.drop();
  }
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

/** A runtime as a server runs it, delivering through its own guarded sender. */
async function serverRuntime(allowLoopbackUrls: boolean) {
  const db = await createTestDatabase();
  const runtime = await startTestRuntime(db, {
    allowLoopbackUrls,
    // Every name is answered with loopback, by the test: no DNS query leaves the machine.
    resolveHostnames: async (hostname) => {
      resolved.push(hostname);
      return [{ address: '127.0.0.1', family: 4 }];
    },
    queue: { url: db.url, pollMs: 100, deliveryTimeoutMs: TIMEOUT_MS },
  });
  opened.push({ db, runtime });
  return { db, runtime };
}

interface Row {
  status: string;
  attempts: number;
  response_status: number | null;
  last_error: string | null;
}

/** An endpoint at `url` and one event for it (a member's role changed). */
async function oneDeliveryTo(runtime: OwnedRuntime, db: TestDatabase, url: string) {
  const { webhook } = await roleChangeHookedTo(runtime, db.orm, url);
  const em = () => db.orm.em.fork();
  const delivery = async () =>
    (
      await em().execute<Row[]>(
        'select status, attempts, response_status, last_error from webhook_deliveries where webhook_id = ?',
        [webhook.id],
      )
    )[0];
  /** The queued next attempt: in how many ms it runs. */
  const nextAttemptInMs = async () => {
    const [job] = await em().execute<{ in_ms: string }[]>(
      `select extract(epoch from (j.run_at - now())) * 1000 as in_ms
         from webhook_deliveries d join graphile_worker._private_jobs j on j.key = d.id where d.webhook_id = ?`,
      [webhook.id],
    );
    return Number(job?.in_ms);
  };
  /** Moves time: the queued attempt is due now. */
  const runNextAttemptNow = () =>
    em().execute(
      `update graphile_worker._private_jobs set run_at = now()
        where key = (select id from webhook_deliveries where webhook_id = ?)`,
      [webhook.id],
    );
  const after = (attempts: number) =>
    vi.waitFor(
      async () => {
        const row = await delivery();
        expect(row?.attempts).toBe(attempts);
        return row as Row;
      },
      { timeout: 10_000, interval: 50 },
    );
  return { webhook, delivery, nextAttemptInMs, runNextAttemptNow, after };
}

describe('a flaky receiver, over real HTTP', () => {
  it('500, 429, a hang, a reset: each recorded and retried on the schedule; then delivered once', async () => {
    const { db, runtime } = await serverRuntime(true);
    const hook = await oneDeliveryTo(runtime, db, `${base}/flaky`);
    const minute = 60_000;
    const steps: { row: Omit<Row, 'last_error'> & { last_error: string | RegExp }; next: number }[] = [
      { row: { status: 'pending', attempts: 1, response_status: 500, last_error: 'HTTP 500' }, next: 5_000 },
      { row: { status: 'pending', attempts: 2, response_status: 429, last_error: 'HTTP 429' }, next: 5 * minute },
      {
        row: {
          status: 'pending',
          attempts: 3,
          response_status: null,
          last_error: /^http:\/\/127\.0\.0\.1:\d+ took too long$/,
        },
        next: 30 * minute,
      },
      {
        row: {
          status: 'pending',
          attempts: 4,
          response_status: null,
          last_error: /^http:\/\/127\.0\.0\.1:\d+: ECONNRESET$/,
        },
        next: 120 * minute,
      },
    ];
    for (const { row, next } of steps) {
      const recorded = await hook.after(row.attempts);
      expect(recorded).toEqual({ ...row, last_error: expect.stringMatching(row.last_error) });
      // Queued on the schedule (less the moments since the failure was written), not run early.
      const inMs = await hook.nextAttemptInMs();
      expect(inMs).toBeGreaterThan(next - 4_000);
      expect(inMs).toBeLessThanOrEqual(next);
      await hook.runNextAttemptNow();
    }
    expect(await hook.after(5)).toEqual({ status: 'succeeded', attempts: 5, response_status: 200, last_error: null });
    // Five requests, one event: the same webhook-id each time, each signed validly.
    const requests = received.filter((r) => r.path === '/flaky');
    expect(requests).toHaveLength(5);
    expect(new Set(requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
    for (const request of requests) {
      const event = await verifyWebhook(request.body, request.headers, hook.webhook.secret);
      expect(event.type).toBe('organization.member_role_changed');
    }
    // Nothing further queued once delivered. The outcome commits before the attempt's job completes
    // (graphile-worker completes jobs in 10 ms batches), so the delivered job's own row may linger a
    // moment: wait for it to go; a further attempt would stay.
    await vi.waitFor(async () => expect(Number.isNaN(await hook.nextAttemptInMs())).toBe(true), {
      timeout: 5_000,
      interval: 50,
    });
    expect(violations).toEqual([]);
  });
});

describe('the address guard, through the real sender', () => {
  it('does not follow a redirect, even to an allowed address: recorded as a failed attempt', async () => {
    const { db, runtime } = await serverRuntime(true);
    const hook = await oneDeliveryTo(runtime, db, `${base}/redirect`);
    expect(await hook.after(1)).toEqual({
      status: 'pending',
      attempts: 1,
      response_status: 302,
      last_error: 'HTTP 302',
    });
    expect(received.filter((r) => r.path === '/redirect')).toHaveLength(1);
    expect(received.filter((r) => r.path === '/redirected')).toEqual([]);
    expect(await hook.nextAttemptInMs()).toBeGreaterThan(3_000);
    expect(violations).toEqual([]);
  });

  it('refuses a literal private address before connecting', async () => {
    const { db, runtime } = await serverRuntime(true);
    const hook = await oneDeliveryTo(runtime, db, 'http://10.0.0.1/hooks');
    expect(await hook.after(1)).toEqual({
      status: 'pending',
      attempts: 1,
      response_status: null,
      last_error: '10.0.0.1 is not a public address (private)',
    });
    expect(await hook.nextAttemptInMs()).toBeGreaterThan(3_000);
    // No socket was even asked for 10.0.0.1 (loopbackOnly would have recorded it).
    expect(violations).toEqual([]);
  });

  it('refuses a name resolving to loopback where loopback is not allowed, before connecting', async () => {
    const { db, runtime } = await serverRuntime(false);
    const port = (receiver.address() as AddressInfo).port;
    const before = received.length;
    const hook = await oneDeliveryTo(runtime, db, `http://hooks.example.test:${port}/hooks`);
    expect(await hook.after(1)).toEqual({
      status: 'pending',
      attempts: 1,
      response_status: null,
      last_error: 'hooks.example.test resolves to a non-public address (loopback)',
    });
    expect(resolved).toContain('hooks.example.test');
    // The receiver, listening on that very address, heard nothing.
    expect(received.length).toBe(before);
    expect(violations).toEqual([]);
  });
});
