import { AuditEvent } from '@gatehouse/db';
import { describe, expect, it } from 'vitest';
import { record, systemActor } from '../core/audit.js';
import type { AppError } from '../core/errors.js';
import { appRouter } from '../root.js';
import {
  callerAs,
  callerFor,
  memberWithKey,
  ownerWithKey,
  refusalOf,
  rejectionOf,
  useTestRuntime,
} from '../testing/fixtures.js';

const env = useTestRuntime();

const em = () => env.db.orm.em.fork();

async function failure(promise: Promise<unknown>) {
  const error = await rejectionOf(promise);
  return { code: error.code, reason: (error.cause as AppError | undefined)?.reason };
}

/** Every event of the organization, newest first, in one page. */
const everything = async (key: string, organizationId: string) =>
  (await callerAs(env.runtime, key).audit.list({ organizationId, limit: 200 })).items;

/** Moves an event to a fixed time, so time filters are tested without depending on the clock. */
const backdate = (eventId: string, at: string) =>
  em().execute('update audit_events set created_at = ? where id = ?', [new Date(at), eventId]);

describe('audit.list', () => {
  it('shows what real actions wrote, newest first, with actor, target and changes', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const { organizationId } = owner;
    const key = await callerAs(env.runtime, owner.key).auth.createKey({ name: 'ci' });
    const revoked = await callerAs(env.runtime, owner.key).auth.revokeKey({ keyId: key.id });

    const page = await callerAs(env.runtime, owner.key).audit.list({ organizationId });
    expect(page.items.map((e) => [e.action, e.target?.id])).toEqual([
      ['api_key.revoked', key.id],
      ['api_key.created', key.id],
      ['api_key.created', owner.keyId],
      ['organization.created', organizationId],
    ]);
    expect(page.pageInfo).toEqual({ hasNextPage: false, endCursor: expect.any(String) });
    expect(page.items[0]).toEqual({
      id: expect.stringMatching(/^evt_[0-9a-z]{26}$/),
      organizationId,
      actor: { type: 'apiKey', id: owner.keyId, platform: false },
      action: 'api_key.revoked',
      target: { type: 'apiKey', id: key.id },
      // jsonb keeps the revocation time as its ISO string.
      changes: { revokedAt: { from: null, to: revoked.revokedAt?.toISOString() } },
      ip: '127.0.0.1',
      requestId: 'test',
      createdAt: expect.any(Date),
    });
    expect(page.items[1]).toMatchObject({ changes: null, actor: { type: 'apiKey', id: owner.keyId } });
    expect(page.items[3]).toMatchObject({
      actor: { type: 'system', id: null },
      target: { type: 'organization', id: organizationId },
      ip: null,
      requestId: null,
    });
  });

  it("shows only the organization's own events", async () => {
    const owner = await ownerWithKey(env.db.orm);
    const other = await ownerWithKey(env.db.orm);
    await callerAs(env.runtime, other.key).auth.createKey({ name: 'elsewhere' });
    const mine = await everything(owner.key, owner.organizationId);
    expect(mine).toHaveLength(2);
    expect(new Set(mine.map((e) => e.organizationId))).toEqual(new Set([owner.organizationId]));
    const theirs = await callerAs(env.runtime, owner.key).audit.list({
      organizationId: owner.organizationId,
      targetId: other.keyId,
    });
    expect(theirs.items).toEqual([]);
  });

  it('always returns both sides of a change', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const fork = em();
    // JSON drops an undefined side: the list still returns it, as null.
    record(fork, systemActor, {
      organizationId: owner.organizationId,
      action: 'organization.updated',
      changes: { description: { from: 'old', to: undefined } },
    });
    await fork.flush();
    const [event] = (
      await callerAs(env.runtime, owner.key).audit.list({ organizationId: owner.organizationId, limit: 1 })
    ).items;
    expect(event).toMatchObject({ target: null, changes: { description: { from: 'old', to: null } } });
  });
});

