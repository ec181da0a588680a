import { TRPCClientError, type TRPCLink } from '@trpc/client';
import type { AnyRouter, inferRouterError } from '@trpc/server';
import { observable } from '@trpc/server/observable';
import type { AppRouter } from './router.js';

/** What every error the server answered carries in `data`: the tRPC code, the HTTP status and a `reason`. */
export type GatehouseErrorData = inferRouterError<AppRouter>['data'];
/** Every `data.reason` the server sends: `LAST_OWNER`, `INSUFFICIENT_CREDITS`, `UNAUTHORIZED`, … */
export type GatehouseErrorReason = GatehouseErrorData['reason'];
/** The tRPC code of a server's answer, or what went wrong before one came. */
export type GatehouseErrorCode = GatehouseErrorData['code'] | 'CONNECTION_FAILED' | 'TIMEOUT';

/** Which kind of failure, for a `switch` where `instanceof` is awkward (across bundles, in logs). */
export type GatehouseErrorKind =
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'conflict'
  | 'rate_limit'
  | 'validation'
  | 'connection'
  | 'api';

interface Init {
  message: string;
  kind: GatehouseErrorKind;
  code: GatehouseErrorCode;
  reason: string;
  httpStatus: number | null;
  requestId: string | null;
  /** The error tRPC's link produced: its `data`, `shape`, `meta` and `cause` are kept. */
  from: TRPCClientError<AnyRouter>;
}

/**
 * Every failure of a Gatehouse call: `err instanceof GatehouseError`, then a subclass per kind
 * (`AuthenticationError`, `PermissionError`, `NotFoundError`, `ConflictError`, `RateLimitError`,
 * `ValidationError`, `ConnectionError`). Each carries `code` (the tRPC code), `reason` (the server's
 * machine-readable reason), `httpStatus` and `requestId` (the server's `X-Request-Id`, to quote when
 * asking for help); null when no answer came. It is still a `TRPCClientError`, so tRPC's own tools
 * (TanStack Query hooks, `isTRPCClientError`) keep working.
 */
export class GatehouseError<
  R extends string = GatehouseErrorReason | 'CONNECTION_FAILED' | 'TIMEOUT',
> extends TRPCClientError<AppRouter> {
  readonly kind: GatehouseErrorKind;
  readonly code: GatehouseErrorCode;
  readonly reason: R;
  readonly httpStatus: number | null;
  readonly requestId: string | null;

  constructor(init: Init) {
    const { from } = init;
    super(init.message, {
      ...(from.cause ? { cause: from.cause } : {}),
      ...(from.meta ? { meta: from.meta } : {}),
      ...(from.shape ? { result: { error: from.shape } } : {}),
    } as ConstructorParameters<typeof TRPCClientError<AppRouter>>[1]);
    // tRPC's constructor pins the prototype to its own class; subclasses take theirs back.
    Object.setPrototypeOf(this, new.target.prototype);
    this.name = new.target.name;
    this.kind = init.kind;
    this.code = init.code;
    this.reason = init.reason as R;
    this.httpStatus = init.httpStatus;
    this.requestId = init.requestId;
  }
}

/** The credential is missing, unknown, expired, revoked or exhausted (401). */
export class AuthenticationError extends GatehouseError {}
/** The caller may not do this here (403); `reason` says why (`LAST_OWNER`, `OUTRANKED`, …). */
export class PermissionError extends GatehouseError {}
/** No such thing, or not one the caller may know of (404). */
export class NotFoundError extends GatehouseError {}
/** The change conflicts with what is there (409): `EMAIL_TAKEN`, `HAS_DEPENDENCIES`, … */
export class ConflictError extends GatehouseError {}
/** Too many requests (429); `retryAfter` is in seconds, when the server said. */
export class RateLimitError extends GatehouseError {
  readonly retryAfter: number | null;
  constructor(init: Init & { retryAfter: number | null }) {
    super(init);
    this.retryAfter = init.retryAfter;
  }
}
/** The input was refused (400): `fieldErrors` maps each field to readable sentences. */
export class ValidationError extends GatehouseError {
  readonly fieldErrors: Record<string, string[]>;
  constructor(init: Init & { fieldErrors: Record<string, string[]> }) {
    super(init);
    this.fieldErrors = init.fieldErrors;
  }
}
/** No answer came: the server is unreachable, the connection broke, or the request timed out. */
export class ConnectionError extends GatehouseError<'CONNECTION_FAILED' | 'TIMEOUT'> {
  /** The URL the request went to. */
  readonly url: string;
  constructor(init: Init & { url: string }) {
    super(init);
    this.url = init.url;
  }
}

