import { AuditEvent } from '@gatehouse/db';
import { describe, expect, it } from 'vitest';
import {
  callerAs,
  callerFor,
  memberWithKey,
  ownerWithKey,
  refusalOf,
  rejectionOf,
  sessionFor,
  uniqueEmail,
  useTestRuntime,
} from '../testing/fixtures.js';

const env = useTestRuntime();

describe('users.me and users.updateMe', () => {
  it('shows and edits your own profile, with a real time zone and nothing else', async () => {
    const owner = await ownerWithKey(env.db.orm, 'Profiles');
    const me = await callerAs(env.runtime, owner.key).users.me();
    expect(me).toMatchObject({ id: owner.userId, role: 'owner', organization: { name: 'Profiles' }, status: 'active' });
    const updated = await callerAs(env.runtime, owner.key).users.updateMe({
      name: 'Ada Lovelace',
      username: `ada${Date.now()}`,
      profile: { title: 'Analyst', timezone: 'Europe/London' },
    });
    expect(updated).toMatchObject({ name: 'Ada Lovelace', profile: { title: 'Analyst', timezone: 'Europe/London' } });
    expect((await callerAs(env.runtime, owner.key).auth.whoami()).name).toBe('Ada Lovelace');
    expect(
      await refusalOf(callerAs(env.runtime, owner.key).users.updateMe({ profile: { timezone: 'Mars/Olympus' } })),
    ).toBe('BAD_REQUEST:BAD_REQUEST');
    // @ts-expect-error: not a profile field
    expect(await refusalOf(callerAs(env.runtime, owner.key).users.updateMe({ profile: { shoeSize: 42 } }))).toBe(
      'BAD_REQUEST:BAD_REQUEST',
    );
    // @ts-expect-error: status is not yours to write
    expect(await refusalOf(callerAs(env.runtime, owner.key).users.updateMe({ status: 'active' }))).toBe(
      'BAD_REQUEST:BAD_REQUEST',
    );
  });

  it('keeps usernames unique', async () => {
    const a = await ownerWithKey(env.db.orm);
    const b = await ownerWithKey(env.db.orm);
    const username = `taken${Date.now()}`;
    await callerAs(env.runtime, a.key).users.updateMe({ username });
    expect(await refusalOf(callerAs(env.runtime, b.key).users.updateMe({ username }))).toBe('CONFLICT:CONFLICT');
  });
});

describe('the directory', () => {
  it('lists your organization, searches literally, and hides everyone else', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const member = await memberWithKey(env.db.orm, owner.organizationId, 'member');
    const stranger = await ownerWithKey(env.db.orm);
    const list = await callerAs(env.runtime, member.key).users.list({});
    expect(list.items.map((u) => u.id).sort()).toEqual([owner.userId, member.userId].sort());
    expect((await callerAs(env.runtime, owner.key).users.list({ search: 'MEMBER' })).items.map((u) => u.id)).toEqual([
      member.userId,
    ]);
    for (const search of ['%', '_', "' or 1=1 --", '\\']) {
      expect((await callerAs(env.runtime, owner.key).users.list({ search })).items).toEqual([]);
    }
    expect((await callerAs(env.runtime, owner.key).users.retrieve({ userId: member.userId })).role).toBe('member');
    expect(await refusalOf(callerAs(env.runtime, owner.key).users.retrieve({ userId: stranger.userId }))).toBe(
      'NOT_FOUND:NOT_FOUND',
    );
  });
});

describe('user lifecycle', () => {
  it('deactivates a user, whose key fails at once, and activates them again', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const member = await memberWithKey(env.db.orm, owner.organizationId, 'member');
    expect((await callerAs(env.runtime, member.key).auth.whoami()).userId).toBe(member.userId); // cached
    const off = await callerAs(env.runtime, owner.key).users.deactivate({ email: member.email.toUpperCase() });
    expect(off.status).toBe('deactivated');
    expect((await rejectionOf(callerAs(env.runtime, member.key).auth.whoami())).code).toBe('UNAUTHORIZED');
    expect((await callerAs(env.runtime, owner.key).users.list({ active: false })).items.map((u) => u.id)).toEqual([
      member.userId,
    ]);
    await callerAs(env.runtime, owner.key).users.activate({ userId: member.userId });
    expect((await callerAs(env.runtime, member.key).auth.whoami()).userId).toBe(member.userId);
    await callerAs(env.runtime, owner.key).users.archive({ userId: member.userId });
    expect((await rejectionOf(callerAs(env.runtime, member.key).auth.whoami())).code).toBe('UNAUTHORIZED');
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
    expect(await refusalOf(callerAs(env.runtime, member.key).users.deactivate({ userId: admin.userId }))).toBe(
      'FORBIDDEN:FORBIDDEN',
    );
    expect(await refusalOf(callerAs(env.runtime, admin.key).users.deactivate({ userId: admin.userId }))).toBe(
      'FORBIDDEN:FORBIDDEN',
    );
    expect(await refusalOf(callerAs(env.runtime, admin.key).users.deactivate({ userId: stranger.userId }))).toBe(
      'NOT_FOUND:NOT_FOUND',
    );
    // Another organization cannot reach the account by its id, and an admin does not switch off an owner.
    expect(
      await refusalOf(
        callerAs(env.runtime, stranger.key).organizations.addMember({
          organizationId: stranger.organizationId,
          userId: member.userId,
        }),
      ),
    ).toBe('NOT_FOUND:NOT_FOUND');
    expect(await refusalOf(callerAs(env.runtime, admin.key).users.deactivate({ userId: owner.userId }))).toBe(
      'FORBIDDEN:OUTRANKED',
    );
  });
});

