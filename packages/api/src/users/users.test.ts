import { AuditEvent } from '@gatehouse/db';
import { describe, expect, it } from 'vitest';
import { bearer, callerFor, memberWithKey, ownerWithKey, rejectionOf, useTestRuntime } from '../testing/fixtures.js';

const env = useTestRuntime();
const as = (key: string) => callerFor(env.runtime, bearer(key));
const reasonOf = async (p: Promise<unknown>) => {
  const error = await rejectionOf(p);
  return (error.cause as { reason?: string } | undefined)?.reason ?? error.code;
};

describe('users.me and users.updateMe', () => {
  it('shows and edits your own profile, with a real time zone and nothing else', async () => {
    const owner = await ownerWithKey(env.db.orm, 'Profiles');
    const me = await as(owner.key).users.me();
    expect(me).toMatchObject({ id: owner.userId, role: 'owner', organization: { name: 'Profiles' }, status: 'active' });
    const updated = await as(owner.key).users.updateMe({
      name: 'Ada Lovelace',
      username: `ada${Date.now()}`,
      profile: { title: 'Analyst', timezone: 'Europe/London' },
    });
    expect(updated).toMatchObject({ name: 'Ada Lovelace', profile: { title: 'Analyst', timezone: 'Europe/London' } });
    expect((await as(owner.key).auth.whoami()).name).toBe('Ada Lovelace');
    expect(await reasonOf(as(owner.key).users.updateMe({ profile: { timezone: 'Mars/Olympus' } }))).toBe('BAD_REQUEST');
    // @ts-expect-error: not a profile field
    expect(await reasonOf(as(owner.key).users.updateMe({ profile: { shoeSize: 42 } }))).toBe('BAD_REQUEST');
    // @ts-expect-error: status is not yours to write
    expect(await reasonOf(as(owner.key).users.updateMe({ status: 'active' }))).toBe('BAD_REQUEST');
  });

  it('keeps usernames unique', async () => {
    const a = await ownerWithKey(env.db.orm);
    const b = await ownerWithKey(env.db.orm);
    const username = `taken${Date.now()}`;
    await as(a.key).users.updateMe({ username });
    expect(await reasonOf(as(b.key).users.updateMe({ username }))).toBe('CONFLICT');
  });
});

describe('the directory', () => {
  it('lists your organization, searches literally, and hides everyone else', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const member = await memberWithKey(env.db.orm, owner.organizationId, 'member');
    const stranger = await ownerWithKey(env.db.orm);
    const list = await as(member.key).users.list({});
    expect(list.items.map((u) => u.id).sort()).toEqual([owner.userId, member.userId].sort());
    expect((await as(owner.key).users.list({ search: 'MEMBER' })).items.map((u) => u.id)).toEqual([member.userId]);
    for (const search of ['%', '_', "' or 1=1 --", '\\']) {
      expect((await as(owner.key).users.list({ search })).items).toEqual([]);
    }
    expect((await as(owner.key).users.retrieve({ userId: member.userId })).role).toBe('member');
    expect(await reasonOf(as(owner.key).users.retrieve({ userId: stranger.userId }))).toBe('NOT_FOUND');
  });
});

describe('user lifecycle', () => {
  it('deactivates a user, whose key fails at once, and activates them again', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const member = await memberWithKey(env.db.orm, owner.organizationId, 'member');
    expect((await as(member.key).auth.whoami()).userId).toBe(member.userId); // cached
    const off = await as(owner.key).users.deactivate({ email: member.email.toUpperCase() });
    expect(off.status).toBe('deactivated');
    expect((await rejectionOf(as(member.key).auth.whoami())).code).toBe('UNAUTHORIZED');
    expect((await as(owner.key).users.list({ active: false })).items.map((u) => u.id)).toEqual([member.userId]);
    await as(owner.key).users.activate({ userId: member.userId });
    expect((await as(member.key).auth.whoami()).userId).toBe(member.userId);
    await as(owner.key).users.archive({ userId: member.userId });
    expect((await rejectionOf(as(member.key).auth.whoami())).code).toBe('UNAUTHORIZED');
    const actions = (
      await env.db.orm.em.fork().find(AuditEvent, { targetId: member.userId }, { orderBy: { id: 'asc' } })
    ).map((e) => e.action);
    expect(actions).toEqual(['user.deactivated', 'user.activated', 'user.archived']);
  });

  it('refuses status changes outside your authority', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const member = await memberWithKey(env.db.orm, owner.organizationId, 'member');
    const admin = await memberWithKey(env.db.orm, owner.organizationId, 'admin');
    const stranger = await ownerWithKey(env.db.orm);
    expect(await reasonOf(as(member.key).users.deactivate({ userId: admin.userId }))).toBe('FORBIDDEN');
    expect(await reasonOf(as(admin.key).users.deactivate({ userId: admin.userId }))).toBe('FORBIDDEN');
    expect(await reasonOf(as(admin.key).users.deactivate({ userId: stranger.userId }))).toBe('NOT_FOUND');
    // Someone who also belongs elsewhere is not one organization's to switch off.
    await as(stranger.key).organizations.addMember({ organizationId: stranger.organizationId, userId: member.userId });
    expect(await reasonOf(as(admin.key).users.deactivate({ userId: member.userId }))).toBe('CONFLICT');
  });
});