/** "email: Invalid email address" from `{ email: ['Invalid email address'] }`. */
function sentences(fieldErrors: Record<string, string[]>): string[] {
  return Object.entries(fieldErrors).flatMap(([field, messages]) =>
    messages.map((m) => (field === '_' ? m : `${field}: ${m}`)),
  );
}

function headerOf(error: TRPCClientError<AnyRouter>, name: string): string | null {
  const response = error.meta?.response as Response | undefined;
  return response?.headers?.get?.(name) ?? null;
}

function causeChain(error: unknown): string {
  const parts: string[] = [];
  for (let e = error; e instanceof Error && parts.length < 4; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    parts.push(typeof code === 'string' && !e.message.includes(code) ? `${e.message} (${code})` : e.message);
  }
  return parts.join(': ');
}

/** The typed error for what tRPC's link produced (an answer of the server, or none). */
export function toGatehouseError(error: TRPCClientError<AnyRouter>, url: string): GatehouseError {
  if (error instanceof GatehouseError) return error;
  const data = error.data as GatehouseErrorData | undefined;
  const requestId = headerOf(error, 'x-request-id');
  if (!data) {
    const timedOut = /timeout|timed out|aborted/i.test(causeChain(error.cause)) || error.cause?.name === 'TimeoutError';
    const code = timedOut ? 'TIMEOUT' : 'CONNECTION_FAILED';
    const what = timedOut ? 'No answer in time from' : 'Could not reach';
    return new ConnectionError({
      message: `${what} Gatehouse at ${url}: ${causeChain(error.cause ?? error)}`,
      kind: 'connection',
      code,
      reason: code,
      httpStatus: (error.meta?.response as Response | undefined)?.status ?? null,
      requestId,
      from: error,
      url,
    });
  }
  const base = {
    message: error.message,
    code: data.code,
    reason: data.reason,
    httpStatus: data.httpStatus,
    requestId,
    from: error,
  };
  switch (data.code) {
    case 'UNAUTHORIZED':
      return new AuthenticationError({ ...base, kind: 'authentication' });
    case 'FORBIDDEN':
      return new PermissionError({ ...base, kind: 'permission' });
    case 'NOT_FOUND':
      return new NotFoundError({ ...base, kind: 'not_found' });
    case 'CONFLICT':
      return new ConflictError({ ...base, kind: 'conflict' });
    case 'TOO_MANY_REQUESTS': {
      const header = Number(headerOf(error, 'retry-after'));
      const detail = (data as { details?: { retryAfterSeconds?: unknown } }).details?.retryAfterSeconds;
      const retryAfter = Number.isFinite(header) && header > 0 ? header : typeof detail === 'number' ? detail : null;
      return new RateLimitError({ ...base, kind: 'rate_limit', retryAfter });
    }
    case 'BAD_REQUEST': {
      const fieldErrors = (data as { fieldErrors?: Record<string, string[]> }).fieldErrors ?? {};
      const lines = sentences(fieldErrors);
      // tRPC's message for a refused input is the raw issue list as JSON: say it in sentences instead.
      const message = lines.length ? `Invalid input: ${lines.join('; ')}` : error.message;
      return new ValidationError({ ...base, message, kind: 'validation', fieldErrors });
    }
    default:
      return new GatehouseError({ ...base, kind: 'api' });
  }
}

/** The outermost link: every error a call ends with is a typed GatehouseError. */
export function errorLink<TRouter extends AnyRouter>(baseUrl: string): TRPCLink<TRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) =>
        next(op).subscribe({
          next: (value) => observer.next(value),
          complete: () => observer.complete(),
          error: (error) => observer.error(toGatehouseError(error, `${baseUrl}/trpc/${op.path}`) as never),
        }),
      );
}

/**
 * Narrows an unknown error to one the server answered, optionally of one reason:
 * `if (isGatehouseError(e, 'LAST_OWNER')) e.reason // 'LAST_OWNER'`. A `ConnectionError` (no answer
 * came) is a GatehouseError but not one of these: it has no `data`.
 */
export function isGatehouseError<R extends GatehouseErrorReason = GatehouseErrorReason>(
  error: unknown,
  reason?: R,
): error is GatehouseError<R> & { readonly data: GatehouseErrorData & { reason: R } } {
  if (!(error instanceof GatehouseError) || !error.data) return false;
  return reason === undefined || error.reason === reason;
}
