import { actorTypes, creditTransactionTypes } from '@gatehouse/db/values';
import { z } from 'zod';
import { ZPageInput, zPage } from '../core/pagination.js';
import { zId } from '../core/schema.js';
import { ZPositiveCredits, ZSignedCredits } from './amount.js';

/** Keys the server writes itself (a capture's usage row) start with this; clients may not use it. */
export const RESERVED_KEY_PREFIX = 'gatehouse:';

const ZIdempotencyKey = z
  .string()
  .min(1)
  .max(255)
  .refine((k) => !k.startsWith(RESERVED_KEY_PREFIX), `The ${RESERVED_KEY_PREFIX} prefix is reserved`);

const METADATA_MAX_KEYS = 50;
const METADATA_MAX_BYTES = 4096;
const ZMetadata = z
  .record(z.string().min(1).max(100), z.json())
  .refine((m) => Object.keys(m).length <= METADATA_MAX_KEYS, `At most ${METADATA_MAX_KEYS} keys`)
  .refine(
    (m) => Buffer.byteLength(JSON.stringify(m)) <= METADATA_MAX_BYTES,
    `At most ${METADATA_MAX_BYTES} bytes as JSON`,
  );

const ZOrgInput = z.strictObject({ organizationId: zId('org') });
export const ZBalanceInput = ZOrgInput;

export const ZListTransactionsInput = ZPageInput.extend({
  organizationId: zId('org'),
  type: z.enum(creditTransactionTypes).optional(),
  // Half-open [since, until) on createdAt, as audit.list.
  since: z.date().optional(),
  until: z.date().optional(),
})
  .strict()
  .refine((i) => !i.since || !i.until || i.since <= i.until, { message: 'Must not be before since', path: ['until'] });
export type TListTransactionsInput = z.infer<typeof ZListTransactionsInput>;

export const ZGrantInput = ZOrgInput.extend({
  // Positive, except an adjustment, which may take credits away (never below zero).
  amount: ZSignedCredits,
  type: z.enum(['purchase', 'grant', 'adjustment']),
  reference: z.string().trim().min(1).max(255).optional(),
  idempotencyKey: ZIdempotencyKey,
})
  .strict()
  .refine((i) => i.type === 'adjustment' || i.amount > 0, {
    message: 'Only an adjustment may be negative',
    path: ['amount'],
  });
export type TGrantInput = z.infer<typeof ZGrantInput>;

export const ZConsumeInput = ZOrgInput.extend({
  amount: ZPositiveCredits,
  reason: z.string().trim().min(1).max(255),
  idempotencyKey: ZIdempotencyKey,
  metadata: ZMetadata.optional(),
}).strict();
export type TConsumeInput = z.infer<typeof ZConsumeInput>;

export const ZRefundInput = z.strictObject({ transactionId: zId('txn'), idempotencyKey: ZIdempotencyKey });
export type TRefundInput = z.infer<typeof ZRefundInput>;

export const MAX_TTL_SECONDS = 7 * 24 * 3600;
export const ZReserveInput = ZOrgInput.extend({
  amount: ZPositiveCredits,
  ttlSeconds: z.number().int().min(1).max(MAX_TTL_SECONDS),
  idempotencyKey: ZIdempotencyKey,
}).strict();
export type TReserveInput = z.infer<typeof ZReserveInput>;

export const ZCaptureInput = z.strictObject({ reservationId: zId('rsv'), amount: ZPositiveCredits });
export type TCaptureInput = z.infer<typeof ZCaptureInput>;
export const ZReleaseInput = z.strictObject({ reservationId: zId('rsv') });

export const ZBalance = z.object({
  balance: z.number(),
  /** balance − active holds: what consume and reserve may take. */
  available: z.number(),
  held: z.number(),
  totalUsed: z.number(),
  totalPurchased: z.number(),
  currency: z.string(),
});
export type TBalance = z.infer<typeof ZBalance>;

export const ZTransaction = z.object({
  id: z.string(),
  organizationId: z.string(),
  type: z.enum(creditTransactionTypes),
  /** Signed: a debit is negative. */
  amount: z.number(),
  balanceAfter: z.number(),
  reason: z.string().nullable(),
  reference: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  idempotencyKey: z.string(),
  refundOf: z.string().nullable(),
  reservationId: z.string().nullable(),
  actor: z.object({ type: z.enum(actorTypes), id: z.string().nullable() }),
  createdAt: z.date(),
});
export type TTransaction = z.infer<typeof ZTransaction>;
export const ZTransactionPage = zPage(ZTransaction);

export const reservationStatuses = ['active', 'captured', 'released', 'expired'] as const;
export const ZReservation = z.object({
  reservationId: z.string(),
  organizationId: z.string(),
  amount: z.number(),
  capturedAmount: z.number(),
  status: z.enum(reservationStatuses),
  expiresAt: z.date(),
  createdAt: z.date(),
});
export type TReservation = z.infer<typeof ZReservation>;
