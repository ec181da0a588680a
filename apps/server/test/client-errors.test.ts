// The typed client's errors, answered by the real server: one class per kind, each with code,
// reason, httpStatus and requestId; a network failure names the URL.
import { bearer, callerFor, memberWithKey, ownerWithKey, useTestRuntime } from '@gatehouse/api/testing';
import {
  AuthenticationError,
  ConflictError,
  ConnectionError,
  createGatehouseClient,
  GatehouseError,
  isGatehouseError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ValidationError,
} from '@gatehouse/client';
import { describe, expect, it } from 'vitest';
import { appFor } from './app.js';
import { freePort } from './processes.js';

const env = useTestRuntime();

function client(apiKey?: string, headers: Record<string, string> = {}) {
  const app = appFor(env.runtime);
  return createGatehouseClient({
    url: 'http://gatehouse.test',
    apiKey,
    headers,
    retry: false,
    fetch: (input, init) => Promise.resolve(app.fetch(new Request(input, init))),
  });
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('the call succeeded');
    },
    (e: unknown) => e as GatehouseError,
  );

describe('errors of the typed client', () => {
  it('AuthenticationError for an unknown key, with the request id the server answered with', async () => {
    const error = await failure(client('gh_notakey_x', { 'x-request-id': 'trace-42' }).auth.whoami());
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toBeInstanceOf(GatehouseError);
    expect(error.name).toBe('AuthenticationError');
    expect(error).toMatchObject({
      name: 'AuthenticationError',
      kind: 'authentication',
      code: 'UNAUTHORIZED',
      reason: 'UNAUTHORIZED',
      httpStatus: 401,
      requestId: 'trace-42',
    });
  });

  it('PermissionError with the reason, NotFoundError for another tenant, ConflictError', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const member = await memberWithKey(env.db.orm, owner.organizationId, 'member');
    const stranger = await ownerWithKey(env.db.orm);

    const forbidden = await failure(
      client(member.key).organizations.invite(owner.organizationId, { email: 'x@example.com', role: 'admin' }),
    );
    expect(forbidden).toBeInstanceOf(PermissionError);
    expect(forbidden).toMatchObject({ code: 'FORBIDDEN', httpStatus: 403, reason: 'FORBIDDEN' });
    expect(forbidden.requestId).toMatch(/^[\w-]{8,}$/);

    const hidden = await failure(client(stranger.key).organizations.retrieve(owner.organizationId));
    expect(hidden).toBeInstanceOf(NotFoundError);
    expect(hidden).toMatchObject({ code: 'NOT_FOUND', reason: 'NOT_FOUND', httpStatus: 404 });

    const lastOwner = await failure(client(owner.key).organizations.removeMember(owner.organizationId, owner.userId));
    expect(lastOwner).toBeInstanceOf(ConflictError);
    expect(lastOwner).toMatchObject({ code: 'CONFLICT', reason: 'LAST_OWNER', httpStatus: 409 });
    expect(isGatehouseError(lastOwner, 'LAST_OWNER')).toBe(true);
    expect(isGatehouseError(lastOwner, 'EMAIL_TAKEN')).toBe(false);
  });

  it('ValidationError says which field and why in sentences, not as JSON', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const error = await failure(
      client(owner.key).organizations.invite(owner.organizationId, { email: 'not-an-email' }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    const validation = error as ValidationError;
    expect(validation).toMatchObject({ code: 'BAD_REQUEST', reason: 'BAD_REQUEST', httpStatus: 400 });
    expect(Object.keys(validation.fieldErrors)).toEqual(['email']);
    expect(validation.message).toMatch(/^Invalid input: email: /);
    expect(validation.message).not.toContain('[');
  });

  it('RateLimitError carries retryAfter in seconds', async () => {
    const email = 'limited@example.com';
    await callerFor(env.runtime).auth.signup({ email, password: 'a sturdy passphrase 42', name: 'L' });
    const gh = client();
    const errors: unknown[] = [];
    for (let i = 0; i < 6; i++) errors.push(await failure(gh.auth.login({ email, password: `wrong guess ${i}xxxx` })));
    expect(errors.slice(0, 5).every((e) => e instanceof AuthenticationError)).toBe(true);
    const limited = errors[5] as RateLimitError;
    expect(limited).toBeInstanceOf(RateLimitError);
    expect(limited).toMatchObject({ code: 'TOO_MANY_REQUESTS', reason: 'TOO_MANY_REQUESTS', httpStatus: 429 });
    expect(limited.retryAfter).toBeGreaterThan(0);
  });

  it('ConnectionError names the URL it could not reach; it is no server answer for isGatehouseError', async () => {
    const port = await freePort(); // nothing listens there
    const gh = createGatehouseClient({ url: `http://127.0.0.1:${port}/`, retry: false });
    const error = await failure(gh.auth.whoami());
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toBeInstanceOf(GatehouseError);
    expect(error).toMatchObject({
      kind: 'connection',
      code: 'CONNECTION_FAILED',
      reason: 'CONNECTION_FAILED',
      httpStatus: null,
      requestId: null,
      url: `http://127.0.0.1:${port}/trpc/auth.whoami`,
    });
    expect(error.message).toContain(`http://127.0.0.1:${port}/trpc/auth.whoami`);
    expect(error.message).toContain('ECONNREFUSED');
    expect(isGatehouseError(error)).toBe(false);
  });

  it('a timeout is a ConnectionError with code TIMEOUT', async () => {
    const gh = createGatehouseClient({
      url: 'http://gatehouse.test',
      retry: false,
      timeoutMs: 50,
      // A server that never answers: the request waits on its abort signal alone.
      fetch: (_input, init) =>
        new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))),
    });
    const error = await failure(gh.auth.whoami());
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ code: 'TIMEOUT', reason: 'TIMEOUT' });
  });

  it('the raw tRPC proxy throws the same classes', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const error = await failure(client(owner.key).trpc.organizations.retrieve.query({ organizationId: 'org_nope' }));
    expect(error).toBeInstanceOf(GatehouseError);
    expect(['NotFoundError', 'ValidationError']).toContain(error.name);
    // sanity: the key works
    expect((await callerFor(env.runtime, bearer(owner.key)).auth.whoami()).userId).toBe(owner.userId);
  });
});