describe('filters', () => {
  it('by action, target and actor, alone and together', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const { organizationId } = owner;
    const member = await memberWithKey(env.db.orm, organizationId, 'member');
    const a = await callerAs(env.runtime, owner.key).auth.createKey({ name: 'a' });
    const b = await callerAs(env.runtime, owner.key).auth.createKey({ name: 'b' });
    await callerAs(env.runtime, owner.key).auth.revokeKey({ keyId: a.id });
    const own = await callerAs(env.runtime, member.key).auth.createKey({ name: 'own' });
    const list = async (filter: { action?: string; targetId?: string; actorId?: string }) =>
      (await callerAs(env.runtime, owner.key).audit.list({ organizationId, ...filter })).items.map((e) => [
        e.action,
        e.target?.id,
      ]);

    expect(await list({ action: 'api_key.revoked' })).toEqual([['api_key.revoked', a.id]]);
    expect(await list({ targetId: a.id })).toEqual([
      ['api_key.revoked', a.id],
      ['api_key.created', a.id],
    ]);
    expect(await list({ actorId: owner.keyId })).toEqual([
      ['api_key.revoked', a.id],
      ['api_key.created', b.id],
      ['api_key.created', a.id],
    ]);
    expect(await list({ actorId: member.keyId })).toEqual([['api_key.created', own.id]]);
    expect(await list({ actorId: owner.keyId, action: 'api_key.created' })).toEqual([
      ['api_key.created', b.id],
      ['api_key.created', a.id],
    ]);
    expect(await list({ targetId: b.id, action: 'api_key.revoked' })).toEqual([]);
    const none = await callerAs(env.runtime, owner.key).audit.list({ organizationId, action: 'nothing.happened' });
    expect(none).toEqual({ items: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('by time: since inclusive, until exclusive', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const { organizationId } = owner;
    const keys: string[] = [];
    for (const name of ['k1', 'k2', 'k3'])
      keys.push((await callerAs(env.runtime, owner.key).auth.createKey({ name })).id);
    const events = (await everything(owner.key, organizationId)).filter((e) => keys.includes(e.target?.id ?? ''));
    const [e3, e2, e1] = events.map((e) => e.id);
    await backdate(e1 as string, '2001-01-01T00:00:00Z');
    await backdate(e2 as string, '2001-01-02T00:00:00Z');
    await backdate(e3 as string, '2001-01-03T00:00:00Z');
    const ids = async (range: { since?: Date; until?: Date }) =>
      (await callerAs(env.runtime, owner.key).audit.list({ organizationId, ...range })).items.map((e) => e.id);

    expect(await ids({ until: new Date('2001-01-02T00:00:00Z') })).toEqual([e1]);
    expect(await ids({ since: new Date('2001-01-02T00:00:00Z'), until: new Date('2001-01-03T00:00:00Z') })).toEqual([
      e2,
    ]);
    expect(await ids({ since: new Date('2001-01-01T00:00:00Z'), until: new Date('2001-01-04T00:00:00Z') })).toEqual([
      e3,
      e2,
      e1,
    ]);
    // The bootstrap's two events happened now, long after 2001.
    expect(await ids({ since: new Date('2001-01-03T00:00:00Z') })).toHaveLength(3);
    expect(await ids({ since: new Date('2001-01-02T00:00:00Z'), until: new Date('2001-01-02T00:00:00Z') })).toEqual([]);
    const [third] = (
      await callerAs(env.runtime, owner.key).audit.list({ organizationId, since: new Date('2001-01-03T00:00:00Z') })
    ).items;
    expect(third?.createdAt).toEqual(new Date('2001-01-03T00:00:00Z'));
    expect(
      await refusalOf(
        callerAs(env.runtime, owner.key).audit.list({
          organizationId,
          since: new Date('2001-01-03T00:00:00Z'),
          until: new Date('2001-01-02T00:00:00Z'),
        }),
      ),
    ).toBe('BAD_REQUEST:BAD_REQUEST');
  });
});

describe('pagination', () => {
  it('pages with limit 1 in keyset order, stable under inserts', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const { organizationId } = owner;
    await callerAs(env.runtime, owner.key).auth.createKey({ name: 'third' }); // with the bootstrap's two: 3 events
    const all = (await everything(owner.key, organizationId)).map((e) => e.id);
    expect(all).toHaveLength(3);

    const audit = callerAs(env.runtime, owner.key).audit;
    const first = await audit.list({ organizationId, limit: 1 });
    expect(first.items.map((e) => e.id)).toEqual([all[0]]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    // A new event between pages neither shifts nor repeats what follows.
    const late = await callerAs(env.runtime, owner.key).auth.createKey({ name: 'late' });
    const second = await audit.list({ organizationId, limit: 1, cursor: first.pageInfo.endCursor ?? '' });
    expect(second.items.map((e) => e.id)).toEqual([all[1]]);
    expect(second.pageInfo.hasNextPage).toBe(true);
    const third = await audit.list({ organizationId, limit: 1, cursor: second.pageInfo.endCursor ?? '' });
    expect(third.items.map((e) => e.id)).toEqual([all[2]]);
    expect(third.pageInfo.hasNextPage).toBe(false);
    // The same cursor gives the same page again.
    expect(await audit.list({ organizationId, limit: 1, cursor: first.pageInfo.endCursor ?? '' })).toEqual(second);
    // The late event is on a fresh first page.
    expect((await audit.list({ organizationId, limit: 1 })).items[0]?.target?.id).toBe(late.id);
  });

  it('refuses a tampered cursor and one from another list, filter or organization', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const other = await ownerWithKey(env.db.orm);
    const { organizationId } = owner;
    const audit = callerAs(env.runtime, owner.key).audit;
    const cursor = (await audit.list({ organizationId, limit: 1 })).pageInfo.endCursor ?? '';
    const filtered = (await audit.list({ organizationId, limit: 1, action: 'api_key.created' })).pageInfo.endCursor;
    const invalid = { code: 'BAD_REQUEST', reason: 'INVALID_CURSOR' };

    const [payload, mac] = cursor.split('.') as [string, string];
    const forged = `${Buffer.from(JSON.stringify(['audit:x', 'evt_zzzzzzzzzzzzzzzzzzzzzzzzzz'])).toString('base64url')}.${mac}`;
    expect(await failure(audit.list({ organizationId, cursor: `${cursor}x` }))).toEqual(invalid);
    expect(await failure(audit.list({ organizationId, cursor: forged }))).toEqual(invalid);
    expect(await failure(audit.list({ organizationId, cursor: payload }))).toEqual(invalid);
    expect(await failure(audit.list({ organizationId, cursor, action: 'api_key.created' }))).toEqual(invalid);
    expect(await failure(audit.list({ organizationId, cursor: filtered ?? '' }))).toEqual(invalid);
    expect(await failure(audit.list({ organizationId, cursor, since: new Date(0) }))).toEqual(invalid);
    const otherOrg = callerAs(env.runtime, other.key).audit.list({ organizationId: other.organizationId, cursor });
    expect(await failure(otherOrg)).toEqual(invalid);
    const keysCursor = (await callerAs(env.runtime, owner.key).auth.listKeys({ limit: 1 })).pageInfo.endCursor ?? '';
    expect(await failure(audit.list({ organizationId, cursor: keysCursor }))).toEqual(invalid);
    // The filter the cursor was made with still takes it.
    expect((await audit.list({ organizationId, cursor: filtered ?? '', action: 'api_key.created' })).items).toEqual([]);
  });
});

describe('access', () => {
  it('needs audit:read in the organization', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const { organizationId } = owner;
    const member = await memberWithKey(env.db.orm, organizationId, 'member');
    const viewer = await memberWithKey(env.db.orm, organizationId, 'viewer');
    const admin = await memberWithKey(env.db.orm, organizationId, 'admin');
    const auditor = await memberWithKey(env.db.orm, organizationId, 'admin', ['audit:read']);
    const narrow = await memberWithKey(env.db.orm, organizationId, 'admin', ['members:read']);
    const stranger = await ownerWithKey(env.db.orm);

    expect(await failure(callerAs(env.runtime, member.key).audit.list({ organizationId }))).toEqual({
      code: 'FORBIDDEN',
      reason: 'FORBIDDEN',
    });
    expect(await refusalOf(callerAs(env.runtime, viewer.key).audit.list({ organizationId }))).toBe(
      'FORBIDDEN:FORBIDDEN',
    );
    // A key's scopes narrow its user's roles.
    expect(await refusalOf(callerAs(env.runtime, narrow.key).audit.list({ organizationId }))).toBe(
      'FORBIDDEN:FORBIDDEN',
    );
    expect(await refusalOf(callerAs(env.runtime, stranger.key).audit.list({ organizationId }))).toBe(
      'NOT_FOUND:NOT_FOUND',
    );
    expect(await refusalOf(callerFor(env.runtime).audit.list({ organizationId }))).toBe('UNAUTHORIZED:UNAUTHORIZED');
    expect((await callerAs(env.runtime, admin.key).audit.list({ organizationId })).items.length).toBeGreaterThan(0);
    expect((await callerAs(env.runtime, auditor.key).audit.list({ organizationId })).items.length).toBeGreaterThan(0);
  });

  it('writes no audit event of its own', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const { organizationId } = owner;
    const count = () => em().count(AuditEvent, {});
    const before = await count();
    await callerAs(env.runtime, owner.key).audit.list({ organizationId });
    await callerAs(env.runtime, owner.key).audit.list({ organizationId, limit: 1, action: 'api_key.created' });
    expect(await count()).toBe(before);
  });

  it('offers no way to edit or delete an event', () => {
    const procedures = Object.keys(appRouter._def.procedures).filter((p) => p.startsWith('audit.'));
    expect(procedures).toEqual(['audit.list']);
  });
});

