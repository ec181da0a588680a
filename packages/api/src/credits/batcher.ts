// Group commit for consume. Each commit waits for its WAL flush, so one commit per consume caps a
// server at PostgreSQL's commit rate through its pool (~840 consumes/s over 64 organizations on the
// benchmark's machine), and on a busy organization those flushes also happen one after the other
// under its account row lock. Instead, the consumes that arrive while a batch runs, of any
// organizations, wait and then go together: one statement debits every organization whose consumes
// all fit, with one commit. An organization it cannot decide for so simply takes the locked path
// on its own, which decides each of its consumes in arrival order.
import { DeadlockException } from '@mikro-orm/core';
import type { Actor } from '../core/audit.js';
import { AppError } from '../core/errors.js';
import { actorOf, type Caller } from '../infra/caller.js';
import { transaction } from '../infra/transaction.js';
import { fromMicro, toMicro } from './amount.js';
import { consumeAlone, debitAllowed, isKeyConflict, sameRequest } from './consume.js';
import {
  alertLowBalance,
  balanceChangeSql,
  lockAccount,
  lowBalance,
  replay,
  type TransactionRow,
  toTransaction,
  transactionsByKeys,
  USAGE_COLUMNS,
  usageInserts,
  usageRow,
} from './ledger.js';
import type { TConsumeInput, TTransaction } from './schema.js';

/** The one batch key of consumes in a process (Batches): every organization's go together. */
export const CONSUMES = 'consume';

interface Item {
  caller: Caller;
  input: TConsumeInput;
  resolve(transaction: TTransaction): void;
  reject(error: unknown): void;
}

type Outcome = { ok: TTransaction } | { error: unknown };

/** Another process wrote one of the batch's keys after our look-up: the batch rolls back. */
class KeyTaken extends Error {}

/**
 * Debits `amount` for `reason`. Never below zero (INSUFFICIENT_CREDITS); the same idempotency key
 * returns the first transaction and never debits twice (IDEMPOTENCY_KEY_REUSED if the key was used
 * for another request). Concurrent consumes in this process go as one batch, whatever their
 * organizations; one on its own runs `consumeAlone` (no added latency when there is no contention).
 */
export function consume(caller: Caller, input: TConsumeInput): Promise<TTransaction> {
  return new Promise((resolve, reject) => {
    caller.runtime.batches.add(CONSUMES, { caller, input, resolve, reject }, run);
  });
}

/** Settles every item of the batch; never throws. */
async function run(batch: Item[]): Promise<void> {
  const [only] = batch;
  if (only && batch.length === 1) {
    await consumeAlone(only.caller, only.input).then(only.resolve, only.reject);
    return;
  }
  const byOrganization = new Map<string, Item[]>();
  for (const item of batch) {
    const items = byOrganization.get(item.input.organizationId);
    if (items) items.push(item);
    else byOrganization.set(item.input.organizationId, [item]);
  }
  const groups = [...byOrganization.values()];
  let left: Item[][];
  try {
    left = await debitTogether(groups);
  } catch (error) {
    // The statement rolled back as a whole (a key another process took meanwhile, a deadlock with
    // another process's batch): nothing was written, and each organization goes its own way.
    if (!isKeyConflict(error) && !(error instanceof DeadlockException)) {
      for (const item of batch) item.reject(error);
      return;
    }
    left = groups;
  }
  // Each on its own account row: they neither wait for nor deadlock with one another.
  await Promise.all(left.map(consumeLocked));
}

/** A consume's ledger row and audit event, as the batch statements read them (jsonb_to_recordset). */
const rowOf = (item: Item) => usageRow(actorOf(item.caller), item.input);

/**
 * The whole batch as one statement, like consume's. Per organization it debits the total only if
 * the total may go (debitAllowed; the balance only falls along its consumes, so then every one may)
 * and none of its keys was used before, writing each row's balance after it from the running total
 * in arrival order. An organization it does not debit gets no row. The accounts are locked first,
 * in organization id order whatever plan the UPDATE gets, so two processes' batches never wait for
 * each other in a circle. A key another process writes meanwhile makes an INSERT fail on the
 * unique index and the whole statement roll back.
 */
const DEBIT_TOGETHER = `
with batch as (
  select b.*, sum(b.amount) over (partition by b.organization_id order by b.n) as spent
    from jsonb_to_recordset(?::jsonb) as b(n int, ${USAGE_COLUMNS})
), total as (
  select organization_id, sum(amount) as total from batch group by organization_id
), locked as materialized (
  select a.organization_id from credit_accounts a
   where a.organization_id in (select organization_id from total)
   order by a.organization_id
     for update
), account as (
  update credit_accounts a set balance = a.balance - t.total, total_used = a.total_used + t.total, updated_at = now()
    from total t join locked l on l.organization_id = t.organization_id
   where a.organization_id = t.organization_id and ${debitAllowed('t.total')}
     and not exists (select from batch b join credit_transactions x
                        on x.organization_id = b.organization_id and x.idempotency_key = b.idempotency_key
                      where b.organization_id = a.organization_id)
  returning a.organization_id, a.balance + t.total as before
), usage as (
  select b.*, a.before - b.spent as balance_after,
         ${balanceChangeSql('a.before - b.spent + b.amount', 'a.before - b.spent')} as changes
    from batch b join account a on a.organization_id = b.organization_id
), ${usageInserts('usage u')}
select * from ledger`;

/**
 * Settles the consumes of every organization the one statement accepts, and returns the others
 * (not enough for all, a lapsed hold still counted, a threshold crossing, a key repeated or used
 * before, no account): for the locked path to decide.
 */
