import { AuditEvent } from '@gatehouse/db';
import { describe, expect, it } from 'vitest';
import { bearer, callerFor, memberWithKey, ownerWithKey, rejectionOf, useTestRuntime } from '../testing/fixtures.js';

const env = useTestRuntime();
const as = (key: string) => callerFor(env.runtime, bearer(key));

describe('audit.list', () => {
  it('pages through what happened, newest first, with every filter', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const organizationId = owner.organizationId;
    const key = await as(owner.key).auth.createKey({ name: 'audited' });
    const middle = new Date();
    await as(owner.key).auth.revokeKey({ keyId: key.id });
    const audit = as(owner.key).audit;

    const all = await audit.list({ organizationId });
    expect(all.items.map((e) => e.action)).toEqual([
      'api_key.revoked',
      'api_key.created',
      'api_key.created',
      'organization.created',
    ]);
    expect(all.items[0]).toMatchObject({
      actor: { type: 'apiKey', id: owner.keyId },
      target: { type: 'apiKey', id: key.id },
      changes: { revokedAt: { from: null, to: expect.any(String) } },
      ip: '127.0.0.1',
      requestId: 'test',
    });
    expect((await audit.list({ organizationId, targetId: key.id })).items).toHaveLength(2);
    expect((await audit.list({ organizationId, action: 'api_key.revoked' })).items).toHaveLength(1);
    expect((await audit.list({ organizationId, actorId: owner.keyId })).items).toHaveLength(2);
    expect((await audit.list({ organizationId, since: middle })).items.map((e) => e.action)).toEqual([
      'api_key.revoked',
    ]);
    expect((await audit.list({ organizationId, until: middle })).items).toHaveLength(3);

    const pages: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await audit.list({ organizationId, limit: 1, ...(cursor ? { cursor } : {}) });
      pages.push(...page.items.map((e) => e.id));
      cursor = page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? undefined) : undefined;
    } while (cursor);
    expect(pages).toEqual(all.items.map((e) => e.id));

    const first = await audit.list({ organizationId, limit: 1 });
    const endCursor = first.pageInfo.endCursor as string;
    expect((await rejectionOf(audit.list({ organizationId, cursor: `${endCursor}0` }))).code).toBe('BAD_REQUEST');
    expect((await rejectionOf(audit.list({ organizationId, action: 'x', cursor: endCursor }))).code).toBe(
      'BAD_REQUEST',
    );
    // @ts-expect-error: not a filter
    expect((await rejectionOf(audit.list({ organizationId, actorType: 'user' }))).code).toBe('BAD_REQUEST');
  });

  it('is for owners and admins, hides other tenants, and is itself not audited', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const member = await memberWithKey(env.db.orm, owner.organizationId, 'member');
    const admin = await memberWithKey(env.db.orm, owner.organizationId, 'admin');
    const other = await ownerWithKey(env.db.orm);
    const organizationId = owner.organizationId;
    expect((await rejectionOf(as(member.key).audit.list({ organizationId }))).code).toBe('FORBIDDEN');
    expect((await rejectionOf(as(other.key).audit.list({ organizationId }))).code).toBe('NOT_FOUND');
    const before = await env.db.orm.em.fork().count(AuditEvent, { organizationId });
    await as(admin.key).audit.list({ organizationId });
    await as(owner.key).audit.list({ organizationId });
    expect(await env.db.orm.em.fork().count(AuditEvent, { organizationId })).toBe(before);
  });
});
