import { AuditEvent, Membership, newId } from '@gatehouse/db';
import { describe, expect, it } from 'vitest';
import { membershipOf } from '../access/membership.js';
import type { AppError } from '../core/errors.js';
import type { Permission } from '../core/permissions.js';
import type { Runtime } from '../infra/caller.js';
import {
  bearer,
  callerFor,
  memberWithKey,
  ownerWithKey,
  platformAdminWithKey,
  refusalOf,
  rejectionOf,
  startTestRuntime,
  useTestRuntime,
} from '../testing/fixtures.js';

const env = useTestRuntime();

const as = (key: string, runtime: Runtime = env.runtime) => callerFor(runtime, bearer(key));
const em = () => env.db.orm.em.fork();

/** The tRPC code and, for an AppError, its reason and details. */
async function failure(promise: Promise<unknown>) {
  const error = await rejectionOf(promise);
  const cause = error.cause as AppError | undefined;
  return { code: error.code, reason: cause?.reason, message: error.message, details: cause?.details };
}

let slug = 0;
const uniqueKey = (base: string) => `${base}-${++slug}`;

/** A new organization with one custom role, and `add` to create more roles there as its owner. */
async function ownerWithRole(permissions: Permission[], key = uniqueKey('custom')) {
  const owner = await ownerWithKey(env.db.orm);
  const { organizationId } = owner;
  const add = (permissions: Permission[], key = uniqueKey('role')) =>
    as(owner.key).roles.create({ organizationId, key, name: key, permissions });
  return { owner, organizationId, add, role: await add(permissions, key) };
}

const canList = (key: string, organizationId: string, runtime?: Runtime) =>
  as(key, runtime)
    .roles.list({ organizationId })
    .then(
      () => true,
      () => false,
    );

