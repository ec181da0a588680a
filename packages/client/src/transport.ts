import { TRPCClientError, type TRPCLink } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import { observable } from '@trpc/server/observable';

/** One HTTP request as the `onRequest` hook sees it; set headers (a trace id) on `headers`. */
export interface GatehouseRequest {
  url: string;
  method: string;
  /** The procedures in this request, e.g. `['organizations.members']` (several when batched). */
  procedures: string[];
  headers: Headers;
}

/** How a request ended: `status` is null when no response came (network error, timeout). */
export interface GatehouseResponse {
  status: number | null;
  durationMs: number;
  error?: unknown;
}

/** Called before every HTTP request (retries included); may return a function called when it ends. */
export type OnRequest = (
  request: GatehouseRequest,
) => undefined | ((response: GatehouseResponse) => void) | Promise<undefined | ((response: GatehouseResponse) => void)>;

export interface RetryOptions {
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  /** The first backoff; each retry doubles it, with full jitter. Default 250 ms. */
  baseDelayMs?: number;
  /** The longest wait: a `Retry-After` beyond it is not waited for, the error is thrown. Default 10 s. */
  maxDelayMs?: number;
}

type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

/**
 * The fetch under tRPC's link: a per-request timeout (joined with the caller's abort signal) and the
 * `onRequest` hook. Only standard APIs, so it runs in Node and in browsers alike.
 */
export function instrumentedFetch(base: Fetch, timeoutMs: number, onRequest: OnRequest | undefined): Fetch {
  return async (url, init = {}) => {
    const headers = new Headers(init.headers);
    const signals = [init.signal, timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : null].filter((s) => s != null);
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    const done = await onRequest?.({
      url,
      method: init.method ?? 'GET',
      procedures: decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '').split(','),
      headers,
    });
    const started = performance.now();
    try {
      const response = await base(url, { ...init, headers, ...(signal ? { signal } : {}) });
      done?.({ status: response.status, durationMs: performance.now() - started });
      return response;
    } catch (error) {
      done?.({ status: null, durationMs: performance.now() - started, error });
      throw error;
    }
  };
}

const RETRIABLE_STATUS = new Set([429, 503]);

function statusOf(error: TRPCClientError<AnyRouter>): number | undefined {
  const data = error.data as { httpStatus?: number } | undefined;
  return data?.httpStatus ?? (error.meta?.response as Response | undefined)?.status;
}

/** The server's Retry-After (header, else `data.details.retryAfterSeconds`) in ms, if it gave one. */
function retryAfterMs(error: TRPCClientError<AnyRouter>): number | undefined {
  const header = (error.meta?.response as Response | undefined)?.headers.get('retry-after');
  if (header) {
    const seconds = Number(header);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(header);
    if (Number.isFinite(date)) return Math.max(0, date - Date.now());
  }
  const details = (error.data as { details?: { retryAfterSeconds?: unknown } } | undefined)?.details;
  return typeof details?.retryAfterSeconds === 'number' ? details.retryAfterSeconds * 1000 : undefined;
}

/** A call that may run twice: a query, or a mutation the server deduplicates by its idempotency key. */
function isIdempotent(op: { type: string; input: unknown }): boolean {
  if (op.type === 'query') return true;
  const input = op.input as { idempotencyKey?: unknown } | null | undefined;
  return typeof input?.idempotencyKey === 'string';
}

/**
 * Retries a call the server refused with 429 or 503, when it is safe to repeat (see isIdempotent):
 * after `Retry-After` when the server sent one, else exponential backoff with full jitter.
 */
export function retryLink<TRouter extends AnyRouter>(options: RetryOptions): TRPCLink<TRouter> {
  const { retries = 3, baseDelayMs = 250, maxDelayMs = 10_000 } = options;
  const delayFor = (error: unknown, attempt: number, op: { type: string; input: unknown }): number | null => {
    if (attempt >= retries || !(error instanceof TRPCClientError) || !isIdempotent(op)) return null;
    if (!RETRIABLE_STATUS.has(statusOf(error) ?? 0)) return null;
    const after = retryAfterMs(error);
    if (after !== undefined) return after <= maxDelayMs ? after + Math.random() * baseDelayMs : null;
    return Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
  };
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        let attempt = 0;
        let timer: ReturnType<typeof setTimeout> | undefined;
        let current: { unsubscribe(): void } | undefined;
        const run = () => {
          current = next(op).subscribe({
            next: (value) => observer.next(value),
            complete: () => observer.complete(),
            error: (error) => {
              const delay = op.signal?.aborted ? null : delayFor(error, attempt, op);
              if (delay === null) return observer.error(error);
              attempt++;
              timer = setTimeout(run, delay);
            },
          });
        };
        run();
        return () => {
          clearTimeout(timer);
          current?.unsubscribe();
        };
      });
}