describe('administering users', () => {
  it('creates an account with a generated password shown once, and refuses a duplicate email in any case', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const email = uniqueEmail('jane', 'Example.com');
    // Shown to a person signed in only (machine-credentials.test.ts has keys and service accounts).
    const session = await sessionFor(env.db.orm, owner.userId);
    const created = await callerAs(env.runtime, session).users.create({ email, name: 'Jane', role: 'user' });
    expect(created).toMatchObject({
      email: email.replace('Example.com', 'example.com'),
      role: 'member',
      status: 'active',
    });
    expect(created.generatedPassword).toMatch(/^[0-9A-Za-z]{24}$/);
    await callerFor(env.runtime).auth.login({ email, password: created.generatedPassword as string });
    expect(
      await refusalOf(callerAs(env.runtime, owner.key).users.create({ email: email.toLowerCase(), name: 'Twin' })),
    ).toBe('CONFLICT:EMAIL_TAKEN');
    const viewer = await memberWithKey(env.db.orm, owner.organizationId, 'viewer');
    expect(await refusalOf(callerAs(env.runtime, viewer.key).users.create({ email: 'x@example.com', name: 'X' }))).toBe(
      'FORBIDDEN:FORBIDDEN',
    );
    const admin = await memberWithKey(env.db.orm, owner.organizationId, 'admin');
    expect(
      await refusalOf(
        callerAs(env.runtime, admin.key).users.create({ email: 'y@example.com', name: 'Y', role: 'owner' }),
      ),
    ).toBe('FORBIDDEN:FORBIDDEN');
  });

  it('updates name and role only: anything else is rejected, not ignored', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const member = await memberWithKey(env.db.orm, owner.organizationId, 'member');
    const updated = await callerAs(env.runtime, owner.key).users.update({
      userId: member.userId,
      name: 'Renamed',
      role: 'viewer',
    });
    expect(updated).toMatchObject({ name: 'Renamed', role: 'viewer' });
    for (const extra of [
      { status: 'archived' },
      { email: 'evil@example.com' },
      { organizationId: owner.organizationId },
    ]) {
      expect(await refusalOf(callerAs(env.runtime, owner.key).users.update({ userId: member.userId, ...extra }))).toBe(
        'BAD_REQUEST:BAD_REQUEST',
      );
    }
  });

  it('refuses to delete an owner of an organization, and deletes everyone else with their credentials', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const coOwner = await memberWithKey(env.db.orm, owner.organizationId, 'member');
    await callerAs(env.runtime, owner.key).organizations.updateMemberRole({
      organizationId: owner.organizationId,
      userId: coOwner.userId,
      role: 'owner',
    });
    const error = await rejectionOf(callerAs(env.runtime, owner.key).users.delete({ userId: coOwner.userId }));
    expect((error.cause as { reason?: string; details?: unknown }).reason).toBe('HAS_DEPENDENCIES');
    const member = await memberWithKey(env.db.orm, owner.organizationId, 'member');
    await callerAs(env.runtime, owner.key).users.delete({ userId: member.userId });
    expect((await rejectionOf(callerAs(env.runtime, member.key).auth.whoami())).code).toBe('UNAUTHORIZED');
    expect(await refusalOf(callerAs(env.runtime, owner.key).users.retrieve({ userId: member.userId }))).toBe(
      'NOT_FOUND:NOT_FOUND',
    );
  });

  it('lists a member’s permissions with their source', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const viewer = await memberWithKey(env.db.orm, owner.organizationId, 'viewer');
    const { items } = await callerAs(env.runtime, owner.key).users.getPermissions({ userId: viewer.userId });
    expect(items.map((p) => p.permission)).toContain('members:read');
    expect(items.map((p) => p.permission)).not.toContain('members:invite');
    expect(items[0]).toMatchObject({
      resource: { type: 'organization', id: owner.organizationId },
      via: 'role',
      role: 'viewer',
    });
    expect((await callerAs(env.runtime, owner.key).users.getTeams({ userId: viewer.userId })).items).toEqual([
      { team: { id: expect.stringMatching(/^team_/), name: 'everyone' }, role: 'member' },
    ]);
  });
});