async function eventually(fn: () => Promise<boolean>, timeoutMs = 2000): Promise<void> {
  const started = Date.now();
  while (!(await fn())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The organization's role.* audit events, sorted by action: ids minted within one millisecond do not sort by time. */
const auditOf = async (organizationId: string) =>
  (await em().find(AuditEvent, { organizationId, action: { $like: 'role.%' } })).sort((a, b) =>
    a.action.localeCompare(b.action),
  );

describe('roles.list', () => {
  it('lists the built-in roles and the custom ones with their member counts', async () => {
    const { owner, role, organizationId } = await ownerWithRole(['projects:read', 'roles:read']);
    await memberWithKey(env.db.orm, organizationId, role.key);
    await memberWithKey(env.db.orm, organizationId, role.key);
    await memberWithKey(env.db.orm, organizationId, 'viewer');
    const roles = await as(owner.key).roles.list({ organizationId });
    expect(roles.map((r) => [r.key, r.builtIn, r.memberCount])).toEqual([
      ['owner', true, 1],
      ['admin', true, 0],
      ['member', true, 0],
      ['viewer', true, 1],
      [role.key, false, 2],
    ]);
    expect(roles[0]).toMatchObject({ id: null, name: 'Owner', scope: 'organization' });
    expect(roles[0]?.permissions).not.toContain('credits:grant');
    expect(roles[4]).toEqual({
      id: role.id,
      key: role.key,
      name: role.key,
      description: null,
      permissions: ['projects:read', 'roles:read'],
      builtIn: false,
      scope: 'organization',
      memberCount: 2,
    });
  });

  it("shows only the caller's organization's custom roles, and writes no audit event", async () => {
    const a = await ownerWithRole(['projects:read']);
    const b = await ownerWithRole(['projects:read']);
    const before = await em().count(AuditEvent, { organizationId: a.organizationId });
    const listed = await as(a.owner.key).roles.list({ organizationId: a.organizationId });
    expect(listed.filter((r) => !r.builtIn).map((r) => r.id)).toEqual([a.role.id]);
    expect(await refusalOf(as(a.owner.key).roles.list({ organizationId: b.organizationId }))).toBe(
      'NOT_FOUND:NOT_FOUND',
    );
    expect(await em().count(AuditEvent, { organizationId: a.organizationId })).toBe(before);
  });
});

describe('a member holding a custom role', () => {
  it('gets exactly its permissions', async () => {
    const { organizationId, role: reader, add } = await ownerWithRole(['members:read', 'roles:read']);
    const blind = await add(['members:read', 'projects:read']);
    const withRead = await memberWithKey(env.db.orm, organizationId, reader.key);
    const without = await memberWithKey(env.db.orm, organizationId, blind.key);

    expect((await membershipOf(env.runtime, em(), withRead.userId, organizationId))?.rolePermissions).toEqual([
      'members:read',
      'roles:read',
    ]);
    expect(await canList(withRead.key, organizationId)).toBe(true);
    expect(await failure(as(without.key).roles.list({ organizationId }))).toMatchObject({
      code: 'FORBIDDEN',
      message: 'Requires roles:read',
    });
    expect(
      await refusalOf(
        as(withRead.key).roles.create({ organizationId, key: 'x-1', name: 'x', permissions: ['members:read'] }),
      ),
    ).toBe('FORBIDDEN:FORBIDDEN');
  });

  it('gains and loses permissions the moment the role changes, in every process', async () => {
    const { owner, role, organizationId } = await ownerWithRole(['members:read']);
    const member = await memberWithKey(env.db.orm, organizationId, role.key);
    const otherProcess = await startTestRuntime(env.db);
    try {
      // Both processes now hold the member's principal in their caches.
      expect(await canList(member.key, organizationId)).toBe(false);
      expect(await canList(member.key, organizationId, otherProcess)).toBe(false);
      expect(env.runtime.principals.size).toBeGreaterThan(0);

      await as(owner.key).roles.update({
        organizationId,
        roleId: role.id,
        permissions: ['members:read', 'roles:read'],
      });
      expect(await canList(member.key, organizationId)).toBe(true);
      await eventually(() => canList(member.key, organizationId, otherProcess));

      await as(owner.key).roles.update({ organizationId, roleId: role.id, permissions: ['members:read'] });
      expect(await canList(member.key, organizationId)).toBe(false);
      await eventually(async () => !(await canList(member.key, organizationId, otherProcess)));
    } finally {
      await otherProcess.stop();
    }
  });
});

describe('privilege escalation', () => {
  it('nobody creates or edits a role granting what they do not hold', async () => {
    const { organizationId, add, role: weak } = await ownerWithRole(['members:read']);
    const manager = await add(['roles:read', 'roles:write', 'members:read']);
    const strong = await add(['members:read', 'members:remove']);
    const m = await memberWithKey(env.db.orm, organizationId, manager.key);

    const create = await failure(
      as(m.key).roles.create({
        organizationId,
        key: 'remover',
        name: 'Remover',
        permissions: ['members:read', 'members:remove'],
      }),
    );
    expect(create).toMatchObject({ code: 'FORBIDDEN', details: { missing: ['members:remove'] } });
    expect(create.message).toContain('members:remove');
    // Adding it to a weaker role, or touching a role that has it, even only to rename it.
    expect(
      await refusalOf(
        as(m.key).roles.update({ organizationId, roleId: weak.id, permissions: ['members:read', 'members:remove'] }),
      ),
    ).toBe('FORBIDDEN:FORBIDDEN');
    expect(await refusalOf(as(m.key).roles.update({ organizationId, roleId: strong.id, name: 'Mine now' }))).toBe(
      'FORBIDDEN:FORBIDDEN',
    );
    expect(
      await refusalOf(as(m.key).roles.update({ organizationId, roleId: strong.id, permissions: ['members:read'] })),
    ).toBe('FORBIDDEN:FORBIDDEN');
    expect(await refusalOf(as(m.key).roles.delete({ organizationId, roleId: strong.id }))).toBe('FORBIDDEN:FORBIDDEN');

    // Within what they hold, they may.
    const ok = await as(m.key).roles.create({
      organizationId,
      key: 'reader',
      name: 'Reader',
      permissions: ['members:read'],
    });
    expect(ok.permissions).toEqual(['members:read']);
    const roles = await as(m.key).roles.list({ organizationId });
    expect(roles.find((r) => r.id === strong.id)?.permissions).toEqual(['members:read', 'members:remove']);
    expect(roles.find((r) => r.id === weak.id)?.permissions).toEqual(['members:read']);
  });

  it("a key's scopes bound what it can grant, and credits:grant is no role's", async () => {
    const owner = await ownerWithKey(env.db.orm);
    const { organizationId } = owner;
    const scoped = await as(owner.key).auth.createKey({ name: 'roles only', scopes: ['roles:read', 'roles:write'] });
    expect(
      await refusalOf(
        as(scoped.key).roles.create({ organizationId, key: 'wide', name: 'Wide', permissions: ['members:read'] }),
      ),
    ).toBe('FORBIDDEN:FORBIDDEN');
    // Not even a platform admin, who holds credits:grant, can put it in a role.
    const operator = await platformAdminWithKey(env.db.orm);
    expect(
      await refusalOf(
        as(operator.key).roles.create({
          organizationId: operator.organizationId,
          key: 'biller',
          name: 'B',
          permissions: ['credits:grant'],
        }),
      ),
    ).toBe('BAD_REQUEST:BAD_REQUEST');
  });

  it('a viewer or member cannot create roles', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const { organizationId } = owner;
    for (const builtIn of ['viewer', 'member']) {
      const user = await memberWithKey(env.db.orm, organizationId, builtIn);
      expect(
        await failure(
          as(user.key).roles.create({ organizationId, key: 'sneaky', name: 'S', permissions: ['projects:read'] }),
        ),
      ).toMatchObject({ code: 'FORBIDDEN', message: 'Requires roles:write' });
      expect(await canList(user.key, organizationId)).toBe(true);
    }
    expect(await auditOf(organizationId)).toEqual([]);
  });
});

describe('built-in roles', () => {
  it('let owners and admins manage roles, and every member read them', async () => {
    const { owner, organizationId, role } = await ownerWithRole(['projects:read']);
    for (const builtIn of ['admin', 'member', 'viewer'] as const) {
      const { key } = await memberWithKey(env.db.orm, organizationId, builtIn);
      const manages = builtIn === 'admin';
      expect(await canList(key, organizationId), builtIn).toBe(true);
      const rename = as(key).roles.update({ organizationId, roleId: role.id, name: `By ${builtIn}` });
      if (manages) expect((await rename).name).toBe('By admin');
      else expect(await refusalOf(rename), builtIn).toBe('FORBIDDEN:FORBIDDEN');
    }
    expect((await as(owner.key).roles.update({ organizationId, roleId: role.id, name: 'By owner' })).name).toBe(
      'By owner',
    );
  });
});

describe('role keys', () => {
  it('reserves the built-in keys and refuses a duplicate', async () => {
    const { owner, role, organizationId } = await ownerWithRole(['projects:read'], 'ops');
    const create = (key: string) =>
      as(owner.key).roles.create({ organizationId, key, name: key, permissions: ['projects:read'] });
    for (const key of ['owner', 'admin', 'member', 'viewer', 'user', role.key]) {
      expect(await refusalOf(create(key)), key).toBe('CONFLICT:CONFLICT');
    }
    // Another organization may use the same key.
    expect((await ownerWithRole(['projects:read'], 'ops')).role.key).toBe('ops');
  });

  it('lets exactly one of two concurrent creates of a key win', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const { organizationId } = owner;
    const create = () =>
      as(owner.key).roles.create({ organizationId, key: 'racer', name: 'Racer', permissions: ['projects:read'] });
    const results = await Promise.allSettled([create(), create(), create()]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect(await refusalOf(Promise.reject(r.reason))).toBe('CONFLICT:CONFLICT');
    }
    expect((await as(owner.key).roles.list({ organizationId })).filter((r) => r.key === 'racer')).toHaveLength(1);
  });

  it('validates keys and permission lists, and rejects unknown fields', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const { organizationId } = owner;
    const create = (input: Record<string, unknown>) =>
      as(owner.key).roles.create({
        organizationId,
        key: 'fine',
        name: 'Fine',
        permissions: ['projects:read'],
        ...input,
      });
    for (const bad of [
      { key: 'Ops' },
      { key: 'a' },
      { key: '1ops' },
      { key: 'ops_team' },
      { permissions: [] },
      { permissions: ['projects:read', 'projects:read'] },
      { permissions: ['nope:read'] },
      { name: ' ' },
      { extra: true },
    ]) {
      expect(await refusalOf(create(bad)), JSON.stringify(bad)).toBe('BAD_REQUEST:BAD_REQUEST');
    }
  });
});

