import { orgProcedure, ownedProcedure, router } from '../trpc/procedures.js';
import * as holds from './holds.js';
import {
  ZBalance,
  ZBalanceInput,
  ZCaptureInput,
  ZConsumeInput,
  ZGrantInput,
  ZListTransactionsInput,
  ZRefundInput,
  ZReleaseInput,
  ZReservation,
  ZReserveInput,
  ZTransaction,
  ZTransactionPage,
} from './schema.js';
import * as credits from './service.js';

// Mounted twice: here and as organizations.credits / organizations.transactions, the contract's
// Strongly-shaped entry points.
export const balanceProcedure = orgProcedure('credits:read')
  .input(ZBalanceInput)
  .output(ZBalance)
  .query(({ ctx, input }) => credits.balance(ctx, input.organizationId));
export const transactionsProcedure = orgProcedure('credits:read')
  .input(ZListTransactionsInput)
  .output(ZTransactionPage)
  .query(({ ctx, input }) => credits.listTransactions(ctx, input));

// refund, capture and release find the organization through the id they are given (ownedProcedure):
// credits:refund (platform credentials only) or credits:consume there, NOT_FOUND for another
// organization's id.
export const creditsRouter = router({
  balance: balanceProcedure,
  transactions: transactionsProcedure,
  grant: orgProcedure('credits:grant')
    .input(ZGrantInput)
    .output(ZTransaction)
    .mutation(({ ctx, input }) => credits.grant(ctx, input)),
  consume: orgProcedure('credits:consume')
    .input(ZConsumeInput)
    .output(ZTransaction)
    .mutation(({ ctx, input }) => credits.consume(ctx, input)),
  refund: ownedProcedure('transactionId', 'credits:refund')
    .input(ZRefundInput)
    .output(ZTransaction)
    .mutation(({ ctx, input }) => credits.refund(ctx, ctx.organizationId, input)),
  reserve: orgProcedure('credits:consume')
    .input(ZReserveInput)
    .output(ZReservation)
    .mutation(({ ctx, input }) => holds.reserve(ctx, input)),
  capture: ownedProcedure('reservationId', 'credits:consume')
    .input(ZCaptureInput)
    .output(ZTransaction)
    .mutation(({ ctx, input }) => holds.capture(ctx, ctx.organizationId, input)),
  release: ownedProcedure('reservationId', 'credits:consume')
    .input(ZReleaseInput)
    .output(ZReservation)
    .mutation(({ ctx, input }) => holds.release(ctx, ctx.organizationId, input.reservationId)),
});
