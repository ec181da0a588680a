import { AuditEvent, Membership } from '@gatehouse/db';
import type { TRPCError } from '@trpc/server';
import { describe, expect, it, vi } from 'vitest';
import { announce } from '../infra/transaction.js';
import {
  bearer,
  callerAs,
  callerFor,
  memberWithKey,
  ownerWithKey,
  platformAdminWithKey,
  refusalOf,
  setUserStatus,
  useTestRuntime,
} from '../testing/fixtures.js';

const env = useTestRuntime({ usageFlushMs: 60_000 });

/** Polls until `fn` resolves true, for effects that travel through NOTIFY. */

async function eventually(fn: () => Promise<boolean>, timeoutMs = 2000): Promise<number> {
  const started = Date.now();
  while (!(await fn())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - started;
}

/**
 * Runs `check` with the process's clock at `at` (only Date moves; timers and PostgreSQL keep real time):
 * how a test sees the moment a credential cached in memory passes its end, without waiting for it.
 */
async function atClock(at: number, check: () => Promise<void>): Promise<void> {
  vi.useFakeTimers({ toFake: ['Date'], now: at });
  try {
    await check();
  } finally {
    vi.useRealTimers();
  }
}

const works = (key: string) =>
  callerAs(env.runtime, key)
    .auth.whoami()
    .then(
      () => true,
      () => false,
    );

describe('creating keys', () => {
  it('shows the key once, stores only its hash, and audits the creation', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const created = await callerAs(env.runtime, owner.key).auth.createKey({
      name: 'ci',
      scopes: ['members:read'],
      expiresInDays: 30,
    });
    expect(created.key).toMatch(/^gh_[a-z0-9]{8}_[0-9A-Za-z]{43}$/);
    expect(created.key.startsWith(`${created.keyPrefix}_`)).toBe(true);
    expect(created.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const [row] = await env.db.orm.em.fork().execute('select * from api_keys where id = ?', [created.id]);
    expect(JSON.stringify(row)).not.toContain(created.key.slice(12));
    const listed = await callerAs(env.runtime, owner.key).auth.getKey({ keyId: created.id });
    expect(listed).not.toHaveProperty('key');
    expect(listed).toMatchObject({ status: 'active', scopes: ['members:read'], name: 'ci' });
    const audit = await env.db.orm.em.fork().find(AuditEvent, { targetId: created.id });
    expect(audit.map((a) => a.action)).toEqual(['api_key.created']);
    expect(audit[0]).toMatchObject({ actorType: 'apiKey', actorId: owner.keyId, organizationId: owner.organizationId });
  });

  it('refuses a scope the creator does not hold, and an unknown scope', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const viewer = await memberWithKey(env.db.orm, owner.organizationId, 'viewer');
    expect(
      await refusalOf(callerAs(env.runtime, viewer.key).auth.createKey({ name: 'x', scopes: ['members:invite'] })),
    ).toBe('FORBIDDEN:FORBIDDEN');
    expect(
      await refusalOf(callerAs(env.runtime, viewer.key).auth.createKey({ name: 'x', scopes: ['credits:grant'] })),
    ).toBe('FORBIDDEN:FORBIDDEN');
    expect(await refusalOf(callerAs(env.runtime, owner.key).auth.createKey({ name: 'x', scopes: ['nope:read'] }))).toBe(
      'BAD_REQUEST:BAD_REQUEST',
    );
    // An owner holds no platform-only permission, so cannot hand one out; a platform admin can.
    expect(
      await refusalOf(callerAs(env.runtime, owner.key).auth.createKey({ name: 'x', scopes: ['credits:grant'] })),
    ).toBe('FORBIDDEN:FORBIDDEN');
    const operator = await platformAdminWithKey(env.db.orm);
    expect(
      (await callerAs(env.runtime, operator.key).auth.createKey({ name: 'billing', scopes: ['credits:grant'] })).scopes,
    ).toEqual(['credits:grant']);
  });

  it('never mints a key stronger than the scoped key that asks', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const scoped = await callerAs(env.runtime, owner.key).auth.createKey({ name: 'narrow', scopes: ['members:read'] });
    const child = await callerAs(env.runtime, scoped.key).auth.createKey({ name: 'child' });
    expect(child.scopes).toEqual(['members:read']);
    expect(
      await refusalOf(callerAs(env.runtime, scoped.key).auth.createKey({ name: 'wider', scopes: ['members:invite'] })),
    ).toBe('FORBIDDEN:FORBIDDEN');
  });
});