describe('roles.update', () => {
  it('changes only what is given and audits the before and after', async () => {
    const { owner, role, organizationId } = await ownerWithRole(['projects:read']);
    const updated = await as(owner.key).roles.update({
      organizationId,
      roleId: role.id,
      description: 'Ships things',
      permissions: ['projects:write', 'projects:read'],
    });
    expect(updated).toMatchObject({
      name: role.name,
      description: 'Ships things',
      permissions: ['projects:read', 'projects:write'],
    });
    // Nothing changed: no event.
    await as(owner.key).roles.update({ organizationId, roleId: role.id, name: role.name });
    const events = await auditOf(organizationId);
    expect(events.map((e) => e.action)).toEqual(['role.created', 'role.updated']);
    expect(events[1]).toMatchObject({
      actorType: 'apiKey',
      actorId: owner.keyId,
      targetType: 'role',
      targetId: role.id,
      changes: {
        description: { from: null, to: 'Ships things' },
        permissions: { from: ['projects:read'], to: ['projects:read', 'projects:write'] },
      },
    });
    expect(events[1]?.changes).not.toHaveProperty('name');
    expect(events[0]).toMatchObject({
      targetId: role.id,
      changes: { key: { from: null, to: role.key }, permissions: { from: null, to: ['projects:read'] } },
    });
  });

  it("answers NOT_FOUND for another organization's role; a built-in role has no id to edit", async () => {
    const a = await ownerWithRole(['projects:read']);
    const b = await ownerWithRole(['projects:read']);
    const { organizationId } = a;
    expect(await refusalOf(as(a.owner.key).roles.update({ organizationId, roleId: b.role.id, name: 'Stolen' }))).toBe(
      'NOT_FOUND:NOT_FOUND',
    );
    expect(await refusalOf(as(a.owner.key).roles.delete({ organizationId, roleId: b.role.id }))).toBe(
      'NOT_FOUND:NOT_FOUND',
    );
    expect(
      await refusalOf(
        as(a.owner.key).roles.update({ organizationId: b.organizationId, roleId: b.role.id, name: 'Stolen' }),
      ),
    ).toBe('NOT_FOUND:NOT_FOUND');
    expect(await refusalOf(as(a.owner.key).roles.update({ organizationId, roleId: newId('role'), name: 'X' }))).toBe(
      'NOT_FOUND:NOT_FOUND',
    );
    // A built-in role has no id.
    expect(await refusalOf(as(a.owner.key).roles.update({ organizationId, roleId: 'admin', name: 'X' }))).toBe(
      'BAD_REQUEST:BAD_REQUEST',
    );
    expect((await as(b.owner.key).roles.list({ organizationId: b.organizationId })).at(-1)?.name).toBe(b.role.name);
    expect(await auditOf(b.organizationId)).toHaveLength(1);
  });
});

