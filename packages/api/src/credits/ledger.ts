// The ledger's building blocks for the locked path: every balance change other than the
// one-statement consume (see consume.ts) locks the organization's account row, sweeps its expired
// holds, writes its ledger row and audit event, and updates the account, all in one transaction.
// (A batch of consumes, batcher.ts, does the same for many rows at once.)
import { newId } from '@gatehouse/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Actor, record, systemActor } from '../core/audit.js';
import { AppError } from '../core/errors.js';
import type { AfterCommit } from '../infra/transaction.js';
import { lowBalanceEmail } from '../mail/templates.js';
import { fromMicro, MAX_BALANCE, toMicro } from './amount.js';
import type { TConsumeInput, TTransaction } from './schema.js';

export interface TransactionRow {
  id: string;
  organization_id: string;
  type: TTransaction['type'];
  amount: string;
  balance_after: string;
  idempotency_key: string;
  actor_type: TTransaction['actor']['type'];
  actor_id: string | null;
  reason: string | null;
  reference: string | null;
  metadata: Record<string, unknown> | null;
  refund_of: string | null;
  reservation_id: string | null;
  created_at: Date | string;
}

export const TRANSACTION_COLUMNS = `id, organization_id, type, amount, balance_after, idempotency_key, actor_type,
  actor_id, reason, reference, metadata, refund_of, reservation_id, created_at`;

export function toTransaction(row: TransactionRow): TTransaction {
  return {
    id: row.id,
    organizationId: row.organization_id,
    type: row.type,
    amount: fromMicro(row.amount),
    balanceAfter: fromMicro(row.balance_after),
    reason: row.reason,
    reference: row.reference,
    metadata: row.metadata ?? {},
    idempotencyKey: row.idempotency_key,
    refundOf: row.refund_of,
    reservationId: row.reservation_id,
    actor: { type: row.actor_type, id: row.actor_id },
    createdAt: new Date(row.created_at),
  };
}

export async function transactionByKey(
  em: EntityManager,
  organizationId: string,
  idempotencyKey: string,
): Promise<TransactionRow | undefined> {
  const [row] = await em.execute<TransactionRow[]>(
    `select ${TRANSACTION_COLUMNS} from credit_transactions where organization_id = ? and idempotency_key = ?`,
    [organizationId, idempotencyKey],
  );
  return row;
}

/**
 * The organization's ledger rows with any of `keys`, by key. (`= any(array(…))` probes the unique
 * index once per key; `in (select …)` may be planned as a scan of all the organization's rows.)
 */
export async function transactionsByKeys(
  em: EntityManager,
  organizationId: string,
  keys: string[],
): Promise<Map<string, TransactionRow>> {
  const rows = await em.execute<TransactionRow[]>(
    `select ${TRANSACTION_COLUMNS} from credit_transactions
      where organization_id = ? and idempotency_key = any(array(select jsonb_array_elements_text(?::jsonb)))`,
    [organizationId, JSON.stringify(keys)],
  );
  return new Map(rows.map((row) => [row.idempotency_key, row]));
}

/** JSON with sorted keys, so two metadata objects compare by content (jsonb reorders keys). */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * What a repeated idempotency key gets: the first result when the request is the same, CONFLICT
 * when the key was used for something else (another amount, type, reason, ...): a client bug that
 * must not silently receive an unrelated transaction.
 */
export function replay(row: TransactionRow, same: (row: TransactionRow) => boolean): TTransaction {
  if (!same(row)) {
    throw new AppError(
      'IDEMPOTENCY_KEY_REUSED',
      'This idempotency key was already used for a different request in this organization',
      { transactionId: row.id },
    );
  }
  return toTransaction(row);
}

/** settings.lowBalanceThreshold of organization row `o`, in micro-credits (null when unset). */
export const THRESHOLD_MICRO = `round((o.settings->>'lowBalanceThreshold')::numeric * 1000000)::bigint`;

/**
 * The audit `changes` of a balance move, built in SQL from two micro-credit expressions: the same
 * shape `post` records from JS ({ balance: { from, to } } in credits).
 */
export const balanceChangeSql = (from: string, to: string) =>
  `jsonb_build_object('balance', jsonb_build_object(
     'from', trim_scale((${from})::numeric / 1000000), 'to', trim_scale((${to})::numeric / 1000000)))`;

/** A usage debit's fields as the one-statement paths read them: `jsonb_to_recordset(…) as u(${USAGE_COLUMNS})`. */
export const USAGE_COLUMNS = `id text, event_id text, organization_id text, idempotency_key text, amount bigint,
  actor_type text, actor_id text, reason text, metadata jsonb, ip text, request_id text`;

/** A consume's ledger row and audit event, fresh ids included, in USAGE_COLUMNS (amount in positive micro-credits). */
export function usageRow(actor: Actor, input: TConsumeInput) {
  return {
    id: newId('txn'),
    event_id: newId('evt'),
    organization_id: input.organizationId,
    idempotency_key: input.idempotencyKey,
    amount: toMicro(input.amount).toString(),
    actor_type: actor.type,
    actor_id: actor.id,
    reason: input.reason,
    metadata: input.metadata ?? {},
    ip: actor.ip ?? null,
    request_id: actor.requestId ?? null,
  };
}

