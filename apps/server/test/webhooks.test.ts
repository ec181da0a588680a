// Webhook deliveries end to end on the real job queue: an event's transaction queues its delivery,
// this process's graphile-worker runner takes the job, signs the event (Standard Webhooks) and hands
// it to the sender; the client's verifyWebhook (and the reference `standardwebhooks` package) accept
// it. The sender is a stand-in here; webhooks-http.test.ts and webhooks-flaky.test.ts send over real HTTP
// through the runtime's own sender (the guarded fetcher).
import type { OwnedRuntime, WebhookRequest } from '@gatehouse/api';
import { callerAs, ownerWithKey, startTestRuntime } from '@gatehouse/api/testing';
import { verifyWebhook, type WebhookErrorCode } from '@gatehouse/client';
import { createTestDatabase, type TestDatabase } from '@gatehouse/db/testing';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { roleChangeHookedTo } from './webhook-rig.js';

let db: TestDatabase;
let runtime: OwnedRuntime;
const received: WebhookRequest[] = [];
/** What the receiver answers, per URL (200 unless set). */
const answers = new Map<string, number>();

beforeAll(async () => {
  db = await createTestDatabase();
  runtime = await startTestRuntime(db, {
    queue: {
      url: db.url,
      pollMs: 100,
      sender: async (request) => {
        received.push(request);
        return { status: answers.get(request.url) ?? 200 };
      },
    },
  });
});
afterAll(async () => {
  await runtime?.stop();
  await db?.drop();
});

const deliveriesOf = (webhookId: string) =>
  db.orm.em
    .fork()
    .execute<{ status: string; attempts: number; response_status: number | null; last_error: string | null }[]>(
      'select status, attempts, response_status, last_error from webhook_deliveries where webhook_id = ?',
      [webhookId],
    );

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: { name: string; code: WebhookErrorCode }) => `${error.name}:${error.code}`,
  );

async function deliveredTo(url: string) {
  const { owner, member, webhook } = await roleChangeHookedTo(runtime, db.orm, url);
  await vi.waitFor(() => expect(received.filter((r) => r.url === url)).toHaveLength(1), { timeout: 10_000 });
  return { owner, member, webhook, request: received.find((r) => r.url === url) as WebhookRequest };
}

