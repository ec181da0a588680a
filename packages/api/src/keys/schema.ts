import { z } from 'zod';
import { MAX_QUERY_LENGTH, MAX_TERMS, PERMISSION_PATTERN } from './query.js';

const ZPermissionName = z.string().regex(PERMISSION_PATTERN, 'Must be a permission, resource:action');

export const ZVerifyKeyInput = z.strictObject({
  // The key a caller of the integrator's service presented (any string: a malformed one is NOT_FOUND).
  key: z.string().min(1).max(256),
  /**
   * Every permission of a list, or a query: `workflows:read and (workflows:execute or executions:read)`
   * (`and` binds tighter than `or`; at most 32 permissions, parentheses nested at most 8 deep).
   */
  permissions: z.union([z.array(ZPermissionName).max(MAX_TERMS), z.string().max(MAX_QUERY_LENGTH)]).optional(),
  /** How many of the key's calls (rate limit and remaining) the verification spends. */
  cost: z.number().int().min(1).max(1000).default(1),
});
export type TVerifyKeyInput = z.infer<typeof ZVerifyKeyInput>;

export const verifyCodes = [
  'VALID',
  'NOT_FOUND',
  'EXPIRED',
  'REVOKED',
  'DISABLED',
  'RATE_LIMITED',
  'USAGE_EXCEEDED',
  'INSUFFICIENT_PERMISSIONS',
] as const;
export type VerifyCode = (typeof verifyCodes)[number];

export const ZVerifyKeyResult = z.object({
  valid: z.boolean(),
  code: z.enum(verifyCodes),
  keyId: z.string().optional(),
  organizationId: z.string().optional(),
  /** The user the key belongs to. */
  ownerId: z.string().optional(),
  /** What the key may do: its owner's permissions in its organization, narrowed by its scopes. */
  permissions: z.array(z.string()).optional(),
  /** Calls the key has left, if metered (exact with one server process; see limits/key-limits.ts). */
  remaining: z.number().int().optional(),
  /** The key's rate limit in the current window; `reset` is when the window ends (ms since the epoch). */
  rateLimit: z.object({ limit: z.number().int(), remaining: z.number().int(), reset: z.number().int() }).optional(),
});
export type TVerifyKeyResult = z.infer<typeof ZVerifyKeyResult>;
