import { randomBytes } from 'node:crypto';
import { newId, WebhookEndpoint } from '@gatehouse/db';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { changesOf, record } from '../core/audit.js';
import { AppError } from '../core/errors.js';
import type { EventType } from '../core/events.js';
import type { Page } from '../core/pagination.js';
import { actorOf, type Caller } from '../infra/caller.js';
import { DELIVERY_TASK } from '../infra/events.js';
import { transaction } from '../infra/transaction.js';
import type {
  TCreateWebhookInput,
  TDelivery,
  TListDeliveriesInput,
  TListWebhooksInput,
  TNewWebhook,
  TRedeliverInput,
  TRotatedSecret,
  TUpdateWebhookInput,
  TWebhook,
  TWebhookRef,
} from './schema.js';

function toWebhook(row: WebhookEndpoint): TWebhook {
  return {
    id: row.id,
    organizationId: row.organizationId,
    url: row.url,
    description: row.description ?? null,
    events: row.events as EventType[],
    enabled: row.enabled,
    signing: row.signing,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Standard Webhooks' secret format: `whsec_` and the base64 of the HMAC key (24 random bytes). */
const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

/** The organization's endpoint, locked for the change; another tenant's id is NOT_FOUND. */
async function lockedWebhook(tx: EntityManager, organizationId: string, webhookId: string) {
  const row = await tx.findOne(
    WebhookEndpoint,
    { id: webhookId, organizationId },
    { lockMode: LockMode.PESSIMISTIC_WRITE },
  );
  if (!row) throw new AppError('NOT_FOUND', 'Webhook not found');
  return row;
}

/**
 * Adds an endpoint. Its secret is returned this once; the row keeps it sealed under the deployment
 * secret, bound to the endpoint's id (the worker opens it to sign each delivery).
 */
export async function createWebhook(caller: Caller, input: TCreateWebhookInput): Promise<TNewWebhook> {
  const { organizationId } = input;
  const secret = newSecret();
  const row = await transaction(caller, async (tx) => {
    const id = newId('whk');
    const row = tx.create(WebhookEndpoint, {
      id,
      organizationId,
      url: input.url,
      description: input.description ?? null,
      events: input.events,
      secret: caller.runtime.webhookSecrets.seal(Buffer.from(secret), id),
      enabled: true,
      signing: input.signing ?? 'hmac',
    });
    record(tx, actorOf(caller), {
      organizationId,
      action: 'webhook.created',
      target: { type: 'webhook', id },
      changes: {
        url: { from: null, to: input.url },
        events: { from: null, to: input.events },
        ...(input.signing === 'ed25519' ? { signing: { from: null, to: 'ed25519' } } : {}),
      },
    });
    return row;
  });
  return { ...toWebhook(row), secret };
}

/** The organization's endpoints, oldest first (ids sort by time). */
export async function listWebhooks(caller: Caller, input: TListWebhooksInput): Promise<Page<TWebhook>> {
  const { organizationId } = input;
  const { cursors } = caller.runtime;
  const scope = `webhooks:${organizationId}`;
  const after = input.cursor ? cursors.decode(scope, input.cursor) : null;
  const rows = await caller.em.find(
    WebhookEndpoint,
    { organizationId, ...(after ? { id: { $gt: after } } : {}) },
    { orderBy: { id: 'asc' }, limit: input.limit + 1 },
  );
  return cursors.page(scope, rows, input.limit, (r) => r.id, toWebhook);
}

export async function retrieveWebhook(caller: Caller, input: TWebhookRef): Promise<TWebhook> {
  const row = await caller.em.findOne(WebhookEndpoint, { id: input.webhookId, organizationId: input.organizationId });
  if (!row) throw new AppError('NOT_FOUND', 'Webhook not found');
  return toWebhook(row);
}

/** Changes the URL, the events, the description or whether it receives deliveries (enabled). */
export async function updateWebhook(caller: Caller, input: TUpdateWebhookInput): Promise<TWebhook> {
  const { organizationId, webhookId, url, events, description, enabled, signing } = input;
  const row = await transaction(caller, async (tx) => {
    const row = await lockedWebhook(tx, organizationId, webhookId);
    const changes = changesOf(
      {
        url: row.url,
        events: row.events,
        description: row.description ?? null,
        enabled: row.enabled,
        signing: row.signing,
      },
      { url, events, description, enabled, signing },
    );
    if (!Object.keys(changes).length) return row;
    tx.assign(row, {
      ...(url !== undefined ? { url } : {}),
      ...(events !== undefined ? { events } : {}),
      ...(description !== undefined ? { description } : {}),
      ...(enabled !== undefined ? { enabled } : {}),
      ...(signing !== undefined ? { signing } : {}),
    });
    record(tx, actorOf(caller), {
      organizationId,
      action: 'webhook.updated',
      target: { type: 'webhook', id: webhookId },
      changes,
    });
    return row;
  });
  return toWebhook(row);
}

/** Removes the endpoint and its deliveries; queued jobs for them find nothing to send. */
export async function deleteWebhook(caller: Caller, input: TWebhookRef): Promise<{ id: string; deleted: true }> {
  const { organizationId, webhookId } = input;
  await transaction(caller, async (tx) => {
    const row = await lockedWebhook(tx, organizationId, webhookId);
    await tx.execute('delete from webhook_endpoints where id = ? and organization_id = ?', [webhookId, organizationId]);
    record(tx, actorOf(caller), {
      organizationId,
      action: 'webhook.deleted',
      target: { type: 'webhook', id: webhookId },
      changes: { url: { from: row.url, to: null } },
    });
  });
  return { id: webhookId, deleted: true };
}

/** How long the old secret keeps signing after a rotation (contract: 24 hours). */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

/**
 * A new secret, shown this once. The current one becomes the previous one and signs beside it for 24
 * hours (every delivery then carries both signatures), so receivers can switch without dropping any.
 * A rotation within those 24 hours retires the older previous secret at once.
 */
export async function rotateSecret(caller: Caller, input: TWebhookRef): Promise<TRotatedSecret> {
  const { organizationId, webhookId } = input;
  const secret = newSecret();
  const previousSecretExpiresAt = new Date(Date.now() + ROTATION_OVERLAP_MS);
  await transaction(caller, async (tx) => {
    await lockedWebhook(tx, organizationId, webhookId);
    // Sealed values move as they are: bound to the endpoint's id, they open in this row only.
    await tx.execute(
      `update webhook_endpoints set previous_secret = secret, previous_secret_expires_at = ?, secret = ?, updated_at = now()
        where id = ? and organization_id = ?`,
      [
        previousSecretExpiresAt,
        caller.runtime.webhookSecrets.seal(Buffer.from(secret), webhookId),
        webhookId,
        organizationId,
      ],
    );
    record(tx, actorOf(caller), {
      organizationId,
      action: 'webhook.secret_rotated',
      target: { type: 'webhook', id: webhookId },
      changes: { previousSecretExpiresAt: { from: null, to: previousSecretExpiresAt } },
    });
  });
  return { id: webhookId, secret, previousSecretExpiresAt };
}

interface DeliveryRow {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: TDelivery['eventType'];
  status: TDelivery['status'];
  attempts: number;
  response_status: number | null;
  latency_ms: number | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  delivered_at: Date | null;
}

const toDelivery = (row: DeliveryRow): TDelivery => ({
  id: row.id,
  webhookId: row.webhook_id,
  eventId: row.event_id,
  eventType: row.event_type,
  status: row.status,
  attempts: row.attempts,
  responseStatus: row.response_status,
  latencyMs: row.latency_ms,
  lastError: row.last_error,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
  deliveredAt: row.delivered_at ? new Date(row.delivered_at) : null,
});

const DELIVERY_COLUMNS = `d.id, d.webhook_id, d.event_id, e.type as event_type, d.status, d.attempts,
  d.response_status, d.latency_ms, d.last_error, d.created_at, d.updated_at, d.delivered_at`;

/** An endpoint's deliveries, newest first, with what the receiver last answered. */
export async function listDeliveries(caller: Caller, input: TListDeliveriesInput): Promise<Page<TDelivery>> {
  const { organizationId, webhookId, status } = input;
  // Another tenant's endpoint (or none) is NOT_FOUND, not an empty list.
  await retrieveWebhook(caller, { organizationId, webhookId });
  const { cursors } = caller.runtime;
  const scope = `deliveries:${JSON.stringify([organizationId, webhookId, status])}`;
  const after = input.cursor ? cursors.decode(scope, input.cursor) : null;
  const rows = await caller.em.execute<DeliveryRow[]>(
    `select ${DELIVERY_COLUMNS} from webhook_deliveries d join events e on e.id = d.event_id
      where d.organization_id = ? and d.webhook_id = ? ${status ? 'and d.status = ?' : ''} ${after ? 'and d.id < ?' : ''}
      order by d.id desc limit ?`,
    [organizationId, webhookId, ...(status ? [status] : []), ...(after ? [after] : []), input.limit + 1],
  );
  return cursors.page(scope, rows, input.limit, (r) => r.id, toDelivery);
}

async function deliveryOf(caller: Caller, where: string, params: unknown[]): Promise<TDelivery> {
  const [row] = await caller.em.execute<DeliveryRow[]>(
    `select ${DELIVERY_COLUMNS} from webhook_deliveries d join events e on e.id = d.event_id where ${where}`,
    params,
  );
  if (!row) throw new AppError('NOT_FOUND', 'Delivery not found');
  return toDelivery(row);
}

const assertQueue = (caller: Caller) => {
  if (!caller.runtime.deliveries) {
    throw new AppError('DELIVERIES_DISABLED', 'No job queue runs on the embedded database: set DATABASE_URL');
  }
};

/**
 * Sends the endpoint a `webhook.test` event: a real event of the organization's feed (its sequence
 * keeps the feed gapless), delivered to this endpoint only, signed and retried like any other. Returns
 * its delivery, pending.
 */
export async function testWebhook(caller: Caller, input: TWebhookRef): Promise<TDelivery> {
  const { organizationId, webhookId } = input;
  assertQueue(caller);
  await transaction(caller, async (tx, after) => {
    const row = await lockedWebhook(tx, organizationId, webhookId);
    if (!row.enabled) throw new AppError('CONFLICT', 'The webhook is disabled: enable it to test it');
    after.emit(organizationId, 'webhook.test', { webhookId });
  });
  return deliveryOf(
    caller,
    `d.organization_id = ? and d.webhook_id = ? and e.type = 'webhook.test' order by d.id desc limit 1`,
    [organizationId, webhookId],
  );
}

/**
 * Sends a delivery again (after the receiver was fixed, or to replay one): back to pending with a new
 * job, in one transaction. The job is keyed by the delivery, so asking twice queues it once. Its 3 days
 * of retries start again (createdAt is now): replaying an old delivery to a receiver still down must
 * not count as 3 days of failures and disable the endpoint at its first refusal.
 */
export async function redeliver(caller: Caller, input: TRedeliverInput): Promise<TDelivery> {
  const { organizationId, deliveryId } = input;
  assertQueue(caller);
  await transaction(caller, async (tx) => {
    const [row] = await tx.execute<{ webhook_id: string }[]>(
      `update webhook_deliveries set status = 'pending', created_at = now(), updated_at = now()
        where id = ? and organization_id = ? returning webhook_id`,
      [deliveryId, organizationId],
    );
    if (!row) throw new AppError('NOT_FOUND', 'Delivery not found');
    await tx.execute(
      `select graphile_worker.add_job(?, json_build_object('deliveryId', ?::text), max_attempts := 25, job_key := ?)`,
      [DELIVERY_TASK, deliveryId, deliveryId],
    );
    record(tx, actorOf(caller), {
      organizationId,
      action: 'webhook.redelivered',
      target: { type: 'webhookDelivery', id: deliveryId },
      changes: { webhookId: { from: null, to: row.webhook_id } },
    });
  });
  return deliveryOf(caller, 'd.id = ?', [deliveryId]);
}
