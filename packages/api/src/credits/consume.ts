import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { AppError } from '../core/errors.js';
import { actorOf, type Caller } from '../infra/caller.js';
import { transaction } from '../infra/transaction.js';
import { toMicro } from './amount.js';
import {
  balanceChangeSql,
  canonical,
  lockAccount,
  post,
  replay,
  THRESHOLD_MICRO,
  type TransactionRow,
  toTransaction,
  transactionByKey,
  USAGE_COLUMNS,
  usageInserts,
  usageRow,
} from './ledger.js';
import type { TConsumeInput, TTransaction } from './schema.js';

/**
 * When a one-statement debit of `amount` (an SQL expression) may go ahead on account row `a`:
 * available credits (balance − holds, lapsed ones included) cover it and it does not cross the
 * low-balance threshold (that needs the locked path's alert).
 */
export const debitAllowed = (amount: string) => `a.balance - a.held >= ${amount}
     and (a.low_balance_alerted or a.balance - ${amount} >= coalesce(
           (select ${THRESHOLD_MICRO} from organizations o where o.id = a.organization_id), 0))`;

/**
 * The hot path, one statement in its own (implicit) transaction, so the account row is locked
 * only from the UPDATE to the commit, never across a round trip to this process:
 * - the UPDATE debits only if available credits (balance − holds, lapsed ones included) cover the
 *   amount and the debit does not cross the low-balance threshold (that needs the locked path's
 *   alert); under concurrency PostgreSQL re-checks the condition on the newest row version;
 * - the ledger row and the audit event are inserted from the UPDATE's result. A repeated
 *   idempotency key makes the INSERT fail on the (organization_id, idempotency_key) unique index, after
 *   waiting for a parallel first use to commit: the whole statement, debit included, rolls back.
 */
const FAST_CONSUME = `
with item as (
  select * from jsonb_to_record(?::jsonb) as b(${USAGE_COLUMNS})
), account as (
  update credit_accounts a
     set balance = a.balance - b.amount, total_used = a.total_used + b.amount, updated_at = now()
    from item b
   where a.organization_id = b.organization_id and ${debitAllowed('b.amount')}
  returning a.balance
), usage as (
  select b.*, a.balance as balance_after, ${balanceChangeSql('a.balance + b.amount', 'a.balance')} as changes
    from item b, account a
), ${usageInserts('usage u')}
select * from ledger`;

export const isKeyConflict = (error: unknown) =>
  error instanceof UniqueConstraintViolationException &&
  /credit_transactions_organization_id_idempotency_key_unique/.test(error.message);

/** Whether a ledger row found under the request's idempotency key is this very request's result (a replay). */
export function sameRequest(input: TConsumeInput): (row: TransactionRow) => boolean {
  const amount = toMicro(input.amount);
  const metadata = canonical(input.metadata ?? {});
  return (row) =>
    row.type === 'usage' &&
    row.reservation_id === null &&
    BigInt(row.amount) === -amount &&
    row.reason === input.reason &&
    canonical(row.metadata ?? {}) === metadata;
}

/** One consume: the one statement, or the locked path when it refuses. */
export async function consumeAlone(caller: Caller, input: TConsumeInput): Promise<TTransaction> {
  const { organizationId, idempotencyKey, reason } = input;
  const amount = toMicro(input.amount);
  const metadata = input.metadata ?? {};
  const same = sameRequest(input);

  const actor = actorOf(caller);
  try {
    const [row] = await caller.em.execute<TransactionRow[]>(FAST_CONSUME, [JSON.stringify(usageRow(actor, input))]);
    if (row) return toTransaction(row);
  } catch (error) {
    if (!isKeyConflict(error)) throw error;
    const first = await transactionByKey(caller.em, organizationId, idempotencyKey);
    if (first) return replay(first, same);
    throw error;
  }

  // Refused by the one statement: not enough credits as far as it could tell, a lapsed hold still
  // counted, a threshold crossing (which sends the alert), or no account at all. The locked path
  // decides, and answers a replay of a key whose first use succeeded.
  return transaction(
    caller,
    async (tx, after) => {
      const account = await lockAccount(tx, organizationId);
      const first = await transactionByKey(tx, organizationId, idempotencyKey);
      if (first) return replay(first, same);
      if (!account) throw new AppError('INSUFFICIENT_CREDITS', 'Not enough available credits', { available: 0 });
      return post(tx, after, actor, account, {
        type: 'usage',
        amount: -amount,
        idempotencyKey,
        reason,
        metadata,
        used: amount,
      });
    },
    { fresh: true },
  );
}
