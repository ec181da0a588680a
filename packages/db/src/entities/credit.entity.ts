import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { creditTransactionTypes } from '../values.js';
import { Organization } from './organization.entity.js';

// Amounts are integer micro-credits (1 credit = 1,000,000) in bigint columns, read as JS bigint:
// exact, and far from 2^63 for any real balance.

/**
 * One organization's balance, kept in the same transaction as every ledger row, so it always
 * equals the sum of `credit_transactions.amount`. `held` is the sum of active reservations.
 */
export const CreditAccount = defineEntity({
  name: 'CreditAccount',
  tableName: 'credit_accounts',
  properties: {
    organizationId: () =>
      p.oneToOne(Organization).mapToPk().fieldName('organization_id').deleteRule('cascade').primary(),
    balance: p.bigint('bigint').default(0),
    held: p.bigint('bigint').default(0),
    totalUsed: p.bigint('bigint').default(0),
    totalPurchased: p.bigint('bigint').default(0),
    currency: p.string().default('credits'),
    // Set when the balance fell below the organization's lowBalanceThreshold, cleared when it rises
    // above it again: one alert per crossing.
    lowBalanceAlerted: p.boolean().default(false),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
  // The database refuses an overdraft even if a code path forgot to check.
  checks: [{ name: 'credit_accounts_amounts_check', expression: 'balance >= 0 and held >= 0 and held <= balance' }],
});
export type CreditAccount = InferEntity<typeof CreditAccount>;

/** Append-only ledger. A debit has a negative amount. */
export const CreditTransaction = defineEntity({
  name: 'CreditTransaction',
  tableName: 'credit_transactions',
  properties: {
    id: p.string().primary(),
    organizationId: () => p.manyToOne(Organization).mapToPk().fieldName('organization_id').deleteRule('cascade'),
    type: p.enum(creditTransactionTypes),
    amount: p.bigint('bigint'),
    balanceAfter: p.bigint('bigint'),
    idempotencyKey: p.string(),
    actorType: p.string(),
    actorId: p.string().nullable(),
    reason: p.string().nullable(),
    reference: p.string().nullable(),
    metadata: p
      .json<Record<string, unknown>>()
      .defaultRaw("'{}'")
      .onCreate((t) => t.metadata ?? {}),
    // A refund names the transaction it reverses; unique, so a usage is refunded at most once.
    refundOf: p.string().nullable().unique(),
    reservationId: p.string().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ properties: ['organizationId', 'idempotencyKey'] }],
  indexes: [{ properties: ['organizationId', 'id'] }, { properties: ['organizationId', 'type', 'id'] }],
  checks: [{ name: 'credit_transactions_amount_check', expression: 'amount <> 0' }],
});
export type CreditTransaction = InferEntity<typeof CreditTransaction>;

/** A hold on part of the balance for a long job: captured (in part), released, or expired. */
export const CreditReservation = defineEntity({
  name: 'CreditReservation',
  tableName: 'credit_reservations',
  properties: {
    id: p.string().primary(),
    organizationId: () => p.manyToOne(Organization).mapToPk().fieldName('organization_id').deleteRule('cascade'),
    amount: p.bigint('bigint'),
    capturedAmount: p.bigint('bigint').default(0),
    status: p.enum(['active', 'captured', 'released', 'expired'] as const).default('active'),
    idempotencyKey: p.string(),
    actorType: p.string(),
    actorId: p.string().nullable(),
    expiresAt: p.datetime(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
  uniques: [{ properties: ['organizationId', 'idempotencyKey'] }],
  indexes: [{ properties: ['organizationId', 'status', 'expiresAt'] }],
});
export type CreditReservation = InferEntity<typeof CreditReservation>;
