import { ApiKey, Membership } from '@gatehouse/db';
import { createTestDatabase, type TestDatabase } from '@gatehouse/db/testing';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../runtime.js';
import { bearer, callerFor, ownerWithKey, setUserStatus, startTestRuntime } from '../testing/fixtures.js';

let db: TestDatabase;
let runtime: Runtime;
beforeAll(async () => {
  db = await createTestDatabase();
  // No cache: these tests change rows behind the services' back.
  runtime = await startTestRuntime(db, { principalTtlMs: 0 });
});
afterAll(async () => {
  await runtime.stop();
  await db.drop();
});

async function rejection(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

describe('auth.whoami', () => {
  it('returns the caller, their role and the key for a Bearer API key', async () => {
    const owner = await ownerWithKey(db.orm, 'Acme');
    const me = await callerFor(runtime, bearer(owner.key)).auth.whoami();
    expect(me).toEqual({
      userId: owner.userId,
      email: expect.stringMatching(/@example\.com$/),
      name: expect.any(String),
      roles: ['owner'],
      organization: { id: owner.organizationId, name: 'Acme' },
      apiKey: { id: owner.keyId, keyPrefix: owner.key.slice(0, 11), scopes: null },
      principal: 'user',
    });
  });

  it('accepts the X-API-KEY / X-API-SECRET pair', async () => {
    const owner = await ownerWithKey(db.orm);
    const [prefix, secret] = [owner.key.slice(0, 11), owner.key.slice(12)];
    const me = await callerFor(runtime, { 'x-api-key': prefix, 'x-api-secret': secret }).auth.whoami();
    expect(me.userId).toBe(owner.userId);
  });

  it.each([
    ['no credential', {}],
    ['a malformed key', bearer('not-a-key')],
    ['an unknown prefix', bearer(`gh_zzzzzzzz_${'a'.repeat(43)}`)],
    ['a non-bearer scheme', { authorization: 'Basic abc' }],
  ])('rejects %s with UNAUTHORIZED', async (_, headers) => {
    const error = await rejection(callerFor(runtime, headers).auth.whoami());
    expect(error.code).toBe('UNAUTHORIZED');
  });

  it('rejects a wrong secret for a real prefix exactly like an unknown key', async () => {
    const owner = await ownerWithKey(db.orm);
    const wrong = `${owner.key.slice(0, 12)}${'b'.repeat(43)}`;
    const error = await rejection(callerFor(runtime, bearer(wrong)).auth.whoami());
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.message).toBe('Invalid API key');
  });

  it('rejects a revoked key, an expired key, an inactive owner and a departed member', async () => {
    const revoked = await ownerWithKey(db.orm);
    await db.orm.em.fork().nativeUpdate(ApiKey, { id: revoked.keyId }, { revokedAt: new Date() });
    const expired = await ownerWithKey(db.orm);
    await db.orm.em.fork().nativeUpdate(ApiKey, { id: expired.keyId }, { expiresAt: new Date(Date.now() - 1000) });
    const deactivated = await ownerWithKey(db.orm);
    await setUserStatus(db.orm, deactivated.userId, 'deactivated');
    const departed = await ownerWithKey(db.orm);
    await db.orm.em.fork().nativeDelete(Membership, { userId: departed.userId });

    for (const { key } of [revoked, expired, deactivated, departed]) {
      const error = await rejection(callerFor(runtime, bearer(key)).auth.whoami());
      expect(error.code).toBe('UNAUTHORIZED');
    }
  });
});
