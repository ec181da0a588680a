import { randomBytes } from 'node:crypto';
import { newId, WebhookEndpoint } from '@gatehouse/db';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { changesOf, record } from '../core/audit.js';
import { AppError } from '../core/errors.js';
import type { EventType } from '../core/events.js';
import type { Page } from '../core/pagination.js';
import { actorOf, type Caller } from '../infra/caller.js';
import { transaction } from '../infra/transaction.js';
import type {
  TCreateWebhookInput,
  TListWebhooksInput,
  TNewWebhook,
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
    });
    record(tx, actorOf(caller), {
      organizationId,
      action: 'webhook.created',
      target: { type: 'webhook', id },
      changes: { url: { from: null, to: input.url }, events: { from: null, to: input.events } },
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
  const { organizationId, webhookId, url, events, description, enabled } = input;
  const row = await transaction(caller, async (tx) => {
    const row = await lockedWebhook(tx, organizationId, webhookId);
    const changes = changesOf(
      { url: row.url, events: row.events, description: row.description ?? null, enabled: row.enabled },
      { url, events, description, enabled },
    );
    if (!Object.keys(changes).length) return row;
    tx.assign(row, {
      ...(url !== undefined ? { url } : {}),
      ...(events !== undefined ? { events } : {}),
      ...(description !== undefined ? { description } : {}),
      ...(enabled !== undefined ? { enabled } : {}),
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