describe('webhook delivery', () => {
  it('delivers a signed event that verifyWebhook and standardwebhooks accept, and records the outcome', async () => {
    const url = 'https://receiver.example.com/ok';
    const { owner, member, webhook, request } = await deliveredTo(url);
    const event = await verifyWebhook(request.body, request.headers, webhook.secret);
    expect(event).toEqual({
      id: expect.stringMatching(/^ev_/),
      type: 'organization.member_role_changed',
      organizationId: owner.organizationId,
      sequence: 1,
      occurredAt: expect.any(Date),
      data: { userId: member.userId, from: 'viewer', to: 'member' },
    });
    if (event.type === 'organization.member_role_changed') expect(event.data.to).toBe('member');
    expect(request.headers['webhook-id']).toBe(event.id);
    // The reference implementation of Standard Webhooks agrees.
    expect(new Webhook(webhook.secret).verify(request.body, request.headers)).toMatchObject({ id: event.id });
    // The receiver catches up with the same event through events.list.
    const listed = await callerAs(runtime, owner.key).events.list({ organizationId: owner.organizationId });
    expect(listed.items[0]?.id).toBe(event.id);
    await vi.waitFor(async () =>
      expect(await deliveriesOf(webhook.id)).toEqual([
        { status: 'succeeded', attempts: 1, response_status: 200, last_error: null },
      ]),
    );
  });

  it('retries a refused delivery on the Svix schedule, and after 3 days disables the endpoint and mails its admins', async () => {
    const url = 'https://receiver.example.com/down';
    answers.set(url, 503);
    const { owner, webhook } = await deliveredTo(url);
    await vi.waitFor(async () =>
      expect(await deliveriesOf(webhook.id)).toEqual([
        { status: 'pending', attempts: 1, response_status: 503, last_error: 'HTTP 503' },
      ]),
    );
    // The next attempt is a job 5 seconds on (the schedule's first retry), keyed by the delivery.
    const em = () => db.orm.em.fork();
    const nextAttempt = async () =>
      (
        await em().execute<{ in_ms: number; id: string }[]>(
          `select extract(epoch from (j.run_at - now())) * 1000 as in_ms, d.id
             from webhook_deliveries d join graphile_worker._private_jobs j on j.key = d.id where d.webhook_id = ?`,
          [webhook.id],
        )
      )[0];
    const job = await nextAttempt();
    expect(Number(job?.in_ms)).toBeGreaterThan(3_000);
    expect(Number(job?.in_ms)).toBeLessThanOrEqual(5_000);
    // Three days on (moved in the database), the next failure gives up.
    await em().execute(`update webhook_deliveries set created_at = now() - interval '3 days' where webhook_id = ?`, [
      webhook.id,
    ]);
    await em().execute(`update graphile_worker._private_jobs set run_at = now() where key = ?`, [job?.id]);
    await vi.waitFor(
      async () =>
        expect(await deliveriesOf(webhook.id)).toEqual([
          { status: 'failed', attempts: 2, response_status: 503, last_error: 'HTTP 503' },
        ]),
      { timeout: 10_000 },
    );
    const gh = callerAs(runtime, owner.key);
    expect(await gh.webhooks.retrieve({ organizationId: owner.organizationId, webhookId: webhook.id })).toMatchObject({
      enabled: false,
    });
    const mails = await em().execute<{ to_address: string }[]>(
      `select o.to_address from outbox_messages o where o.kind = 'webhook_disabled'
          and o.to_address = (select email from users where id = ?)`,
      [owner.userId],
    );
    expect(mails).toHaveLength(1);
    const trail = await gh.audit.list({ organizationId: owner.organizationId, action: 'webhook.disabled' });
    expect(trail.items.map((e) => [e.actor.type, e.target?.id])).toEqual([['system', webhook.id]]);
    expect(await nextAttempt()).toBeUndefined();
  });

  it('refuses a changed body, another secret, a stale timestamp; accepts either secret during a rotation', async () => {
    const url = 'https://receiver.example.com/verify';
    const { webhook, request } = await deliveredTo(url);
    const { body, headers } = request;
    const other = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    expect(await refusal(verifyWebhook(body.replace('member', 'owner'), headers, webhook.secret))).toBe(
      'WebhookVerificationError:WEBHOOK_SIGNATURE_INVALID',
    );
    expect(await refusal(verifyWebhook(body, headers, other))).toBe(
      'WebhookVerificationError:WEBHOOK_SIGNATURE_INVALID',
    );
    expect(await refusal(verifyWebhook(body, { ...headers, 'webhook-signature': 'v1,' }, webhook.secret))).toBe(
      'WebhookVerificationError:WEBHOOK_SIGNATURE_INVALID',
    );
    expect(await refusal(verifyWebhook(body, { 'webhook-id': headers['webhook-id'] }, webhook.secret))).toBe(
      'WebhookVerificationError:WEBHOOK_HEADERS_MISSING',
    );
    const signedAt = Number(headers['webhook-timestamp']) * 1000;
    expect(await refusal(verifyWebhook(body, headers, webhook.secret, { now: new Date(signedAt + 301_000) }))).toBe(
      'WebhookVerificationError:WEBHOOK_TIMESTAMP_STALE',
    );
    expect(await refusal(verifyWebhook(body, headers, webhook.secret, { now: new Date(signedAt + 299_000) }))).toBe(
      'accepted',
    );
    expect(await refusal(verifyWebhook(body, headers, [other, webhook.secret]))).toBe('accepted');
    // Headers as a Fetch API Headers object (a Request's), too.
    expect(await refusal(verifyWebhook(body, new Headers(headers), webhook.secret))).toBe('accepted');
  });

  it('signs with both secrets for 24 hours after a rotation, then with the new one only', async () => {
    const url = 'https://receiver.example.com/rotate';
    const { owner, member, webhook } = await deliveredTo(url);
    const gh = callerAs(runtime, owner.key);
    const { organizationId } = owner;
    const rotated = await gh.webhooks.rotateSecret({ organizationId, webhookId: webhook.id });
    expect(rotated.secret).not.toBe(webhook.secret);
    expect(rotated.previousSecretExpiresAt.getTime() - Date.now()).toBeGreaterThan(23.9 * 3600_000);
    const change = async (role: string) => {
      const before = received.filter((r) => r.url === url).length;
      await gh.organizations.updateMemberRole({ organizationId, userId: member.userId, role });
      await vi.waitFor(() => expect(received.filter((r) => r.url === url)).toHaveLength(before + 1), {
        timeout: 10_000,
      });
      return received.filter((r) => r.url === url).at(-1) as WebhookRequest;
    };
    const during = await change('viewer');
    expect(during.headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(await refusal(verifyWebhook(during.body, during.headers, webhook.secret))).toBe('accepted');
    expect(await refusal(verifyWebhook(during.body, during.headers, rotated.secret))).toBe('accepted');
    // 24 hours later (moved in the database): the old secret no longer signs.
    await db.orm.em
      .fork()
      .execute(`update webhook_endpoints set previous_secret_expires_at = now() - interval '1 second' where id = ?`, [
        webhook.id,
      ]);
    const after = await change('member');
    expect(after.headers['webhook-signature']?.split(' ')).toHaveLength(1);
    expect(await refusal(verifyWebhook(after.body, after.headers, webhook.secret))).toBe(
      'WebhookVerificationError:WEBHOOK_SIGNATURE_INVALID',
    );
    expect(await refusal(verifyWebhook(after.body, after.headers, rotated.secret))).toBe('accepted');
  });

  it('lists deliveries with what the receiver answered, and sends one again on request', async () => {
    const url = 'https://receiver.example.com/redeliver';
    const { owner, webhook, request } = await deliveredTo(url);
    const gh = callerAs(runtime, owner.key);
    const { organizationId } = owner;
    await vi.waitFor(async () =>
      expect((await gh.webhooks.deliveries({ organizationId, webhookId: webhook.id })).items).toEqual([
        expect.objectContaining({ status: 'succeeded', attempts: 1, responseStatus: 200 }),
      ]),
    );
    const [delivery] = (await gh.webhooks.deliveries({ organizationId, webhookId: webhook.id })).items;
    expect(delivery).toMatchObject({
      id: expect.stringMatching(/^whd_/),
      webhookId: webhook.id,
      eventId: request.headers['webhook-id'],
      eventType: 'organization.member_role_changed',
      latencyMs: expect.any(Number),
      deliveredAt: expect.any(Date),
    });
    // Old enough that a failure would give up: a redelivery starts its 3 days again.
    await db.orm.em
      .fork()
      .execute(`update webhook_deliveries set created_at = now() - interval '4 days' where id = ?`, [delivery?.id]);
    const again = await gh.webhooks.redeliver({ organizationId, deliveryId: delivery?.id as string });
    expect(again.status).toBe('pending');
    expect(Date.now() - again.createdAt.getTime()).toBeLessThan(60_000);
    await vi.waitFor(() => expect(received.filter((r) => r.url === url)).toHaveLength(2), { timeout: 10_000 });
    // The same event: a receiver that already processed it drops the repeat by webhook-id.
    expect(received.filter((r) => r.url === url)[1]?.headers['webhook-id']).toBe(request.headers['webhook-id']);
    await vi.waitFor(async () =>
      expect((await gh.webhooks.deliveries({ organizationId, webhookId: webhook.id })).items[0]).toMatchObject({
        status: 'succeeded',
        attempts: 2,
      }),
    );
  });

  it('lets a receiver that missed a delivery see the gap in sequence and catch up through events.list', async () => {
    const url = 'https://receiver.example.com/gap';
    const owner = await ownerWithKey(db.orm);
    const gh = callerAs(runtime, owner.key);
    const { organizationId } = owner;
    const webhook = await gh.webhooks.create({ organizationId, url, events: ['api_key.created'] });
    for (const name of ['one', 'two', 'three']) await gh.auth.createKey({ name });
    await vi.waitFor(() => expect(received.filter((r) => r.url === url)).toHaveLength(3), { timeout: 10_000 });
    // The receiver lost the second one (say its own database rolled back after answering 200).
    const seen = await Promise.all(
      received.filter((r) => r.url === url).map((r) => verifyWebhook(r.body, r.headers, webhook.secret)),
    );
    const kept = seen.filter((e) => e.sequence !== 2).sort((a, b) => a.sequence - b.sequence);
    const gapAfter = kept.find((e, i) => kept[i + 1] && (kept[i + 1] as typeof e).sequence !== e.sequence + 1);
    expect(gapAfter?.sequence).toBe(1);
    const { items } = await gh.events.list({ organizationId, after: gapAfter?.sequence, limit: 1 });
    expect(items.map((e) => [e.sequence, e.type])).toEqual([[2, 'api_key.created']]);
    expect(items[0]?.id).toBe(seen.find((e) => e.sequence === 2)?.id);
  });

  it('sends a test event to the one endpoint asked for, as an event of the feed', async () => {
    const owner = await ownerWithKey(db.orm);
    const gh = callerAs(runtime, owner.key);
    const { organizationId } = owner;
    const url = 'https://receiver.example.com/test';
    const tested = await gh.webhooks.create({ organizationId, url, events: ['user.created'] });
    const bystander = 'https://receiver.example.com/bystander';
    await gh.webhooks.create({ organizationId, url: bystander, events: ['user.created'] });
    const delivery = await gh.webhooks.test({ organizationId, webhookId: tested.id });
    expect(delivery).toMatchObject({ webhookId: tested.id, eventType: 'webhook.test', status: 'pending' });
    await vi.waitFor(() => expect(received.filter((r) => r.url === url)).toHaveLength(1), { timeout: 10_000 });
    const request = received.find((r) => r.url === url) as WebhookRequest;
    const event = await verifyWebhook(request.body, request.headers, tested.secret);
    expect(event).toMatchObject({ type: 'webhook.test', sequence: 1, data: { webhookId: tested.id } });
    expect(received.filter((r) => r.url === bystander)).toEqual([]);
    expect((await gh.events.list({ organizationId })).items.map((e) => e.type)).toEqual(['webhook.test']);
  });
});