/**
 * The `ledger` and `audit` steps of a one-statement debit (consume.ts, batcher.ts): for each row of
 * `source` (a FROM item aliased `u` with USAGE_COLUMNS, `balance_after` and the audit `changes`), a
 * usage row in the ledger and its audit event, written by the statement that moves the balance.
 * `ledger` returns the rows written. With `skipTaken`, a row whose idempotency key is already in the
 * ledger gets no ledger row (the caller compares counts); without it, it fails the statement.
 */
export function usageInserts(source: string, { skipTaken = false } = {}): string {
  return `ledger as (
  insert into credit_transactions (id, organization_id, type, amount, balance_after, idempotency_key, actor_type,
         actor_id, reason, metadata, created_at)
  select u.id, u.organization_id, 'usage', -u.amount, u.balance_after, u.idempotency_key, u.actor_type, u.actor_id,
         u.reason, u.metadata, now()
    from ${source}
  ${skipTaken ? 'on conflict (organization_id, idempotency_key) do nothing' : ''}
  returning ${TRANSACTION_COLUMNS}
), audit as (
  insert into audit_events (id, organization_id, actor_type, actor_id, action, target_type, target_id, changes, ip,
         request_id, created_at)
  select u.event_id, u.organization_id, u.actor_type, u.actor_id, 'credits.usage', 'creditTransaction', u.id, u.changes,
         u.ip, u.request_id, now()
    from ${source}
)`;
}

export interface Account {
  organizationId: string;
  balance: bigint;
  held: bigint;
  lowBalanceAlerted: boolean;
  /** settings.lowBalanceThreshold in micro-credits, or null. */
  threshold: bigint | null;
}

/**
 * Locks the organization's account row for the rest of the transaction (creating it first with
 * `create`), then lets its lapsed holds go. Without `create`, an organization that never had credits
 * has no account: null.
 */
export async function lockAccount(
  tx: EntityManager,
  organizationId: string,
  options: { create: true },
): Promise<Account>;
export async function lockAccount(tx: EntityManager, organizationId: string): Promise<Account | null>;
export async function lockAccount(
  tx: EntityManager,
  organizationId: string,
  { create = false } = {},
): Promise<Account | null> {
  if (create) {
    await tx.execute(
      `insert into credit_accounts (organization_id, updated_at) values (?, now()) on conflict (organization_id) do nothing`,
      [organizationId],
    );
  }
  const [row] = await tx.execute<
    { balance: string; held: string; low_balance_alerted: boolean; threshold: string | null }[]
  >(
    `select a.balance, a.held, a.low_balance_alerted,
            ${THRESHOLD_MICRO} as threshold
       from credit_accounts a join organizations o on o.id = a.organization_id
      where a.organization_id = ? for update of a`,
    [organizationId],
  );
  if (!row) return null;
  const account: Account = {
    organizationId,
    balance: BigInt(row.balance),
    held: BigInt(row.held),
    lowBalanceAlerted: row.low_balance_alerted,
    threshold: row.threshold === null ? null : BigInt(row.threshold),
  };
  await sweepExpired(tx, account);
  return account;
}

/** Releases the account's holds whose time ran out (the account row is locked by the caller). */
async function sweepExpired(tx: EntityManager, account: Account): Promise<void> {
  const expired = await tx.execute<{ id: string; amount: string }[]>(
    `update credit_reservations set status = 'expired', updated_at = now()
      where organization_id = ? and status = 'active' and expires_at <= now()
      returning id, amount`,
    [account.organizationId],
  );
  if (expired.length === 0) return;
  const released = expired.reduce((sum, r) => sum + BigInt(r.amount), 0n);
  await tx.execute('update credit_accounts set held = held - ?::bigint, updated_at = now() where organization_id = ?', [
    released.toString(),
    account.organizationId,
  ]);
  account.held -= released;
  for (const r of expired) {
    record(tx, systemActor, {
      organizationId: account.organizationId,
      action: 'credits.reservation_expired',
      target: { type: 'creditReservation', id: r.id },
      changes: { status: { from: 'active', to: 'expired' } },
    });
  }
}

/** Changes the locked account's hold by `delta` (a reserve, or a release): no ledger row, the balance stays. */
export async function changeHeld(tx: EntityManager, account: Account, delta: bigint): Promise<void> {
  if (account.balance - account.held - delta < 0n) {
    throw new AppError('INSUFFICIENT_CREDITS', 'Not enough available credits');
  }
  await tx.execute('update credit_accounts set held = held + ?::bigint, updated_at = now() where organization_id = ?', [
    delta.toString(),
    account.organizationId,
  ]);
  account.held += delta;
}

