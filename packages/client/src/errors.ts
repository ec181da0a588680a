import { TRPCClientError } from '@trpc/client';
import type { inferRouterError } from '@trpc/server';
import type { AppRouter } from './router.js';

/** What every Gatehouse error carries in `data`: the tRPC code, the HTTP status and a machine-readable `reason`. */
export type GatehouseErrorData = inferRouterError<AppRouter>['data'];
/** Every `data.reason` the server sends: `LAST_OWNER`, `INSUFFICIENT_CREDITS`, `UNAUTHORIZED`, … */
export type GatehouseErrorReason = GatehouseErrorData['reason'];

/** A `TRPCClientError` that came from the server, narrowed to one reason (or any). */
export interface GatehouseError<R extends GatehouseErrorReason = GatehouseErrorReason>
  extends TRPCClientError<AppRouter> {
  readonly data: GatehouseErrorData & { reason: R };
}

/**
 * Narrows an unknown error to one the server answered with, optionally of one reason:
 * `if (isGatehouseError(e, 'LAST_OWNER')) e.data.reason // 'LAST_OWNER'`. A network failure or a
 * timeout is a `TRPCClientError` without `data`, so it is not one.
 */
export function isGatehouseError<R extends GatehouseErrorReason = GatehouseErrorReason>(
  error: unknown,
  reason?: R,
): error is GatehouseError<R> {
  if (!(error instanceof TRPCClientError) || !error.data) return false;
  return reason === undefined || error.data.reason === reason;
}
