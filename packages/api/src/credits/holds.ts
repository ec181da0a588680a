// Holds for long jobs: reserve takes credits out of `available` without touching the balance;
// capture turns (part of) a hold into a usage transaction and lets the rest go; release lets it all
// go. A hold whose time runs out releases itself: reads ignore it at once, and the next write on the
// organization's account marks it expired (lockAccount sweeps).
import { newId } from '@gatehouse/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { record } from '../core/audit.js';
import { AppError } from '../core/errors.js';
import { actorOf, type Caller } from '../infra/caller.js';
import { type AfterCommit, transaction } from '../infra/transaction.js';
import { fromMicro, toMicro } from './amount.js';
import { type Account, changeHeld, lockAccount, post, toTransaction, transactionByKey } from './ledger.js';
import {
  RESERVED_KEY_PREFIX,
  type TCaptureInput,
  type TReservation,
  type TReserveInput,
  type TTransaction,
} from './schema.js';

interface ReservationRow {
  id: string;
  organization_id: string;
  amount: string;
  captured_amount: string;
  status: TReservation['status'];
  idempotency_key: string;
  expires_at: Date | string;
  created_at: Date | string;
}

const RESERVATION_COLUMNS =
  'id, organization_id, amount, captured_amount, status, idempotency_key, expires_at, created_at';

function toReservation(row: ReservationRow): TReservation {
  return {
    reservationId: row.id,
    organizationId: row.organization_id,
    amount: fromMicro(row.amount),
    capturedAmount: fromMicro(row.captured_amount),
    status: row.status,
    expiresAt: new Date(row.expires_at),
    createdAt: new Date(row.created_at),
  };
}

/** The key of the usage transaction a capture writes: one per reservation, out of the clients' namespace. */
const captureKey = (reservationId: string) => `${RESERVED_KEY_PREFIX}capture:${reservationId}`;

/** Holds `amount` for `ttlSeconds`. The same idempotency key returns the first reservation. */
export async function reserve(caller: Caller, input: TReserveInput): Promise<TReservation> {
  const { organizationId, idempotencyKey, ttlSeconds } = input;
  const amount = toMicro(input.amount);
  return transaction(
    caller,
    async (tx) => {
      const account = await lockAccount(tx, organizationId);
      const [first] = await tx.execute<ReservationRow[]>(
        `select ${RESERVATION_COLUMNS} from credit_reservations where organization_id = ? and idempotency_key = ?`,
        [organizationId, idempotencyKey],
      );
      if (first) {
        if (BigInt(first.amount) !== amount) {
          throw new AppError(
            'IDEMPOTENCY_KEY_REUSED',
            'This idempotency key was already used for a different reservation in this organization',
            { reservationId: first.id },
          );
        }
        return toReservation(first);
      }
      if (!account) throw new AppError('INSUFFICIENT_CREDITS', 'Not enough available credits', { available: 0 });
      await changeHeld(tx, account, amount);
      const actor = actorOf(caller);
      const [row] = await tx.execute<ReservationRow[]>(
        `insert into credit_reservations (id, organization_id, amount, idempotency_key, actor_type, actor_id, expires_at,
              created_at, updated_at)
       values (?, ?, ?::bigint, ?, ?, ?, now() + make_interval(secs => ?), now(), now())
       returning ${RESERVATION_COLUMNS}`,
        [newId('rsv'), organizationId, amount.toString(), idempotencyKey, actor.type, actor.id, ttlSeconds],
      );
      const reservation = toReservation(row as ReservationRow);
      record(tx, actor, {
        organizationId,
        action: 'credits.reserved',
        target: { type: 'creditReservation', id: reservation.reservationId },
        changes: { held: { from: fromMicro(account.held - amount), to: fromMicro(account.held) } },
      });
      return reservation;
    },
    { fresh: true },
  );
}

/**
 * Runs `change` on a reservation of `organizationId` (NOT_FOUND otherwise; the procedure chain found
 * and authorized the organization) with its account locked and lapsed holds swept, so the reservation's status is current.
 */
async function withReservation<T>(
  caller: Caller,
  organizationId: string,
  reservationId: string,
  change: (tx: EntityManager, after: AfterCommit, account: Account, reservation: ReservationRow) => Promise<T>,
): Promise<T> {
  return transaction(
    caller,
    async (tx, after) => {
      const account = await lockAccount(tx, organizationId);
      const [reservation] = await tx.execute<ReservationRow[]>(
        `select ${RESERVATION_COLUMNS} from credit_reservations where id = ?`,
        [reservationId],
      );
      if (!account || !reservation) throw new AppError('NOT_FOUND', 'Not found');
      return change(tx, after, account, reservation);
    },
    { fresh: true },
  );
}

const setStatus = (tx: EntityManager, id: string, status: TReservation['status'], captured = 0n) =>
  tx.execute(
    `update credit_reservations set status = ?, captured_amount = ?::bigint, updated_at = now() where id = ?`,
    [status, captured.toString(), id],
  );

/**
 * Charges `amount` (at most the reserved amount) as a usage transaction and releases the rest.
 * Capturing a captured reservation again with the same amount returns the same transaction.
 */
export function capture(caller: Caller, organizationId: string, input: TCaptureInput): Promise<TTransaction> {
  const amount = toMicro(input.amount);
  return withReservation(caller, organizationId, input.reservationId, async (tx, after, account, reservation) => {
    const key = captureKey(reservation.id);
    if (reservation.status === 'captured') {
      const first = await transactionByKey(tx, account.organizationId, key);
      if (first && BigInt(first.amount) === -amount) return toTransaction(first);
    }
    if (reservation.status !== 'active') {
      throw new AppError('CONFLICT', `The reservation is ${reservation.status}`, { status: reservation.status });
    }
    const reserved = BigInt(reservation.amount);
    if (amount > reserved) {
      throw new AppError('BAD_REQUEST', 'Cannot capture more than the reserved amount', {
        reserved: fromMicro(reserved),
      });
    }
    await setStatus(tx, reservation.id, 'captured', amount);
    return post(tx, after, actorOf(caller), account, {
      type: 'usage',
      amount: -amount,
      idempotencyKey: key,
      reservationId: reservation.id,
      releaseHeld: reserved,
      used: amount,
    });
  });
}

/** Lets the whole hold go. Releasing a released or expired reservation changes nothing; a captured one is CONFLICT. */
export function release(caller: Caller, organizationId: string, reservationId: string): Promise<TReservation> {
  return withReservation(caller, organizationId, reservationId, async (tx, _after, account, reservation) => {
    if (reservation.status === 'released' || reservation.status === 'expired') return toReservation(reservation);
    if (reservation.status === 'captured') throw new AppError('CONFLICT', 'The reservation is captured');
    const before = account.held;
    await changeHeld(tx, account, -BigInt(reservation.amount));
    await setStatus(tx, reservation.id, 'released');
    record(tx, actorOf(caller), {
      organizationId: account.organizationId,
      action: 'credits.reservation_released',
      target: { type: 'creditReservation', id: reservation.id },
      changes: { held: { from: fromMicro(before), to: fromMicro(account.held) } },
    });
    return { ...toReservation(reservation), status: 'released' };
  });
}
