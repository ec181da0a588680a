import { z } from 'zod';
import { ZPageInput, zPage } from '../core/pagination.js';
import { platformPermissions } from '../core/permissions.js';
import { zId, zPermissionList } from '../core/schema.js';

const ZMetadata = z
  .record(z.string().max(64), z.json())
  .refine((m) => Object.keys(m).length <= 50, 'At most 50 keys')
  .refine((m) => JSON.stringify(m).length <= 4096, 'At most 4 KB');

/** At most `limit` calls per `windowSeconds`, across every server process. */
const ZRateLimit = z.strictObject({
  limit: z.number().int().min(1).max(1_000_000),
  windowSeconds: z.number().int().min(1).max(86_400),
});
/** Calls left before the key stops working (KEY_EXHAUSTED). */
const ZRemaining = z.number().int().min(0).max(1_000_000_000);

export const ZCreateKeyInput = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: zPermissionList().optional(),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
  metadata: ZMetadata.optional(),
  rateLimit: ZRateLimit.optional(),
  remaining: ZRemaining.optional(),
});
export type TCreateKeyInput = z.infer<typeof ZCreateKeyInput>;

export const ZUpdateKeyInput = z.strictObject({
  keyId: zId('key'),
  name: z.string().trim().min(1).max(100).optional(),
  // null lifts the limit.
  rateLimit: ZRateLimit.nullable().optional(),
  remaining: ZRemaining.nullable().optional(),
  metadata: ZMetadata.optional(),
});
export type TUpdateKeyInput = z.infer<typeof ZUpdateKeyInput>;

export const ZKeyIdInput = z.strictObject({ keyId: zId('key') });

export const ZListKeysInput = ZPageInput.extend({
  status: z.enum(['active', 'revoked', 'expired']).optional(),
}).strict();
export type TListKeysInput = z.infer<typeof ZListKeysInput>;

export const ZRotateKeyInput = z.strictObject({
  keyId: zId('key'),
  // At most 7 days: an old secret must not outlive its rotation for long.
  gracePeriodSeconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600)
    .default(0),
});

export const ZApiKey = z.object({
  id: z.string(),
  keyPrefix: z.string(),
  name: z.string(),
  userId: z.string(),
  // null for a platform key (bound to no organization).
  organizationId: z.string().nullable(),
  scopes: z.array(z.string()).nullable(),
  status: z.enum(['active', 'revoked', 'expired']),
  expiresAt: z.date().nullable(),
  lastUsedAt: z.date().nullable(),
  lastUsedIp: z.string().nullable(),
  revokedAt: z.date().nullable(),
  revokedBy: z.string().nullable(),
  rateLimit: z.object({ limit: z.number(), windowSeconds: z.number() }).nullable(),
  // As last written: server processes lease calls from it in batches, so it may run ahead of use.
  remaining: z.number().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type TApiKey = z.infer<typeof ZApiKey>;
export const ZApiKeyPage = zPage(ZApiKey);

export const ZNewKey = z.object({
  id: z.string(),
  key: z.string(),
  keyPrefix: z.string(),
  name: z.string(),
  scopes: z.array(z.string()).nullable(),
  expiresAt: z.date().nullable(),
  rateLimit: z.object({ limit: z.number(), windowSeconds: z.number() }).nullable(),
  remaining: z.number().nullable(),
});
export type TNewKey = z.infer<typeof ZNewKey>;

export const ZPlatformScope = z.enum(platformPermissions);
export const ZCreatePlatformKeyInput = ZCreateKeyInput.pick({ name: true, expiresInDays: true, metadata: true })
  .extend({
    scopes: z
      .array(ZPlatformScope)
      .min(1)
      .max(platformPermissions.length)
      .refine((s) => new Set(s).size === s.length, 'Scopes must not repeat'),
  })
  .strict();
export type TCreatePlatformKeyInput = z.infer<typeof ZCreatePlatformKeyInput>;

export const ZRotatedKey = ZNewKey.pick({ id: true, key: true, keyPrefix: true, expiresAt: true });
