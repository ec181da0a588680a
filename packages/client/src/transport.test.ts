// The client's own behaviour, against a scripted fetch: retries, timeout, the onRequest hook, typed
// errors and how the facade maps positional ids. (Against a real server: apps/server/test.)
import { TRPCClientError } from '@trpc/client';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createGatehouseClient, type GatehouseClientOptions, isGatehouseError } from './index.js';

type Reply = { status: number; body: unknown; headers?: Record<string, string> };
const ok = (data: unknown): Reply => ({ status: 200, body: [{ result: { data: { json: data } } }] });
const failure = (httpStatus: number, code: string, reason: string, headers?: Record<string, string>): Reply => ({
  status: httpStatus,
  body: [{ error: { json: { message: reason, code: -32000, data: { code, httpStatus, reason } } } }],
  ...(headers ? { headers } : {}),
});

/** A client whose fetch answers from `replies` in order and records every request. */
function scripted(replies: Reply[], options: Partial<GatehouseClientOptions> = {}) {
  const requests: { url: string; init: RequestInit; headers: Headers }[] = [];
  const gh = createGatehouseClient({
    url: 'http://gatehouse.test',
    apiKey: 'gh_test',
    retry: { baseDelayMs: 1 },
    ...options,
    fetch: async (url, init = {}) => {
      requests.push({ url, init, headers: new Headers(init.headers) });
      const reply = replies.shift();
      if (!reply) throw new Error('no more replies');
      return new Response(JSON.stringify(reply.body), {
        status: reply.status,
        headers: { 'content-type': 'application/json', ...reply.headers },
      });
    },
  });
  return { gh, requests };
}

/** How a call was refused: the server's `code:reason`, or what else it threw (a failing test then says what). */
async function refusal(call: Promise<unknown>): Promise<string> {
  const error = await call.then(
    () => 'no error',
    (e: unknown) => e,
  );
  return isGatehouseError(error) ? `${error.data.code}:${error.data.reason}` : String(error);
}

const me = {
  userId: 'usr_1',
  email: 'a@example.com',
  name: 'A',
  roles: ['owner'],
  organization: null,
  principal: 'user',
};

describe('retries', () => {
  it('repeats a query refused with 429, after the Retry-After the server sent', async () => {
    const { gh, requests } = scripted([
      failure(429, 'TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS', { 'retry-after': '0' }),
      ok(me),
    ]);
    expect(await gh.auth.whoami()).toEqual(me);
    expect(requests).toHaveLength(2);
  });

  it('repeats a mutation that carries an idempotency key, on 503 with backoff', async () => {
    const { gh, requests } = scripted([
      failure(503, 'SERVICE_UNAVAILABLE', 'DATABASE_UNAVAILABLE'),
      failure(503, 'SERVICE_UNAVAILABLE', 'DATABASE_UNAVAILABLE'),
      ok({ id: 'txn_1' }),
    ]);
    await gh.credits.consume('org_1', { amount: 1, reason: 'job', idempotencyKey: 'job-1' });
    expect(requests).toHaveLength(3);
  });

  it('never repeats a mutation without an idempotency key', async () => {
    const { gh, requests } = scripted([failure(503, 'SERVICE_UNAVAILABLE', 'DATABASE_UNAVAILABLE'), ok({})]);
    const error = await gh.organizations.invite('org_1', { email: 'b@example.com' }).catch((e: unknown) => e);
    expect(isGatehouseError(error, 'DATABASE_UNAVAILABLE')).toBe(true);
    expect(requests).toHaveLength(1);
  });

  it('gives up at once when Retry-After is longer than maxDelayMs, and after `retries` attempts', async () => {
    const long = scripted([failure(429, 'TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS', { 'retry-after': '900' })]);
    expect(isGatehouseError(await long.gh.auth.whoami().catch((e: unknown) => e), 'TOO_MANY_REQUESTS')).toBe(true);
    expect(long.requests).toHaveLength(1);

    const busy = () => failure(503, 'SERVICE_UNAVAILABLE', 'DATABASE_UNAVAILABLE');
    const few = scripted([busy(), busy(), busy()], { retry: { retries: 2, baseDelayMs: 1 } });
    // The last answer, not a request past the script ("no more replies").
    expect(await refusal(few.gh.auth.whoami())).toBe('SERVICE_UNAVAILABLE:DATABASE_UNAVAILABLE');
    expect(few.requests).toHaveLength(3);
  });

  it('does not repeat other errors, or anything with retry: false', async () => {
    const notFound = scripted([failure(404, 'NOT_FOUND', 'NOT_FOUND')]);
    expect(await refusal(notFound.gh.users.retrieve('usr_x'))).toBe('NOT_FOUND:NOT_FOUND');
    expect(notFound.requests).toHaveLength(1);
    const off = scripted([failure(503, 'SERVICE_UNAVAILABLE', 'DATABASE_UNAVAILABLE')], { retry: false });
    expect(await refusal(off.gh.auth.whoami())).toBe('SERVICE_UNAVAILABLE:DATABASE_UNAVAILABLE');
    expect(off.requests).toHaveLength(1);
  });
});

describe('timeout and onRequest', () => {
  it('aborts a request that takes longer than timeoutMs', async () => {
    const gh = createGatehouseClient({
      url: 'http://gatehouse.test',
      timeoutMs: 20,
      fetch: (_url, init) =>
        new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))),
    });
    const error = await gh.auth.whoami().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<never>).cause?.name).toBe('TimeoutError');
    expect(isGatehouseError(error)).toBe(false);
  });

  it('calls onRequest before each request (headers it sets are sent) and its callback after', async () => {
    const seen: unknown[] = [];
    const { gh, requests } = scripted([ok(me)], {
      organizationId: 'org_1',
      onRequest: (request) => {
        request.headers.set('traceparent', '00-abc-def-01');
        seen.push({ method: request.method, procedures: request.procedures });
        return (response) => seen.push({ status: response.status, timed: response.durationMs >= 0 });
      },
    });
    await gh.auth.whoami();
    expect(seen).toEqual([
      { method: 'GET', procedures: ['auth.whoami'] },
      { status: 200, timed: true },
    ]);
    const headers = requests[0]?.headers;
    expect(headers?.get('traceparent')).toBe('00-abc-def-01');
    expect(headers?.get('authorization')).toBe('Bearer gh_test');
    expect(headers?.get('x-gatehouse-organization')).toBe('org_1');
  });
});

describe('facade', () => {
  it('sends the positional ids inside the input, over the options', async () => {
    const { gh, requests } = scripted([ok({ id: 'inv_1' })]);
    await gh.organizations.invite('org_1', { email: 'b@example.com', role: 'member' });
    expect(JSON.parse(String(requests[0]?.init.body))).toEqual({
      0: { json: { email: 'b@example.com', role: 'member', organizationId: 'org_1' } },
    });
  });

  it('narrows errors by reason', async () => {
    const { gh } = scripted([failure(409, 'CONFLICT', 'LAST_OWNER')]);
    const error = await gh.organizations.removeMember('org_1', 'usr_1').catch((e: unknown) => e);
    expect(isGatehouseError(error, 'NOT_FOUND')).toBe(false);
    if (!isGatehouseError(error, 'LAST_OWNER')) throw new Error('expected LAST_OWNER');
    expectTypeOf(error.data.reason).toEqualTypeOf<'LAST_OWNER'>();
    expect(error.data).toMatchObject({ code: 'CONFLICT', httpStatus: 409, reason: 'LAST_OWNER' });
    // @ts-expect-error: not a reason the server sends
    isGatehouseError(error, 'LAST_OWNERS');
  });
});