export interface Entry {
  type: TTransaction['type'];
  /** Signed micro-credits. */
  amount: bigint;
  idempotencyKey: string;
  reason?: string | null;
  reference?: string | null;
  metadata?: Record<string, unknown>;
  refundOf?: string | null;
  reservationId?: string | null;
  /** Hold released with this entry (a capture releases its whole reservation). */
  releaseHeld?: bigint;
  /** Change of totalUsed (usage +, refund −) and of totalPurchased. */
  used?: bigint;
  purchased?: bigint;
}

/**
 * Writes one ledger row on the locked account and moves the balance with it, with its audit event
 * and, when a debit takes the balance under the organization's threshold, the low-balance alert.
 * A debit may never take available credits (balance − holds) below zero.
 */
export async function post(
  tx: EntityManager,
  after: AfterCommit,
  actor: Actor,
  account: Account,
  entry: Entry,
): Promise<TTransaction> {
  const before = account.balance;
  const balance = before + entry.amount;
  const held = account.held - (entry.releaseHeld ?? 0n);
  if (entry.amount < 0n && balance - held < 0n) {
    throw new AppError('INSUFFICIENT_CREDITS', 'Not enough available credits', {
      available: fromMicro(account.balance - account.held),
    });
  }
  if (balance > MAX_BALANCE) throw new AppError('BAD_REQUEST', 'The balance would exceed its maximum');

  const { crossed, alerted } = lowBalance(account, balance, entry.amount < 0n);

  await tx.execute(
    `update credit_accounts
        set balance = ?::bigint, held = ?::bigint, total_used = total_used + ?::bigint,
            total_purchased = total_purchased + ?::bigint, low_balance_alerted = ?, updated_at = now()
      where organization_id = ?`,
    [
      balance.toString(),
      held.toString(),
      (entry.used ?? 0n).toString(),
      (entry.purchased ?? 0n).toString(),
      alerted,
      account.organizationId,
    ],
  );
  const id = newId('txn');
  const [row] = await tx.execute<TransactionRow[]>(
    `insert into credit_transactions (id, organization_id, type, amount, balance_after, idempotency_key, actor_type,
            actor_id, reason, reference, metadata, refund_of, reservation_id, created_at)
     values (?, ?, ?, ?::bigint, ?::bigint, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, now())
     returning ${TRANSACTION_COLUMNS}`,
    [
      id,
      account.organizationId,
      entry.type,
      entry.amount.toString(),
      balance.toString(),
      entry.idempotencyKey,
      actor.type,
      actor.id,
      entry.reason ?? null,
      entry.reference ?? null,
      JSON.stringify(entry.metadata ?? {}),
      entry.refundOf ?? null,
      entry.reservationId ?? null,
    ],
  );
  Object.assign(account, { balance, held, lowBalanceAlerted: alerted });
  record(tx, actor, {
    organizationId: account.organizationId,
    action: `credits.${entry.type}`,
    target: { type: 'creditTransaction', id },
    changes: { balance: { from: fromMicro(before), to: fromMicro(balance) } },
  });
  if (crossed) await alertLowBalance(tx, after, actor, account, before, balance);
  return toTransaction(row as TransactionRow);
}

/**
 * Where a change to `balance` leaves the account's low-balance alert. One alert per crossing: set by
 * the debit that crosses (`crossed`: send it), cleared once the balance is back up.
 */
export function lowBalance(account: Account, balance: bigint, debit: boolean) {
  const below = account.threshold !== null && balance < account.threshold;
  const crossed = below && debit && !account.lowBalanceAlerted;
  return { crossed, alerted: below && (account.lowBalanceAlerted || crossed) };
}

/**
 * The audit event and one email per owner, in the transaction of the debit that crossed the
 * threshold (taking the balance from `from` to `to`).
 */
export async function alertLowBalance(
  tx: EntityManager,
  after: AfterCommit,
  actor: Actor,
  account: Account,
  from: bigint,
  to: bigint,
): Promise<void> {
  record(tx, actor, {
    organizationId: account.organizationId,
    action: 'credits.low_balance',
    target: { type: 'organization', id: account.organizationId },
    changes: { balance: { from: fromMicro(from), to: fromMicro(to) } },
  });
  after.emit(account.organizationId, 'credits.low_balance', {
    balance: fromMicro(to),
    threshold: fromMicro(account.threshold ?? 0n),
  });
  const owners = await tx.execute<{ email: string; organization_name: string }[]>(
    `select u.email, o.name as organization_name
       from memberships m join users u on u.id = m.user_id join organizations o on o.id = m.organization_id
      where m.organization_id = ? and m.role = 'owner' and u.status = 'active'
      order by m.id`,
    [account.organizationId],
  );
  for (const owner of owners) {
    after.mail(
      'low_balance',
      lowBalanceEmail({
        to: owner.email,
        organizationName: owner.organization_name,
        balance: fromMicro(to),
        threshold: fromMicro(account.threshold ?? 0n),
      }),
    );
  }
}
