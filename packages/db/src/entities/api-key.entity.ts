import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { timestamps } from './base.js';
import { Organization } from './organization.entity.js';
import { User } from './user.entity.js';

export const ApiKey = defineEntity({
  name: 'ApiKey',
  tableName: 'api_keys',
  properties: {
    id: p.string().primary(),
    // `gh_<8 chars>`: the public half, looked up by a unique index on every authenticated request.
    keyPrefix: p.string().unique(),
    // SHA-256 of the secret half, hex. The secret itself is never stored.
    secretHash: p.string().hidden().lazy(),
    // After a rotation the replaced credential keeps working until previousValidUntil (the grace period).
    previousKeyPrefix: p.string().nullable().unique(),
    previousSecretHash: p.string().nullable().hidden().lazy(),
    previousValidUntil: p.datetime().nullable(),
    rotatedAt: p.datetime().nullable(),
    // Made before prefixes were derived from the secret (or by code that does not derive them): its
    // prefix is looked up whatever the secret. Every process reads these prefixes once, at start.
    legacyPrefix: p.boolean().default(true),
    name: p.string(),
    userId: () => p.manyToOne(User).mapToPk().fieldName('user_id').deleteRule('cascade').index(),
    // null: a platform key, bound to no organization, for a platform admin's platform permissions only.
    organizationId: () =>
      p.manyToOne(Organization).mapToPk().fieldName('organization_id').deleteRule('cascade').nullable(),
    // The key this one was created with: it never outlives it (expiry bounded, revoked with it).
    parentKeyId: p.string().nullable().index(),
    // null: all of the owner's permissions.
    scopes: p.array().nullable(),
    expiresAt: p.datetime().nullable(),
    // At most rateLimitMax calls per rateLimitWindowSeconds, across every process (api_key_windows).
    rateLimitMax: p.integer().nullable(),
    rateLimitWindowSeconds: p.integer().nullable(),
    // Calls left before the key stops working (KEY_EXHAUSTED); null: unmetered. Processes lease from it.
    remaining: p.bigint('number').nullable(),
    lastUsedAt: p.datetime().nullable(),
    lastUsedIp: p.string().nullable(),
    revokedAt: p.datetime().nullable(),
    revokedBy: p.string().nullable(),
    metadata: p
      .json<Record<string, unknown>>()
      .defaultRaw("'{}'")
      .onCreate((k) => k.metadata ?? {}),
    ...timestamps,
  },
  indexes: [{ properties: ['organizationId', 'userId', 'id'] }],
});
export type ApiKey = InferEntity<typeof ApiKey>;

/** Calls counted against a key's rate limit in one window, leased by server processes in batches. */
export const ApiKeyWindow = defineEntity({
  name: 'ApiKeyWindow',
  tableName: 'api_key_windows',
  properties: {
    keyId: () => p.manyToOne(ApiKey).mapToPk().fieldName('key_id').deleteRule('cascade').primary(),
    windowStart: p.datetime().primary(),
    used: p.integer().default(0),
  },
});
export type ApiKeyWindow = InferEntity<typeof ApiKeyWindow>;
