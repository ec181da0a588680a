import { AuditEvent, Organization } from '@gatehouse/db';
import { describe, expect, it } from 'vitest';
import {
  callerAs,
  callerFor,
  markEmailVerified,
  memberWithKey,
  ownerWithKey,
  refusalOf,
  rejectionOf,
  tokenOf,
  uniqueEmail,
  useTestRuntime,
} from '../testing/fixtures.js';

const env = useTestRuntime();
const auditActions = async (organizationId: string) =>
  (await env.db.orm.em.fork().find(AuditEvent, { organizationId }, { orderBy: { id: 'asc' } })).map((e) => e.action);

async function signedUp(name: string) {
  const email = `${name}${Date.now()}${Math.random().toString(36).slice(2, 6)}@example.com`;
  const { sessionToken, userId } = tokenOf(
    await callerFor(env.runtime, {}, `10.2.${Math.floor(Math.random() * 250)}.1`).auth.signup({
      email,
      password: 'a sturdy passphrase 42',
      name,
    }),
  );
  await markEmailVerified(env.db.orm, userId);
  return { email, userId, token: sessionToken };
}

describe('organizations', () => {
  it('creates with the caller as owner, a DNS-safe unique label and a fixed namespace', async () => {
    const a = await signedUp('ada');
    const first = await callerAs(env.runtime, a.token).organizations.create({ name: 'Ünïcode & Co. — Labs!' });
    const second = await callerAs(env.runtime, a.token).organizations.create({ name: 'Unicode & Co Labs' });
    expect(first.label).toBe('unicode-co-labs');
    expect(second.label).toBe('unicode-co-labs-2');
    expect(first).toMatchObject({ ownerId: a.userId, memberCount: 1, plan: 'free', namespace: 'unicode-co-labs' });
    const long = await callerAs(env.runtime, a.token).organizations.create({ name: 'x'.repeat(150) });
    expect(long.label).toHaveLength(63);
    // Renaming changes the name, never the namespace.
    const renamed = await callerAs(env.runtime, a.token).organizations.update({
      organizationId: first.id,
      name: 'Renamed',
    });
    expect(renamed).toMatchObject({ name: 'Renamed', namespace: 'unicode-co-labs' });
    const listed = await callerAs(env.runtime, a.token).organizations.list();
    expect(listed.items.map((o) => o.memberCount)).toEqual([1, 1, 1]);
  });

  it('retrieves with the permission map and hides other tenants', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const viewer = await memberWithKey(env.db.orm, owner.organizationId, 'viewer');
    const other = await ownerWithKey(env.db.orm);
    const mine = await callerAs(env.runtime, viewer.key).organizations.retrieve({
      organizationId: owner.organizationId,
      expand: ['permissions'],
    });
    expect(mine.permissions?.members).toEqual({ read: true, invite: false, update: false, remove: false });
    expect(
      await refusalOf(
        callerAs(env.runtime, viewer.key).organizations.retrieve({ organizationId: other.organizationId }),
      ),
    ).toBe('NOT_FOUND:NOT_FOUND');
  });

  it('validates settings by name and audits their changes', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const id = owner.organizationId;
    const error = await rejectionOf(
      // @ts-expect-error: not a setting
      callerAs(env.runtime, owner.key).organizations.update({ organizationId: id, settings: { colour: 'red' } }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    const updated = await callerAs(env.runtime, owner.key).organizations.update({
      organizationId: id,
      settings: { invitationTtlDays: 3, allowedEmailDomains: ['Example.COM'] },
    });
    expect(updated.settings).toMatchObject({
      invitationTtlDays: 3,
      allowedEmailDomains: ['example.com'],
      enforceMfa: false,
    });
    const [event] = await env.db.orm.em.fork().find(AuditEvent, { organizationId: id, action: 'organization.updated' });
    expect(event?.changes).toEqual({
      'settings.invitationTtlDays': { from: 7, to: 3 },
      'settings.allowedEmailDomains': { from: [], to: ['example.com'] },
    });
    expect(
      await refusalOf(
        callerAs(env.runtime, owner.key).organizations.update({
          organizationId: id,
          settings: { defaultRole: 'owner' },
        }),
      ),
    ).toBe('BAD_REQUEST:BAD_REQUEST');
  });

  it('refuses deletion during a paid subscription, and otherwise removes everything at once', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const member = await memberWithKey(env.db.orm, owner.organizationId, 'admin');
    const id = owner.organizationId;
    expect(await refusalOf(callerAs(env.runtime, member.key).organizations.delete({ organizationId: id }))).toBe(
      'FORBIDDEN:FORBIDDEN',
    );
    await env.db.orm.em.fork().nativeUpdate(Organization, { id }, { plan: 'pro', subscriptionStatus: 'active' });
    expect(await refusalOf(callerAs(env.runtime, owner.key).organizations.delete({ organizationId: id }))).toBe(
      'CONFLICT:HAS_DEPENDENCIES',
    );
    await env.db.orm.em.fork().nativeUpdate(Organization, { id }, { subscriptionStatus: 'canceled' });
    expect(await callerAs(env.runtime, member.key).auth.whoami()).toBeTruthy(); // cached now
    await callerAs(env.runtime, owner.key).organizations.delete({ organizationId: id });
    expect((await rejectionOf(callerAs(env.runtime, member.key).auth.whoami())).code).toBe('UNAUTHORIZED');
    const [{ n } = { n: -1 }] = await env.db.orm.em
      .fork()
      .execute<{ n: number }[]>('select count(*)::int as n from memberships where organization_id = ?', [id]);
    expect(n).toBe(0);
    expect(await auditActions(id)).toContain('organization.deleted');
  });
});

