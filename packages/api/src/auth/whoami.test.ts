import { ApiKey, Membership } from '@gatehouse/db';
import { describe, expect, it } from 'vitest';
import { throttleLimits } from '../limits/guards.js';
import { bearer, callerFor, ownerWithKey, rejectionOf, setUserStatus, useTestRuntime } from '../testing/fixtures.js';

const env = useTestRuntime({ principalTtlMs: 0 });

describe('auth.whoami', () => {
  it('returns the caller, their role and the key for a Bearer API key', async () => {
    const owner = await ownerWithKey(env.db.orm, 'Acme');
    const me = await callerFor(env.runtime, bearer(owner.key)).auth.whoami();
    expect(me).toEqual({
      userId: owner.userId,
      email: expect.stringMatching(/@example\.com$/),
      name: expect.any(String),
      roles: ['owner'],
      organization: { id: owner.organizationId, name: 'Acme' },
      apiKey: { id: owner.keyId, keyPrefix: owner.key.slice(0, 11), scopes: null },
      principal: 'user',
      // A key bound to an organization carries no platform authority, even a platform admin's.
      platform: false,
    });
  });

  it('accepts the X-API-KEY / X-API-SECRET pair', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const [prefix, secret] = [owner.key.slice(0, 11), owner.key.slice(12)];
    const me = await callerFor(env.runtime, { 'x-api-key': prefix, 'x-api-secret': secret }).auth.whoami();
    expect(me.userId).toBe(owner.userId);
  });

  it.each([
    ['no credential', {}],
    ['a malformed key', bearer('not-a-key')],
    ['an unknown prefix', bearer(`gh_zzzzzzzz_${'a'.repeat(43)}`)],
    ['a non-bearer scheme', { authorization: 'Basic abc' }],
  ])('rejects %s with UNAUTHORIZED', async (_, headers) => {
    const error = await rejectionOf(callerFor(env.runtime, headers).auth.whoami());
    expect(error.code).toBe('UNAUTHORIZED');
  });

  it('rejects a wrong secret for a real prefix exactly like an unknown key', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const wrong = `${owner.key.slice(0, 12)}${'b'.repeat(43)}`;
    const error = await rejectionOf(callerFor(env.runtime, bearer(wrong)).auth.whoami());
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.message).toBe('Invalid API key');
  });

  it('rejects a revoked key, an expired key, an inactive owner and a departed member', async () => {
    const revoked = await ownerWithKey(env.db.orm);
    await env.db.orm.em.fork().nativeUpdate(ApiKey, { id: revoked.keyId }, { revokedAt: new Date() });
    const expired = await ownerWithKey(env.db.orm);
    await env.db.orm.em.fork().nativeUpdate(ApiKey, { id: expired.keyId }, { expiresAt: new Date(Date.now() - 1000) });
    const deactivated = await ownerWithKey(env.db.orm);
    await setUserStatus(env.db.orm, deactivated.userId, 'deactivated');
    const departed = await ownerWithKey(env.db.orm);
    await env.db.orm.em.fork().nativeDelete(Membership, { userId: departed.userId });

    for (const { key } of [revoked, expired, deactivated, departed]) {
      const error = await rejectionOf(callerFor(env.runtime, bearer(key)).auth.whoami());
      expect(error.code).toBe('UNAUTHORIZED');
    }
  });
});

describe('credential guessing', () => {
  it('is refused from a source after too many failures, without refusing a valid key from anywhere', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const guess = () => callerFor(env.runtime, bearer(`gh_zzzzzzzz_${'c'.repeat(43)}`), '10.66.0.1').auth.whoami();
    for (let i = 0; i < throttleLimits.credentialFailures.max; i++)
      expect((await rejectionOf(guess())).code).toBe('UNAUTHORIZED');
    const refused = await rejectionOf(guess());
    expect(refused.code).toBe('TOO_MANY_REQUESTS');
    expect((refused.cause as { details?: unknown }).details).toMatchObject({ retryAfterSeconds: expect.any(Number) });
    expect((await callerFor(env.runtime, bearer(owner.key), '10.66.0.2').auth.whoami()).userId).toBe(owner.userId);
    // The same address, still over its failure limit: the valid key is checked first and works.
    expect((await callerFor(env.runtime, bearer(owner.key), '10.66.0.1').auth.whoami()).userId).toBe(owner.userId);
  });
});
