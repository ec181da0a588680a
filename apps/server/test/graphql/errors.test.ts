import { AppError } from '@gatehouse/api';
import { TRPCError } from '@trpc/server';
import { describe, expect, it, vi } from 'vitest';
import { toGraphQLError } from '../../src/graphql/errors.js';

describe('toGraphQLError', () => {
  it('logs an unexpected failure with the request id and answers a generic message', () => {
    const log = { requestId: 'req-1', error: vi.fn() };
    const secret = new Error('relation "users" does not exist at character 42');
    const error = toGraphQLError(new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: secret }), 'listUsers', log);
    expect(error.message).toBe('Internal server error');
    expect(error.extensions).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
      reason: 'INTERNAL_SERVER_ERROR',
      http: { status: 500 },
    });
    expect(log.error).toHaveBeenCalledWith({ requestId: 'req-1', path: 'listUsers', err: secret }, 'unhandled error');
    expect(toGraphQLError(secret, 'listUsers', log).message).toBe('Internal server error');
  });

  it('keeps an AppError’s reason and details, and a throttle’s Retry-After', () => {
    const log = { requestId: 'req-2', error: vi.fn() };
    const throttled = new AppError('TOO_MANY_REQUESTS', 'Slow down', { retryAfterSeconds: 7 });
    const error = toGraphQLError(
      new TRPCError({ code: 'TOO_MANY_REQUESTS', message: 'Slow down', cause: throttled }),
      'x',
      log,
    );
    expect(error.extensions).toEqual({
      code: 'TOO_MANY_REQUESTS',
      reason: 'TOO_MANY_REQUESTS',
      details: { retryAfterSeconds: 7 },
      http: { status: 429, headers: { 'retry-after': '7' } },
    });
    expect(toGraphQLError(new AppError('OUTRANKED', 'No'), 'x', log).extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'OUTRANKED',
      http: { status: 403 },
    });
    expect(log.error).not.toHaveBeenCalled();
  });
});