describe('a key stops working at once', () => {
  it('when revoked, recording who revoked it', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const key = await callerAs(env.runtime, owner.key).auth.createKey({ name: 'doomed' });
    expect(await works(key.key)).toBe(true); // now cached
    const revoked = await callerAs(env.runtime, owner.key).auth.revokeKey({ keyId: key.id });
    expect(revoked).toMatchObject({ status: 'revoked', revokedBy: owner.userId });
    expect(await works(key.key)).toBe(false);
    // Idempotent: revoking again changes nothing.
    expect((await callerAs(env.runtime, owner.key).auth.revokeKey({ keyId: key.id })).revokedAt).toEqual(
      revoked.revokedAt,
    );
  });

  it('when it expires, even while cached', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const key = await callerAs(env.runtime, owner.key).auth.createKey({ name: 'short' });
    // Ten seconds to live: less than the cache keeps a verified key (30 s).
    await env.db.orm.em
      .fork()
      .execute(`update api_keys set expires_at = now() + interval '10 seconds' where id = ?`, [key.id]);
    expect(await works(key.key)).toBe(true); // now cached
    await atClock(Date.now() + 11_000, async () => {
      expect(await works(key.key)).toBe(false);
      expect((await callerAs(env.runtime, owner.key).auth.getKey({ keyId: key.id })).status).toBe('expired');
    });
  });

  it('when its user is deactivated or leaves the organization', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const deactivated = await memberWithKey(env.db.orm, owner.organizationId, 'member');
    const departed = await memberWithKey(env.db.orm, owner.organizationId, 'admin');
    expect(await works(deactivated.key)).toBe(true);
    expect(await works(departed.key)).toBe(true);
    // What users.deactivate and organizations.removeMember do: change the row, announce in the same transaction.
    await setUserStatus(env.db.orm, deactivated.userId, 'deactivated');
    await env.db.orm.em.fork().transactional(async (tx) => {
      await tx.nativeDelete(Membership, { userId: departed.userId });
      await announce(tx, { userId: departed.userId });
    });
    await env.db.orm.em.fork().transactional((tx) => announce(tx, { userId: deactivated.userId }));
    await eventually(async () => !(await works(deactivated.key)) && !(await works(departed.key)));
  });
});

describe('rotating keys', () => {
  it('keeps the old secret for the grace period only', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const key = await callerAs(env.runtime, owner.key).auth.createKey({ name: 'rolling' });
    expect(await works(key.key)).toBe(true);
    const rotated = await callerAs(env.runtime, owner.key).auth.rotateKey({ keyId: key.id, gracePeriodSeconds: 10 });
    expect(rotated.keyPrefix).not.toBe(key.keyPrefix);
    expect(await works(rotated.key)).toBe(true);
    expect(await works(key.key)).toBe(true); // the old secret, cached for its grace
    await atClock(Date.now() + 11_000, async () => {
      expect(await works(key.key)).toBe(false);
      expect(await works(rotated.key)).toBe(true);
    });
    const audit = await env.db.orm.em.fork().find(AuditEvent, { targetId: key.id }, { orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['api_key.created', 'api_key.rotated']);
  });

  it('ends the old secret at once without a grace period', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const key = await callerAs(env.runtime, owner.key).auth.createKey({ name: 'hard' });
    expect(await works(key.key)).toBe(true);
    const rotated = await callerAs(env.runtime, owner.key).auth.rotateKey({ keyId: key.id });
    expect(await works(key.key)).toBe(false);
    expect(await works(rotated.key)).toBe(true);
  });

  it('lets exactly one of two concurrent rotations win', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const key = await callerAs(env.runtime, owner.key).auth.createKey({ name: 'contested' });
    const results = await Promise.allSettled([
      callerAs(env.runtime, owner.key).auth.rotateKey({ keyId: key.id }),
      callerAs(env.runtime, owner.key).auth.rotateKey({ keyId: key.id }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.map((r) => (r.reason as TRPCError).code)).toEqual(['CONFLICT']);
    expect(await works((won[0] as PromiseFulfilledResult<{ key: string }>).value.key)).toBe(true);
  });

  it('refuses to hand a narrower key the secret of a wider one', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const narrow = await callerAs(env.runtime, owner.key).auth.createKey({ name: 'narrow', scopes: ['members:read'] });
    expect(await refusalOf(callerAs(env.runtime, narrow.key).auth.rotateKey({ keyId: owner.keyId }))).toBe(
      'FORBIDDEN:FORBIDDEN',
    );
  });
});

