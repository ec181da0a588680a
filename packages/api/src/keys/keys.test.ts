// keys.verify (issue 27): an answer for any key, the verifier's own organization only (platform: any),
// and the key's limits spent by `cost` as a call with the key would.
import { describe, expect, it } from 'vitest';
import {
  callerAs,
  memberWithKey,
  ownerWithKey,
  platformAdminWithKey,
  refusalOf,
  startTestRuntime,
  useTestRuntime,
} from '../testing/fixtures.js';

const env = useTestRuntime();

describe('keys.verify', () => {
  it('answers VALID with the key, its owner and permissions; a query decides', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const viewer = await memberWithKey(env.db.orm, owner.organizationId, 'viewer');
    const got = await callerAs(env.runtime, owner.key).keys.verify({
      key: viewer.key,
      permissions: 'projects:read and members:read',
    });
    expect(got).toMatchObject({
      valid: true,
      code: 'VALID',
      keyId: viewer.keyId,
      organizationId: owner.organizationId,
      ownerId: viewer.userId,
    });
    expect(got.permissions).toContain('projects:read');
    const denied = await callerAs(env.runtime, owner.key).keys.verify({
      key: viewer.key,
      permissions: ['members:remove'],
    });
    expect(denied).toMatchObject({ valid: false, code: 'INSUFFICIENT_PERMISSIONS', keyId: viewer.keyId });
  });

  it("is NOT_FOUND for another tenant's key (even revoked), but not for platform credentials", async () => {
    const owner = await ownerWithKey(env.db.orm);
    const other = await ownerWithKey(env.db.orm);
    expect(await callerAs(env.runtime, owner.key).keys.verify({ key: other.key })).toEqual({
      valid: false,
      code: 'NOT_FOUND',
    });
    expect(await callerAs(env.runtime, owner.key).keys.verify({ key: 'gh_nothere_x' })).toEqual({
      valid: false,
      code: 'NOT_FOUND',
    });
    const op = await platformAdminWithKey(env.db.orm);
    expect(await callerAs(env.runtime, op.platformKey).keys.verify({ key: other.key })).toMatchObject({
      valid: true,
      code: 'VALID',
    });
    await callerAs(env.runtime, other.key).auth.revokeKey({ keyId: other.keyId });
    expect(await callerAs(env.runtime, owner.key).keys.verify({ key: other.key })).toEqual({
      valid: false,
      code: 'NOT_FOUND',
    });
    expect(await callerAs(env.runtime, op.platformKey).keys.verify({ key: other.key })).toMatchObject({
      valid: false,
      code: 'REVOKED',
    });
  });

  it('refuses a member (no apiKeys:verify), a bad query, a bad cost', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const member = await memberWithKey(env.db.orm, owner.organizationId, 'member');
    expect(await refusalOf(callerAs(env.runtime, member.key).keys.verify({ key: owner.key }))).toBe(
      'FORBIDDEN:FORBIDDEN',
    );
    expect(
      await refusalOf(callerAs(env.runtime, owner.key).keys.verify({ key: member.key, permissions: 'a:b and' })),
    ).toBe('BAD_REQUEST:BAD_REQUEST');
    expect(await refusalOf(callerAs(env.runtime, owner.key).keys.verify({ key: member.key, cost: 0 }))).toBe(
      'BAD_REQUEST:BAD_REQUEST',
    );
    expect(await refusalOf(callerAs(env.runtime, owner.key).keys.verify({ key: member.key, cost: 1001 }))).toBe(
      'BAD_REQUEST:BAD_REQUEST',
    );
  });

  it('spends remaining by cost; parallel verifications never over-spend, losers get USAGE_EXCEEDED', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const metered = await callerAs(env.runtime, owner.key).auth.createKey({ name: 'metered', remaining: 10 });
    let open!: () => void;
    const barrier = new Promise<void>((resolve) => {
      open = resolve;
    });
    const calls = Array.from({ length: 8 }, async () => {
      await barrier;
      return (await callerAs(env.runtime, owner.key).keys.verify({ key: metered.key, cost: 3 })).code;
    });
    open();
    const codes = (await Promise.all(calls)).sort();
    expect(codes.filter((c) => c === 'VALID')).toHaveLength(3);
    expect(codes.filter((c) => c === 'USAGE_EXCEEDED')).toHaveLength(5);
    const [row] = await env.db.orm.em
      .fork()
      .execute<{ remaining: number }[]>('select remaining::int from api_keys where id = ?', [metered.id]);
    expect(row?.remaining).toBeGreaterThanOrEqual(0);
  });

  it('refuses a key whose prefix does not follow from its secret without a lookup, but keys made before still work', async () => {
    const owner = await ownerWithKey(env.db.orm);
    // A key made by an earlier version: a random prefix (the row is legacy by default), known at start.
    const [, , ownerSecret] = owner.key.split('_');
    const legacy = { keyPrefix: 'gh_legacy01', key: '' };
    legacy.key = `${legacy.keyPrefix}_${ownerSecret}`;
    await env.db.orm.em.fork().execute(
      `insert into api_keys (id, key_prefix, secret_hash, name, user_id, organization_id, metadata, created_at, updated_at)
         select 'key_legacy0000000000000000001', ?, secret_hash, 'legacy', user_id, organization_id, '{}', now(), now()
           from api_keys where id = ?`,
      [legacy.keyPrefix, owner.keyId],
    );
    const later = await startTestRuntime(env.db);
    try {
      const verify = (runtime: typeof later, key: string) => callerAs(runtime, owner.key).keys.verify({ key });
      expect((await verify(later, legacy.key)).code).toBe('VALID');
      // The running process read its legacy prefixes before that row existed: to it, the prefix is made up.
      expect((await verify(env.runtime, legacy.key)).code).toBe('NOT_FOUND');
      // New keys' prefixes follow from their secrets; the same secret under another prefix is not a key.
      expect((await verify(later, `gh_zzzzzzzz_${ownerSecret}`)).code).toBe('NOT_FOUND');
    } finally {
      await later.stop();
    }
  });
});