async function debitTogether(groups: Item[][]): Promise<Item[][]> {
  const distinctKeys = (items: Item[]) => new Set(items.map((item) => item.input.idempotencyKey)).size === items.length;
  const left = groups.filter((items) => !distinctKeys(items));
  const simple = groups.filter(distinctKeys).map((items) => ({ items, rows: items.map(rowOf) }));
  const first = simple[0]?.items[0];
  if (!first) return left;
  const rows = simple.flatMap((group) => group.rows).map((row, n) => ({ n, ...row }));
  const written = await first.caller.em.execute<TransactionRow[]>(DEBIT_TOGETHER, [JSON.stringify(rows)]);
  const byId = new Map(written.map((row) => [row.id, row]));
  for (const { items, rows } of simple) {
    // The statement writes all of an organization's rows or none.
    const debited = rows.flatMap((row) => byId.get(row.id) ?? []);
    if (debited.length === 0) {
      left.push(items);
      continue;
    }
    items.forEach((item, i) => {
      item.resolve(toTransaction(debited[i] as TransactionRow));
    });
  }
  return left;
}

/**
 * One organization's consumes on the locked path. Rare: when another process took one of their keys
 * after the look-up, the one-at-a-time path sorts out which request owns it.
 */
async function consumeLocked(items: Item[]): Promise<void> {
  (items[0] as Item).caller.runtime.batches.count('consume:locked');
  let outcomes: Outcome[];
  try {
    outcomes = await consumeBatch(items);
  } catch (error) {
    if (!(error instanceof KeyTaken)) {
      for (const item of items) item.reject(error);
      return;
    }
    for (const item of items) await consumeAlone(item.caller, item.input).then(item.resolve, item.reject);
    return;
  }
  items.forEach((item, i) => {
    const outcome = outcomes[i] as Outcome;
    if ('ok' in outcome) item.resolve(outcome.ok);
    else item.reject(outcome.error);
  });
}

/** Writes the accepted consumes' ledger rows and audit events, and moves the account once. */
const WRITE_BATCH = `
with batch as (
  select * from jsonb_to_recordset(?::jsonb) as b(${USAGE_COLUMNS}, balance_after bigint, changes jsonb)
), ${usageInserts('batch u', { skipTaken: true })}, account as (
  update credit_accounts
     set balance = ?::bigint, total_used = total_used + ?::bigint, low_balance_alerted = ?, updated_at = now()
   where organization_id = ?
)
select * from ledger`;

const settle = (answer: () => TTransaction): Outcome => {
  try {
    return { ok: answer() };
  } catch (error) {
    return { error };
  }
};

/**
 * Several consumes of one organization in one transaction, decided in FIFO order as if they had
 * run one after the other: a replay gets its first transaction (or IDEMPOTENCY_KEY_REUSED), a
 * consume that available credits do not cover is refused and the next one is still tried, and a
 * key repeated within the batch gets the outcome of its first accepted use.
 */
async function consumeBatch(items: Item[]): Promise<Outcome[]> {
  const organizationId = (items[0] as Item).input.organizationId;
  const { caller } = items[0] as Item;
  return transaction(
    caller,
    async (tx, after) => {
      const account = await lockAccount(tx, organizationId);
      const earlier = await transactionsByKeys(
        tx,
        organizationId,
        items.map((item) => item.input.idempotencyKey),
      );

      const outcomes: Outcome[] = [];
      const rows: (ReturnType<typeof rowOf> & { balance_after: string; changes: unknown })[] = [];
      /** Key → the batch's accepted consume (its ledger row's id) that holds it. */
      const taken = new Map<string, string>();
      let balance = account?.balance ?? 0n;
      const held = account?.held ?? 0n;
      let used = 0n;
      let crossing: { actor: Actor; from: bigint; to: bigint } | undefined;
      items.forEach((item, i) => {
        const { idempotencyKey } = item.input;
        const first = earlier.get(idempotencyKey);
        if (first) {
          outcomes[i] = settle(() => replay(first, sameRequest(item.input)));
          return;
        }
        if (taken.has(idempotencyKey)) return; // answered below, once its first use's row exists
        const amount = toMicro(item.input.amount);
        if (!account || balance - held < amount) {
          const available = fromMicro(balance - held);
          outcomes[i] = { error: new AppError('INSUFFICIENT_CREDITS', 'Not enough available credits', { available }) };
          return;
        }
        const from = balance;
        balance -= amount;
        used += amount;
        const { crossed, alerted } = lowBalance(account, balance, true);
        account.lowBalanceAlerted = alerted;
        if (crossed) crossing = { actor: actorOf(item.caller), from, to: balance };
        const row = rowOf(item);
        taken.set(idempotencyKey, row.id);
        rows.push({
          ...row,
          balance_after: balance.toString(),
          changes: { balance: { from: fromMicro(from), to: fromMicro(balance) } },
        });
      });
      if (!account || rows.length === 0) return outcomes;

      const written = await tx.execute<TransactionRow[]>(WRITE_BATCH, [
        JSON.stringify(rows),
        balance.toString(),
        used.toString(),
        account.lowBalanceAlerted,
        organizationId,
      ]);
      // With the account locked nobody else writes this organization's usage rows, but the unique
      // index is the last word: if a key was taken anyway, undo everything and go one at a time.
      if (written.length !== rows.length) throw new KeyTaken();
      const byId = new Map(written.map((row) => [row.id, row]));
      items.forEach((item, i) => {
        if (outcomes[i]) return;
        const row = byId.get(taken.get(item.input.idempotencyKey) as string) as TransactionRow;
        // The accepted consume itself, or a repeat of its key: the same transaction, or REUSED if it asked otherwise.
        outcomes[i] = settle(() => replay(row, sameRequest(item.input)));
      });
      if (crossing) await alertLowBalance(tx, after, crossing.actor, account, crossing.from, crossing.to);
      return outcomes;
    },
    { fresh: true },
  );
}
