import { z } from 'zod';

/**
 * The event catalogue (contract, "events and webhooks"): one payload schema per event type, the only
 * names an event may have. Payloads carry ids and the few fields a receiver acts on, never a secret;
 * `emit` parses them with these (strict) schemas, so a field nobody declared here cannot leak out.
 *
 * Not yet emitted because the feature does not exist: `sso.connection_changed` (declared, so receivers
 * and `webhooks.create` can name it already).
 */
export const eventCatalogue = {
  'user.created': z.strictObject({ userId: z.string(), email: z.string() }),
  'user.deactivated': z.strictObject({ userId: z.string() }),
  'organization.member_added': z.strictObject({ userId: z.string(), role: z.string() }),
  'organization.member_removed': z.strictObject({ userId: z.string(), role: z.string() }),
  'organization.member_role_changed': z.strictObject({ userId: z.string(), from: z.string(), to: z.string() }),
  'invitation.created': z.strictObject({ invitationId: z.string(), email: z.string(), role: z.string() }),
  'invitation.accepted': z.strictObject({ invitationId: z.string(), userId: z.string() }),
  'api_key.created': z.strictObject({ apiKeyId: z.string(), name: z.string(), userId: z.string() }),
  'api_key.revoked': z.strictObject({ apiKeyId: z.string() }),
  'service_account.credential_created': z.strictObject({ serviceAccountId: z.string(), credentialId: z.string() }),
  'sso.connection_changed': z.strictObject({ connectionId: z.string() }),
  // Credits as numbers with at most 6 decimals, as everywhere else.
  'credits.low_balance': z.strictObject({ balance: z.number(), threshold: z.number() }),
  // webhooks.test: a real event of the feed (so sequences stay gapless), delivered to that endpoint only.
  'webhook.test': z.strictObject({ webhookId: z.string() }),
} as const;

type Catalogue = typeof eventCatalogue;
export type EventType = keyof Catalogue;
export type EventData<T extends EventType> = z.infer<Catalogue[T]>;
export const eventTypes = Object.keys(eventCatalogue) as [EventType, ...EventType[]];
export const ZEventType = z.enum(eventTypes);
/** What an endpoint may subscribe to: every type but the test, which goes only where it was asked for. */
export const ZSubscribableEventType = ZEventType.exclude(['webhook.test']);

const envelope = <T extends EventType>(type: T) =>
  z.object({
    id: z.string(),
    type: z.literal(type),
    organizationId: z.string(),
    // Per organization, from 1, without gaps: a receiver that sees n + 2 after n missed one.
    sequence: z.number().int().positive(),
    occurredAt: z.date(),
    data: eventCatalogue[type] as Catalogue[T],
  });

type Envelopes = { [T in EventType]: ReturnType<typeof envelope<T>> };
const envelopes = Object.fromEntries(eventTypes.map((type) => [type, envelope(type)])) as Envelopes;

/** One event as it is listed and delivered: a union discriminated by `type`. */
export const ZEvent = z.discriminatedUnion(
  'type',
  eventTypes.map((type) => envelopes[type]) as unknown as [Envelopes[EventType], ...Envelopes[EventType][]],
);
export type TEvent = z.infer<typeof ZEvent>;