describe('who may see and manage keys', () => {
  it("hides other tenants' keys and needs apiKeys:* for other members' keys", async () => {
    const owner = await ownerWithKey(env.db.orm);
    const member = await memberWithKey(env.db.orm, owner.organizationId, 'member');
    const stranger = await ownerWithKey(env.db.orm);
    expect(await refusalOf(callerAs(env.runtime, stranger.key).auth.getKey({ keyId: owner.keyId }))).toBe(
      'NOT_FOUND:NOT_FOUND',
    );
    expect(await refusalOf(callerAs(env.runtime, stranger.key).auth.revokeKey({ keyId: owner.keyId }))).toBe(
      'NOT_FOUND:NOT_FOUND',
    );
    expect(await refusalOf(callerAs(env.runtime, member.key).auth.getKey({ keyId: owner.keyId }))).toBe(
      'FORBIDDEN:FORBIDDEN',
    );
    expect(await refusalOf(callerAs(env.runtime, member.key).auth.revokeKey({ keyId: owner.keyId }))).toBe(
      'FORBIDDEN:FORBIDDEN',
    );
    expect((await callerAs(env.runtime, owner.key).auth.getKey({ keyId: member.keyId })).userId).toBe(member.userId);
  });

  it('lists own keys by status in keyset pages with tamper-evident cursors', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const made = [];
    for (const name of ['a', 'b', 'c', 'd']) made.push(await callerAs(env.runtime, owner.key).auth.createKey({ name }));
    await callerAs(env.runtime, owner.key).auth.revokeKey({ keyId: (made[0] as { id: string }).id });
    const me = callerAs(env.runtime, owner.key).auth;
    const first = await me.listKeys({ limit: 2, status: 'active' });
    expect(first.items.map((k) => k.name)).toEqual(['d', 'c']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await me.listKeys({ limit: 2, status: 'active', cursor: first.pageInfo.endCursor ?? '' });
    expect(second.items.map((k) => k.name)).toEqual(['b', 'owner key']);
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect((await me.listKeys({ status: 'revoked' })).items.map((k) => k.name)).toEqual(['a']);
    expect(await refusalOf(me.listKeys({ status: 'revoked', cursor: first.pageInfo.endCursor ?? '' }))).toBe(
      'BAD_REQUEST:INVALID_CURSOR',
    );
    expect(await refusalOf(me.listKeys({ cursor: `${first.pageInfo.endCursor}x` }))).toBe('BAD_REQUEST:INVALID_CURSOR');
    // users.apiKeys is the same list.
    expect((await callerAs(env.runtime, owner.key).users.apiKeys()).items).toHaveLength(5);
  });
});

describe('usage', () => {
  it('writes lastUsedAt and lastUsedIp behind, in one batch', async () => {
    const owner = await ownerWithKey(env.db.orm);
    for (let i = 0; i < 20; i++) await callerFor(env.runtime, bearer(owner.key), '10.0.0.7').auth.whoami();
    await env.runtime.usage.flush();
    const key = await callerAs(env.runtime, owner.key).auth.getKey({ keyId: owner.keyId });
    expect(key.lastUsedIp).toBe('10.0.0.7');
    expect(Date.now() - (key.lastUsedAt?.getTime() ?? 0)).toBeLessThan(5000);
  });
});
