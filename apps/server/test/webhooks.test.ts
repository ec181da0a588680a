// Webhook deliveries end to end on the real job queue: an event's transaction queues its delivery,
// this process's graphile-worker runner takes the job, signs the event (Standard Webhooks) and hands
// it to the sender; the client's verifyWebhook (and the reference `standardwebhooks` package) accept
// it. The sender is a stand-in: HTTP goes through the guarded fetcher once the lead connects it.
import type { OwnedRuntime, WebhookRequest } from '@gatehouse/api';
import { callerAs, memberWithKey, ownerWithKey, startTestRuntime } from '@gatehouse/api/testing';
import { verifyWebhook, type WebhookErrorCode } from '@gatehouse/client';
import { createTestDatabase, type TestDatabase } from '@gatehouse/db/testing';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

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

async function deliveredTo(url: string, events: ['organization.member_role_changed']) {
  const owner = await ownerWithKey(db.orm);
  const gh = callerAs(runtime, owner.key);
  const webhook = await gh.webhooks.create({ organizationId: owner.organizationId, url, events });
  const member = await memberWithKey(db.orm, owner.organizationId, 'viewer');
  await gh.organizations.updateMemberRole({
    organizationId: owner.organizationId,
    userId: member.userId,
    role: 'member',
  });
  await vi.waitFor(() => expect(received.filter((r) => r.url === url)).toHaveLength(1), { timeout: 10_000 });
  return { owner, member, webhook, request: received.find((r) => r.url === url) as WebhookRequest };
}

describe('webhook delivery', () => {
  it('delivers a signed event that verifyWebhook and standardwebhooks accept, and records the outcome', async () => {
    const url = 'https://receiver.example.com/ok';
    const { owner, member, webhook, request } = await deliveredTo(url, ['organization.member_role_changed']);
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

  it('keeps a delivery the receiver refused pending for a retry, with what the receiver said', async () => {
    const url = 'https://receiver.example.com/down';
    answers.set(url, 503);
    const { webhook } = await deliveredTo(url, ['organization.member_role_changed']);
    await vi.waitFor(async () =>
      expect(await deliveriesOf(webhook.id)).toEqual([
        { status: 'pending', attempts: 1, response_status: 503, last_error: 'HTTP 503' },
      ]),
    );
  });

  it('refuses a changed body, another secret, a stale timestamp; accepts either secret during a rotation', async () => {
    const url = 'https://receiver.example.com/verify';
    const { webhook, request } = await deliveredTo(url, ['organization.member_role_changed']);
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
});
