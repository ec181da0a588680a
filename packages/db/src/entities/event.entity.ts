import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/** How a webhook endpoint's deliveries are signed. */
export const webhookSigningMethods = ['hmac', 'ed25519'] as const;

/**
 * What happened in an organization, for integrators (webhooks and `events.list`): written in the
 * transaction of the change it describes, numbered by `sequence` per organization without gaps, so a
 * receiver that sees 41 after 39 knows it missed one and catches up through `events.list`. Append-only.
 * The audit trail (audit_events) is the operators' record; this is the integrators' feed, with a typed
 * payload per event type (the catalogue: api's core/events.ts).
 */
export const OrganizationEvent = defineEntity({
  name: 'OrganizationEvent',
  tableName: 'events',
  properties: {
    id: p.string().primary(),
    organizationId: p.string(),
    // Read as a JS number: exact up to 2^53 events per organization.
    sequence: p.bigint('number'),
    type: p.string(),
    data: p.json<Record<string, unknown>>(),
    occurredAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ properties: ['organizationId', 'sequence'] }],
});
export type OrganizationEvent = InferEntity<typeof OrganizationEvent>;

/**
 * The last `sequence` handed out per organization. Taking the next numbers is one
 * `update … returning` in the writing transaction: its row lock orders concurrent writers, and a
 * rolled-back transaction gives its numbers back (a PostgreSQL sequence would leave a gap).
 */
export const OrganizationEventCounter = defineEntity({
  name: 'OrganizationEventCounter',
  tableName: 'organization_event_counters',
  properties: {
    organizationId: p.string().primary(),
    lastSequence: p.bigint('number').default(0),
  },
});
export type OrganizationEventCounter = InferEntity<typeof OrganizationEventCounter>;

/** Where an organization's events are sent (`webhooks.*`). The secret is stored sealed: it must be recoverable to sign. */
export const WebhookEndpoint = defineEntity({
  name: 'WebhookEndpoint',
  tableName: 'webhook_endpoints',
  properties: {
    id: p.string().primary(),
    organizationId: p.string(),
    url: p.text(),
    description: p.string().nullable(),
    // Event types it receives; never empty.
    events: p.array(),
    secret: p.text().hidden().lazy(),
    // After a rotation the old secret also signs, until it expires (24 hours), so receivers can switch.
    previousSecret: p.text().hidden().lazy().nullable(),
    previousSecretExpiresAt: p.datetime().nullable(),
    enabled: p.boolean().default(true),
    /** How deliveries are signed: `v1,` HMAC with the secret, or `v1a,` Ed25519 with the deployment's key. */
    signing: p.enum(webhookSigningMethods).default('hmac'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
  indexes: [{ properties: ['organizationId', 'id'] }],
});
export type WebhookEndpoint = InferEntity<typeof WebhookEndpoint>;

/**
 * One event to one endpoint: created with the event (same transaction) together with its job on the
 * queue; the job's attempts update it. What `webhooks.deliveries` will list.
 */
export const WebhookDelivery = defineEntity({
  name: 'WebhookDelivery',
  tableName: 'webhook_deliveries',
  properties: {
    id: p.string().primary(),
    organizationId: p.string(),
    webhookId: p.string(),
    eventId: p.string(),
    status: p.enum(['pending', 'succeeded', 'failed'] as const).default('pending'),
    attempts: p.integer().default(0),
    responseStatus: p.integer().nullable(),
    latencyMs: p.integer().nullable(),
    lastError: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    deliveredAt: p.datetime().nullable(),
  },
  indexes: [{ properties: ['webhookId', 'id'] }],
});
export type WebhookDelivery = InferEntity<typeof WebhookDelivery>;
