// Group commit for consume. On a busy organization every commit's WAL flush happens while the
// account row is locked, so one-statement consumes of that organization run strictly one after the
// other (~1 ms each). Instead, the consumes that arrive while one is running wait, and then all go
// together: one transaction, one row lock, one commit. Like a single consume, a batch first tries
// one statement (all of it fits: the common case) and otherwise takes the locked path, which
// decides each consume on its own.
import { newId } from '@gatehouse/db';
import type { Actor } from '../core/audit.js';
import { AppError } from '../core/errors.js';
import { actorOf, type Caller } from '../infra/caller.js';
import { fromMicro, toMicro } from './amount.js';
import { consumeAlone, debitAllowed, isKeyConflict, sameRequest } from './consume.js';
import {
  alertLowBalance,
  balanceChangeSql,
  lockAccount,
  lowBalance,
  replay,
  TRANSACTION_COLUMNS,
  type TransactionRow,
  toTransaction,
  transactionsByKeys,
} from './ledger.js';
import type { TConsumeInput, TTransaction } from './schema.js';

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
 * for another request). Concurrent consumes of one organization in this process go as one batch;
 * one on its own runs `consumeAlone` (no added latency when there is no contention).
 */
export function consume(caller: Caller, input: TConsumeInput): Promise<TTransaction> {
  return new Promise((resolve, reject) => {
    caller.runtime.batches.add(`consume:${input.organizationId}`, { caller, input, resolve, reject }, run);
  });
}

/** Settles every item of the batch; never throws. */
async function run(batch: Item[]): Promise<void> {
  const [only] = batch;
  if (only && batch.length === 1) {
    await consumeAlone(only.caller, only.input).then(only.resolve, only.reject);
    return;
  }
  let outcomes: Outcome[];
  try {
    const atOnce = await debitAtOnce(batch);
    if (!atOnce) only?.caller.runtime.batches.count('consume:locked');
    outcomes = atOnce ?? (await consumeBatch(batch));
  } catch (error) {
    if (!(error instanceof KeyTaken)) {
      for (const item of batch) item.reject(error);
      return;
    }
    // Rare: the one-at-a-time path sorts out which request owns the contested key.
    for (const item of batch) await consumeAlone(item.caller, item.input).then(item.resolve, item.reject);
    return;
  }
  batch.forEach((item, i) => {
    const outcome = outcomes[i] as Outcome;
    if ('ok' in outcome) item.resolve(outcome.ok);
    else item.reject(outcome.error);
  });
}

/** A consume's ledger row and audit event, as the batch statements read them (jsonb_to_recordset). */
function rowOf(item: Item) {
  const actor = actorOf(item.caller);
  const { idempotencyKey, reason, metadata } = item.input;
  return {
    id: newId('txn'),
    event_id: newId('evt'),
    idempotency_key: idempotencyKey,
    amount: toMicro(item.input.amount).toString(),
    actor_type: actor.type,
    actor_id: actor.id,
    reason,
    metadata: metadata ?? {},
    ip: actor.ip ?? null,
    request_id: actor.requestId ?? null,
  };
}

const BATCH_COLUMNS = `id text, event_id text, idempotency_key text, amount bigint, actor_type text, actor_id text,
  reason text, metadata jsonb, ip text, request_id text`;

/**
 * The whole batch as one statement, like consume's: it debits the total only if the total may go
 * (debitAllowed; the balance only falls along the batch, so then every consume may), writing each
 * row's balance after it from the running total in FIFO order. A key used before makes the INSERT
 * fail on the unique index and the statement roll back.
 */
const DEBIT_AT_ONCE = `
with batch as (
  select b.*, sum(b.amount) over (order by b.n) as spent
    from jsonb_to_recordset(?::jsonb) as b(n int, ${BATCH_COLUMNS})
), account as (
  update credit_accounts a set balance = a.balance - t.total, total_used = a.total_used + t.total, updated_at = now()
    from (select sum(amount) as total from batch) t
   where a.organization_id = ? and ${debitAllowed('t.total')}
  returning a.balance + t.total as before
), ledger as (
  insert into credit_transactions (id, organization_id, type, amount, balance_after, idempotency_key, actor_type,
         actor_id, reason, metadata, created_at)
  select b.id, ?, 'usage', -b.amount, a.before - b.spent, b.idempotency_key, b.actor_type, b.actor_id, b.reason,
         b.metadata, now()
    from batch b, account a
  returning ${TRANSACTION_COLUMNS}
), audit as (
  insert into audit_events (id, organization_id, actor_type, actor_id, action, target_type, target_id, changes, ip,
         request_id, created_at)
  select b.event_id, ?, b.actor_type, b.actor_id, 'credits.usage', 'creditTransaction', b.id,
         ${balanceChangeSql('a.before - b.spent + b.amount', 'a.before - b.spent')},
         b.ip, b.request_id, now()
    from batch b, account a
)
select * from ledger`;

/**
 * Every consume of the batch accepted by one statement, or undefined when that cannot be decided
 * so simply (not enough for all, a lapsed hold still counted, a threshold crossing, a key repeated
 * or used before): then the locked path decides.
 */
async function debitAtOnce(items: Item[]): Promise<Outcome[] | undefined> {
  if (new Set(items.map((item) => item.input.idempotencyKey)).size < items.length) return undefined;
  const first = items[0] as Item;
  const { organizationId } = first.input;
  const rows = items.map((item, n) => ({ n, ...rowOf(item) }));
  try {
    const written = await first.caller.em.execute<TransactionRow[]>(DEBIT_AT_ONCE, [
      JSON.stringify(rows),
      organizationId,
      organizationId,
      organizationId,
    ]);
    if (written.length === 0) return undefined;
    const byId = new Map(written.map((row) => [row.id, row]));
    return rows.map((row) => ({ ok: toTransaction(byId.get(row.id) as TransactionRow) }));
  } catch (error) {
    if (isKeyConflict(error)) return undefined;
    throw error;
  }
}

/** Writes the accepted consumes' ledger rows and audit events, and moves the account once. */
const WRITE_BATCH = `
with batch as (
  select * from jsonb_to_recordset(?::jsonb) as b(${BATCH_COLUMNS}, balance_after bigint, changes jsonb)
), ledger as (
  insert into credit_transactions (id, organization_id, type, amount, balance_after, idempotency_key, actor_type,
         actor_id, reason, metadata, created_at)
  select id, ?, 'usage', -amount, balance_after, idempotency_key, actor_type, actor_id, reason, metadata, now()
    from batch
  on conflict (organization_id, idempotency_key) do nothing
  returning ${TRANSACTION_COLUMNS}
), audit as (
  insert into audit_events (id, organization_id, actor_type, actor_id, action, target_type, target_id, changes, ip,
         request_id, created_at)
  select event_id, ?, actor_type, actor_id, 'credits.usage', 'creditTransaction', id, changes, ip, request_id, now()
    from batch
), account as (
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
  return (items[0] as Item).caller.em.fork().transactional(async (tx) => {
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
      organizationId,
      organizationId,
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
    if (crossing) await alertLowBalance(tx, crossing.actor, account, crossing.from, crossing.to);
    return outcomes;
  });
}