describe('roles.delete', () => {
  it('refuses while members hold the role, and moves them with reassignTo', async () => {
    const { owner, role, organizationId } = await ownerWithRole(['members:read', 'roles:read']);
    const member = await memberWithKey(env.db.orm, organizationId, role.key);
    expect(await canList(member.key, organizationId)).toBe(true);

    expect(await failure(as(owner.key).roles.delete({ organizationId, roleId: role.id }))).toMatchObject({
      code: 'CONFLICT',
      reason: 'HAS_DEPENDENCIES',
      details: { members: 1 },
    });
    expect(await refusalOf(as(owner.key).roles.delete({ organizationId, roleId: role.id, reassignTo: 'owner' }))).toBe(
      'BAD_REQUEST:BAD_REQUEST',
    );
    expect(
      await refusalOf(as(owner.key).roles.delete({ organizationId, roleId: role.id, reassignTo: 'missing' })),
    ).toBe('NOT_FOUND:NOT_FOUND');

    const deleted = await as(owner.key).roles.delete({ organizationId, roleId: role.id, reassignTo: 'member' });
    expect(deleted).toEqual({ id: role.id, deleted: true, reassignedTo: 'member', reassignedMembers: 1 });
    expect((await em().findOneOrFail(Membership, { organizationId, userId: member.userId })).role).toBe('member');
    // whoami answers from the cached principal, which was evicted when the member moved.
    expect((await as(member.key).auth.whoami()).roles).toEqual(['member']);
    const roles = await as(owner.key).roles.list({ organizationId });
    expect(roles.some((r) => r.key === role.key)).toBe(false);
    expect(roles.find((r) => r.key === 'member')?.memberCount).toBe(1);

    const events = await em().find(AuditEvent, { organizationId }, { orderBy: { id: 'asc' } });
    // Ids minted in one millisecond do not sort by creation, so compare as a set.
    expect(
      events
        .map((e) => e.action)
        .filter((a) => /^(role|member)\./.test(a))
        .sort(),
    ).toEqual(['member.role_changed', 'role.created', 'role.deleted']);
    expect(events.find((e) => e.action === 'member.role_changed')).toMatchObject({
      targetId: member.userId,
      changes: { role: { from: role.key, to: 'member' } },
    });
    expect(events.find((e) => e.action === 'role.deleted')).toMatchObject({
      targetId: role.id,
      changes: { key: { from: role.key, to: null }, permissions: { from: ['members:read', 'roles:read'], to: null } },
    });
  });

  it("takes the member's permissions away at once when they move to a weaker role", async () => {
    const { owner, role, organizationId, add } = await ownerWithRole(['roles:read']);
    const other = await add(['projects:read']);
    const member = await memberWithKey(env.db.orm, organizationId, role.key);
    expect(await canList(member.key, organizationId)).toBe(true);
    await as(owner.key).roles.delete({ organizationId, roleId: role.id, reassignTo: other.key });
    expect(await canList(member.key, organizationId)).toBe(false);
  });

  it('needs the caller to hold everything the target role grants', async () => {
    const { organizationId, add, role: doomed } = await ownerWithRole(['projects:read']);
    const manager = await add(['roles:read', 'roles:write', 'projects:read']);
    const strong = await add(['projects:read', 'members:remove']);
    const fallback = await add(['projects:read']);
    const m = await memberWithKey(env.db.orm, organizationId, manager.key);
    await memberWithKey(env.db.orm, organizationId, doomed.key);
    expect(await refusalOf(as(m.key).roles.delete({ organizationId, roleId: doomed.id, reassignTo: strong.key }))).toBe(
      'FORBIDDEN:FORBIDDEN',
    );
    expect(await refusalOf(as(m.key).roles.delete({ organizationId, roleId: doomed.id, reassignTo: 'admin' }))).toBe(
      'FORBIDDEN:FORBIDDEN',
    );
    expect(await as(m.key).roles.delete({ organizationId, roleId: doomed.id, reassignTo: fallback.key })).toMatchObject(
      {
        reassignedMembers: 1,
      },
    );
  });

  it("treats the organization's default role as a dependency", async () => {
    const { owner, role, organizationId } = await ownerWithRole(['projects:read']);
    await em().execute(`update organizations set settings = ? where id = ?`, [
      JSON.stringify({ defaultRole: role.key }),
      organizationId,
    ]);
    expect(await failure(as(owner.key).roles.delete({ organizationId, roleId: role.id }))).toMatchObject({
      reason: 'HAS_DEPENDENCIES',
      details: { members: 0, defaultRole: true },
    });
    await as(owner.key).roles.delete({ organizationId, roleId: role.id, reassignTo: 'viewer' });
    const [row] = await em().execute<{ settings: { defaultRole: string } }[]>(
      'select settings from organizations where id = ?',
      [organizationId],
    );
    expect(row?.settings.defaultRole).toBe('viewer');
  });

  it('deletes an unused role once; then it is gone', async () => {
    const { owner, role, organizationId } = await ownerWithRole(['projects:read']);
    expect(await as(owner.key).roles.delete({ organizationId, roleId: role.id })).toMatchObject({
      reassignedTo: null,
      reassignedMembers: 0,
    });
    expect(await refusalOf(as(owner.key).roles.delete({ organizationId, roleId: role.id }))).toBe(
      'NOT_FOUND:NOT_FOUND',
    );
    expect((await auditOf(organizationId)).map((e) => e.action)).toEqual(['role.created', 'role.deleted']);
  });
});
