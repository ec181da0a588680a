import { AppError } from '../core/errors.js';
import type { Page } from '../core/pagination.js';
import { actorOf, type Caller } from '../infra/caller.js';
import { transaction } from '../infra/transaction.js';
import { fromMicro, toMicro } from './amount.js';
import {
  lockAccount,
  post,
  replay,
  TRANSACTION_COLUMNS,
  type TransactionRow,
  toTransaction,
  transactionByKey,
} from './ledger.js';
import type { TBalance, TGrantInput, TListTransactionsInput, TRefundInput, TTransaction } from './schema.js';

export { consume } from './batcher.js';

/**
 * The organization's balance. `held` counts only holds that are still running: a lapsed hold that no
 * write has swept yet is already free to use.
 */
export async function balance(caller: Caller, organizationId: string): Promise<TBalance> {
  const [row] = await caller.em.execute<
    { balance: string; held: string; total_used: string; total_purchased: string; currency: string }[]
  >(
    `select a.balance, a.total_used, a.total_purchased, a.currency,
            coalesce((select sum(r.amount) from credit_reservations r
                       where r.organization_id = a.organization_id and r.status = 'active' and r.expires_at > now()), 0)
              as held
       from credit_accounts a where a.organization_id = ?`,
    [organizationId],
  );
  if (!row) return { balance: 0, available: 0, held: 0, totalUsed: 0, totalPurchased: 0, currency: 'credits' };
  return {
    balance: fromMicro(row.balance),
    available: fromMicro(BigInt(row.balance) - BigInt(row.held)),
    held: fromMicro(row.held),
    totalUsed: fromMicro(row.total_used),
    totalPurchased: fromMicro(row.total_purchased),
    currency: row.currency,
  };
}

/** The ledger, newest first, keyset on (organization_id, id) (or (organization_id, type, id)). */
export async function listTransactions(caller: Caller, input: TListTransactionsInput): Promise<Page<TTransaction>> {
  const { organizationId, type, since, until } = input;
  const { cursors } = caller.runtime;
  const scope = `credits:${JSON.stringify([organizationId, type, since?.toISOString(), until?.toISOString()])}`;
  const after = input.cursor ? cursors.decode(scope, input.cursor) : null;
  const where = ['organization_id = ?'];
  const params: unknown[] = [organizationId];
  const add = (condition: string, value: unknown) => {
    where.push(condition);
    params.push(value);
  };
  if (type) add('type = ?', type);
  if (since) add('created_at >= ?', since);
  if (until) add('created_at < ?', until);
  if (after) add('id < ?', after);
  const rows = await caller.em.execute<TransactionRow[]>(
    `select ${TRANSACTION_COLUMNS} from credit_transactions where ${where.join(' and ')} order by id desc limit ?`,
    [...params, input.limit + 1],
  );
  return cursors.page(scope, rows, input.limit, (r) => r.id, toTransaction);
}

/**
 * Adds credits (a purchase or a grant) or corrects the balance (an adjustment, either sign, never
 * taking available credits below zero). Only platform admins and keys they scope hold credits:grant.
 */
export async function grant(caller: Caller, input: TGrantInput): Promise<TTransaction> {
  const { organizationId, type, idempotencyKey } = input;
  const amount = toMicro(input.amount);
  const reference = input.reference ?? null;
  return transaction(
    caller,
    async (tx, after) => {
      const account = await lockAccount(tx, organizationId, { create: true });
      const first = await transactionByKey(tx, organizationId, idempotencyKey);
      if (first) {
        return replay(first, (r) => r.type === type && BigInt(r.amount) === amount && r.reference === reference);
      }
      return post(tx, after, actorOf(caller), account, {
        type,
        amount,
        idempotencyKey,
        reference,
        purchased: type === 'purchase' ? amount : 0n,
      });
    },
    { fresh: true },
  );
}

/**
 * Gives a usage transaction's whole amount back, once: a second refund of it is ALREADY_REFUNDED
 * (a repeated idempotency key returns the first refund instead).
 */
export async function refund(caller: Caller, organizationId: string, input: TRefundInput): Promise<TTransaction> {
  const { transactionId, idempotencyKey } = input;
  const actor = actorOf(caller);
  return transaction(
    caller,
    async (tx, after) => {
      const account = await lockAccount(tx, organizationId);
      if (!account) throw new AppError('NOT_FOUND', 'Not found');
      const first = await transactionByKey(tx, account.organizationId, idempotencyKey);
      if (first) return replay(first, (r) => r.type === 'refund' && r.refund_of === transactionId);
      const [usage] = await tx.execute<TransactionRow[]>(
        `select ${TRANSACTION_COLUMNS} from credit_transactions where id = ? and organization_id = ?`,
        [transactionId, account.organizationId],
      );
      if (!usage) throw new AppError('NOT_FOUND', 'Not found');
      if (usage.type !== 'usage') throw new AppError('BAD_REQUEST', 'Only a usage transaction can be refunded');
      const [already] = await tx.execute<{ id: string }[]>('select id from credit_transactions where refund_of = ?', [
        transactionId,
      ]);
      if (already) {
        throw new AppError('ALREADY_REFUNDED', 'This transaction was already refunded', { refundId: already.id });
      }
      const amount = -BigInt(usage.amount);
      return post(tx, after, actor, account, {
        type: 'refund',
        amount,
        idempotencyKey,
        refundOf: transactionId,
        reservationId: usage.reservation_id,
        used: -amount,
      });
    },
    { fresh: true },
  );
}