describe('input', () => {
  it('is strict and bounded', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const { organizationId } = owner;
    const audit = callerAs(env.runtime, owner.key).audit;
    // @ts-expect-error: not an input field
    expect(await refusalOf(audit.list({ organizationId, actorType: 'user' }))).toBe('BAD_REQUEST:BAD_REQUEST');
    expect(await refusalOf(audit.list({ organizationId, limit: 0 }))).toBe('BAD_REQUEST:BAD_REQUEST');
    expect(await refusalOf(audit.list({ organizationId, limit: 201 }))).toBe('BAD_REQUEST:BAD_REQUEST');
    expect(await refusalOf(audit.list({ organizationId, action: 'a'.repeat(101) }))).toBe('BAD_REQUEST:BAD_REQUEST');
    expect(await refusalOf(audit.list({ organizationId, actorId: 'a'.repeat(65) }))).toBe('BAD_REQUEST:BAD_REQUEST');
    expect(await refusalOf(audit.list({ organizationId, targetId: 'a'.repeat(65) }))).toBe('BAD_REQUEST:BAD_REQUEST');
    // @ts-expect-error: dates, not strings, over tRPC
    expect(await refusalOf(audit.list({ organizationId, since: '2001-01-01' }))).toBe('BAD_REQUEST:BAD_REQUEST');
    expect(await refusalOf(audit.list({ organizationId: 'org_nope' }))).toBe('BAD_REQUEST:BAD_REQUEST');
    expect((await audit.list({ organizationId, limit: 200 })).items).toHaveLength(2);
  });
});
