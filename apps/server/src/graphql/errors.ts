import { AppError } from '@gatehouse/api';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { GraphQLError } from 'graphql';
import { z } from 'zod';

/** The procedure inputs' field names as the seed-004 operations call them. */
const ARGUMENT_NAMES: Record<string, string> = { userId: 'uid', role: 'accountType' };

/** What the log needs to tie an unexpected failure to its request. */
export interface ErrorLog {
  requestId: string;
  error(details: { requestId: string; path: string; err: unknown }, message: string): void;
}

function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const keys =
      issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path as PropertyKey[]];
    for (const path of keys) {
      const key = path.map((p) => ARGUMENT_NAMES[String(p)] ?? String(p)).join('.') || '_';
      out[key] = [...(out[key] ?? []), issue.code === 'unrecognized_keys' ? 'Unknown field' : issue.message];
    }
  }
  return out;
}

/**
 * A refusal from a tRPC procedure as a GraphQL error carrying what /trpc would have said: the same
 * `code` and `reason` (and `details`, `fieldErrors`) in `extensions`, and the same HTTP status through
 * graphql-yoga's `extensions.http` (a throttled call also gets its Retry-After). Anything unexpected
 * is logged with the request id and answered with a generic message, as /trpc does.
 */
export function toGraphQLError(error: unknown, path: string, log: ErrorLog): GraphQLError {
  if (error instanceof GraphQLError) return error;
  const trpc =
    error instanceof TRPCError
      ? error
      : error instanceof AppError // thrown here, not by a procedure
        ? new TRPCError({ code: error.code, message: error.message, cause: error })
        : new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: error });
  const status = getHTTPStatusCodeFromError(trpc);
  if (trpc.code === 'INTERNAL_SERVER_ERROR') {
    log.error({ requestId: log.requestId, path, err: trpc.cause ?? trpc }, 'unhandled error');
    return new GraphQLError('Internal server error', {
      extensions: { code: trpc.code, reason: trpc.code, http: { status } },
    });
  }
  const cause = trpc.cause;
  const details = cause instanceof AppError ? cause.details : undefined;
  const retryAfter = details?.retryAfterSeconds;
  return new GraphQLError(trpc.message, {
    extensions: {
      code: trpc.code,
      reason: cause instanceof AppError ? cause.reason : trpc.code,
      ...(details ? { details } : {}),
      ...(cause instanceof z.ZodError ? { fieldErrors: fieldErrors(cause) } : {}),
      http: { status, ...(typeof retryAfter === 'number' ? { headers: { 'retry-after': String(retryAfter) } } : {}) },
    },
  });
}