describe('members', () => {
  it('lists, filters by role, searches literally and pages', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const id = owner.organizationId;
    for (const role of ['admin', 'member', 'member', 'viewer']) await memberWithKey(env.db.orm, id, role);
    const all = await callerAs(env.runtime, owner.key).organizations.members({ organizationId: id, limit: 2 });
    expect(all.items).toHaveLength(2);
    const rest = await callerAs(env.runtime, owner.key).organizations.members({
      organizationId: id,
      cursor: all.pageInfo.endCursor ?? '',
    });
    expect(rest.items).toHaveLength(3);
    expect(
      (await callerAs(env.runtime, owner.key).organizations.members({ organizationId: id, role: 'member' })).items,
    ).toHaveLength(2);
    const byEmail = await callerAs(env.runtime, owner.key).organizations.members({
      organizationId: id,
      search: 'OWNER',
    });
    expect(byEmail.items.map((m) => m.userId)).toEqual([owner.userId]);
    expect(byEmail.items[0]).toMatchObject({ isOwner: true, role: 'owner', status: 'active', source: 'password' });
    expect(
      (await callerAs(env.runtime, owner.key).organizations.members({ organizationId: id, search: '%' })).items,
    ).toEqual([]);
    expect(
      (await callerAs(env.runtime, owner.key).organizations.members({ organizationId: id, search: "_' or 1=1 --" }))
        .items,
    ).toEqual([]);
  });

  it('adds an account only with its consent: an invitation, no id, no membership until accepted', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const organizationId = owner.organizationId;
    const bob = await signedUp('bob');
    expect((await callerAs(env.runtime, bob.token).auth.whoami()).organization).toBeNull(); // cached as "no organization"
    const added = await callerAs(env.runtime, owner.key).organizations.addMember({ organizationId, email: bob.email });
    expect(added).toMatchObject({ userId: null, name: '', status: 'invited', role: 'member' });
    expect(added.invitationId).toMatch(/^inv_/);
    // Nothing joined: Bob is not a member, and his id cannot be used to add him either.
    expect((await callerAs(env.runtime, bob.token).auth.whoami()).organization).toBeNull();
    expect(
      await refusalOf(callerAs(env.runtime, owner.key).organizations.addMember({ organizationId, userId: bob.userId })),
    ).toBe('NOT_FOUND:NOT_FOUND');
    const invitations = await callerAs(env.runtime, owner.key).organizations.listInvitations({
      organizationId,
      status: 'pending',
    });
    expect(invitations.items.map((i) => i.email)).toEqual([bob.email]);
    expect(await auditActions(organizationId)).not.toContain('member.added');
  });

  it('adds an account it manages directly, and the member can act at once', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const organizationId = owner.organizationId;
    const carol = await callerAs(env.runtime, owner.key).users.create({ email: uniqueEmail('carol'), name: 'Carol' });
    await callerAs(env.runtime, owner.key).organizations.removeMember({ organizationId, userId: carol.id });
    const added = await callerAs(env.runtime, owner.key).organizations.addMember({
      organizationId,
      userId: carol.id,
      role: 'viewer',
    });
    expect(added).toMatchObject({ userId: carol.id, role: 'viewer', status: 'active', invitationId: null });
    expect(
      await refusalOf(callerAs(env.runtime, owner.key).organizations.addMember({ organizationId, userId: carol.id })),
    ).toBe('CONFLICT:ALREADY_MEMBER');
    expect(await auditActions(organizationId)).toContain('member.added');
  });

  it('stops privilege escalation', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const id = owner.organizationId;
    const admin = await memberWithKey(env.db.orm, id, 'admin');
    const member = await memberWithKey(env.db.orm, id, 'member');
    const other = await memberWithKey(env.db.orm, id, 'viewer');
    // A member changes no role, their own included.
    expect(
      await refusalOf(
        callerAs(env.runtime, member.key).organizations.updateMemberRole({
          organizationId: id,
          userId: member.userId,
          role: 'admin',
        }),
      ),
    ).toBe('FORBIDDEN:FORBIDDEN');
    expect(
      await refusalOf(
        callerAs(env.runtime, member.key).organizations.updateMemberRole({
          organizationId: id,
          userId: other.userId,
          role: 'member',
        }),
      ),
    ).toBe('FORBIDDEN:FORBIDDEN');
    // An admin makes nobody owner, themselves least of all, and cannot touch an owner.
    expect(
      await refusalOf(
        callerAs(env.runtime, admin.key).organizations.updateMemberRole({
          organizationId: id,
          userId: admin.userId,
          role: 'owner',
        }),
      ),
    ).toBe('FORBIDDEN:FORBIDDEN');
    expect(
      await refusalOf(
        callerAs(env.runtime, admin.key).organizations.updateMemberRole({
          organizationId: id,
          userId: other.userId,
          role: 'owner',
        }),
      ),
    ).toBe('FORBIDDEN:FORBIDDEN');
    expect(
      await refusalOf(
        callerAs(env.runtime, admin.key).organizations.removeMember({ organizationId: id, userId: owner.userId }),
      ),
    ).toBe('FORBIDDEN:OUTRANKED');
    // What an admin may do, they can.
    const promoted = await callerAs(env.runtime, admin.key).organizations.updateMemberRole({
      organizationId: id,
      userId: other.userId,
      role: 'member',
    });
    expect(promoted.role).toBe('member');
    expect(await auditActions(id)).toContain('member.role_changed');
  });

  it('keeps at least one owner, even against two parallel removals: the loser is no longer a member', async () => {
    const fresh = await ownerWithKey(env.db.orm);
    const co = await memberWithKey(env.db.orm, fresh.organizationId, 'member');
    await callerAs(env.runtime, fresh.key).organizations.updateMemberRole({
      organizationId: fresh.organizationId,
      userId: co.userId,
      role: 'owner',
    });
    const results = await Promise.allSettled([
      callerAs(env.runtime, fresh.key).organizations.removeMember({
        organizationId: fresh.organizationId,
        userId: co.userId,
      }),
      callerAs(env.runtime, co.key).organizations.removeMember({
        organizationId: fresh.organizationId,
        userId: fresh.userId,
      }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    // Authority is read under the organization's lock: whoever lost was removed by the winner first.
    expect((lost?.reason as { cause?: { reason?: string } } | undefined)?.cause?.reason).toBe('NOT_FOUND');
    const [{ n } = { n: -1 }] = await env.db.orm.em
      .fork()
      .execute<{ n: number }[]>(
        `select count(*)::int as n from memberships where organization_id = ? and role = 'owner'`,
        [fresh.organizationId],
      );
    expect(n).toBe(1);
  });

  it('refuses to remove or demote the last owner, and transfers ownership', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const id = owner.organizationId;
    const admin = await memberWithKey(env.db.orm, id, 'admin');
    expect(
      await refusalOf(
        callerAs(env.runtime, owner.key).organizations.removeMember({ organizationId: id, userId: owner.userId }),
      ),
    ).toBe('CONFLICT:LAST_OWNER');
    expect(
      await refusalOf(
        callerAs(env.runtime, admin.key).organizations.transferOwnership({ organizationId: id, userId: admin.userId }),
      ),
    ).toBe('FORBIDDEN:FORBIDDEN');
    const next = await callerAs(env.runtime, owner.key).organizations.transferOwnership({
      organizationId: id,
      userId: admin.userId,
    });
    expect(next.role).toBe('owner');
    const me = await callerAs(env.runtime, owner.key).auth.whoami();
    expect(me.roles).toEqual(['admin']);
  });

  it('ends a removed member’s keys at once', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const member = await memberWithKey(env.db.orm, owner.organizationId, 'member');
    expect((await callerAs(env.runtime, member.key).auth.whoami()).roles).toEqual(['member']);
    await callerAs(env.runtime, owner.key).organizations.removeMember({
      organizationId: owner.organizationId,
      userId: member.userId,
    });
    expect((await rejectionOf(callerAs(env.runtime, member.key).auth.whoami())).code).toBe('UNAUTHORIZED');
  });

  it('answers NOT_FOUND for another tenant on every id-taking procedure and writes no audit for reads', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const other = await ownerWithKey(env.db.orm);
    const o = { organizationId: other.organizationId };
    const me = callerAs(env.runtime, owner.key).organizations;
    const calls = [
      () => me.retrieve(o),
      () => me.update({ ...o, name: 'x' }),
      () => me.delete(o),
      () => me.members(o),
      () => me.addMember({ ...o, userId: owner.userId }),
      () => me.removeMember({ ...o, userId: other.userId }),
      () => me.updateMemberRole({ ...o, userId: other.userId, role: 'member' }),
      () => me.transferOwnership({ ...o, userId: owner.userId }),
      () => me.listIdentities(o),
    ];
    for (const call of calls) expect(await refusalOf(call())).toBe('NOT_FOUND:NOT_FOUND');
    const before = (await auditActions(owner.organizationId)).length;
    await me.members({ organizationId: owner.organizationId });
    await me.retrieve({ organizationId: owner.organizationId });
    await me.listIdentities({ organizationId: owner.organizationId });
    expect((await auditActions(owner.organizationId)).length).toBe(before);
  });
});
