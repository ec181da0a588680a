import { z } from 'zod';
import { ZEventType, ZSubscribableEventType } from '../core/events.js';
import { ZPageInput, zPage } from '../core/pagination.js';
import { zId } from '../core/schema.js';

/**
 * Where deliveries go: http(s) only, no credentials in it (they would be logged and shown in lists).
 * Whether the address may be reached is decided at connect time by the guarded fetcher, not here: a
 * name can resolve elsewhere later.
 */
const ZUrl = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .refine((url) => {
    const { username, password } = new URL(url);
    return !username && !password;
  }, 'Must not carry credentials');
const ZEvents = z
  .array(ZSubscribableEventType)
  .min(1)
  .max(50)
  .transform((events) => [...new Set(events)]);
const ZDescription = z.string().trim().max(255).nullable();
/** `hmac`: `v1,` HMAC-SHA256 with the endpoint's secret (default); `ed25519`: `v1a,` by the deployment's key (JWKS). */
const ZSigning = z.enum(['hmac', 'ed25519']);

const ZOrgInput = z.strictObject({ organizationId: zId('org') });
const ZWebhookInput = ZOrgInput.extend({ webhookId: zId('whk') }).strict();

export const ZCreateWebhookInput = ZOrgInput.extend({
  url: ZUrl,
  events: ZEvents,
  description: ZDescription.optional(),
  signing: ZSigning.optional(),
}).strict();
export type TCreateWebhookInput = z.infer<typeof ZCreateWebhookInput>;
export const ZListWebhooksInput = ZPageInput.extend({ organizationId: zId('org') }).strict();
export type TListWebhooksInput = z.infer<typeof ZListWebhooksInput>;
export const ZWebhookRefInput = ZWebhookInput;
export type TWebhookRef = z.infer<typeof ZWebhookInput>;
export const ZUpdateWebhookInput = ZWebhookInput.extend({
  url: ZUrl.optional(),
  events: ZEvents.optional(),
  description: ZDescription.optional(),
  enabled: z.boolean().optional(),
  signing: ZSigning.optional(),
}).strict();
export type TUpdateWebhookInput = z.infer<typeof ZUpdateWebhookInput>;

export const ZWebhook = z.object({
  id: z.string(),
  organizationId: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  events: z.array(ZEventType),
  enabled: z.boolean(),
  signing: ZSigning,
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type TWebhook = z.infer<typeof ZWebhook>;
export const ZWebhookPage = zPage(ZWebhook);

/** The endpoint and its signing secret (`whsec_…`), shown this once: only a sealed copy is kept. */
export const ZNewWebhook = ZWebhook.extend({ secret: z.string() });
export type TNewWebhook = z.infer<typeof ZNewWebhook>;

export const ZDeletedWebhook = z.object({ id: z.string(), deleted: z.literal(true) });

/** The new secret (shown this once); the old one keeps signing beside it until `previousSecretExpiresAt`. */
export const ZRotatedSecret = z.object({ id: z.string(), secret: z.string(), previousSecretExpiresAt: z.date() });
export type TRotatedSecret = z.infer<typeof ZRotatedSecret>;

export const deliveryStatuses = ['pending', 'succeeded', 'failed'] as const;
export const ZListDeliveriesInput = ZPageInput.extend({
  organizationId: zId('org'),
  webhookId: zId('whk'),
  status: z.enum(deliveryStatuses).optional(),
}).strict();
export type TListDeliveriesInput = z.infer<typeof ZListDeliveriesInput>;
export const ZRedeliverInput = ZOrgInput.extend({ deliveryId: zId('whd') }).strict();
export type TRedeliverInput = z.infer<typeof ZRedeliverInput>;

export const ZDelivery = z.object({
  id: z.string(),
  webhookId: z.string(),
  eventId: z.string(),
  eventType: ZEventType,
  status: z.enum(deliveryStatuses),
  attempts: z.number().int(),
  /** The receiver's last HTTP status; null when it was not reached. */
  responseStatus: z.number().int().nullable(),
  latencyMs: z.number().int().nullable(),
  lastError: z.string().nullable(),
  /** When it was queued, or last redelivered: its 3 days of retries count from here. */
  createdAt: z.date(),
  updatedAt: z.date(),
  deliveredAt: z.date().nullable(),
});
export type TDelivery = z.infer<typeof ZDelivery>;
export const ZDeliveryPage = zPage(ZDelivery);
