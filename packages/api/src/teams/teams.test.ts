// Teams, projects, external collaborators and "why can X do Y" (issue 15), on real PostgreSQL.
import { describe, expect, it } from 'vitest';
import { bearer, callerFor, ownerWithKey, rejectionOf, startTestRuntime, useTestRuntime } from '../testing/fixtures.js';
import { type SeededAccount, seedAccounts } from '../testing/matrix.js';
import { ensureEveryone } from './service.js';

const env = useTestRuntime();
const orm = () => env.db.orm;
const as = (credential: string, organization?: string) =>
  callerFor(env.runtime, {
    ...bearer(credential),
    ...(organization ? { 'x-gatehouse-organization': organization } : {}),
  });

/** Polls `check` until it holds (another process hears of a change through NOTIFY), for at most 5 s. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('never happened');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const reason = (error: { cause?: unknown }) => (error.cause as { reason?: string } | undefined)?.reason;

/** An organization with an owner and a viewer, each with a key and a session. */
async function organization() {
  const owner = await ownerWithKey(orm());
  const [viewer] = await seedAccounts(orm(), [
    {
      memberOf: { organizationId: owner.organizationId, role: 'viewer' },
      managedBy: owner.organizationId,
      key: { organizationId: owner.organizationId, scopes: null },
      session: true,
    },
  ]);
  return { owner, viewer: viewer as SeededAccount, organizationId: owner.organizationId };
}

describe('teams', () => {
  it('makes the everyone team once when its first askers come in parallel, none of them failing', async () => {
    const { organizationId } = await organization();
    // Rounds, as the collision it guards against (on the name index, not the everyone one) is a race.
    for (let round = 0; round < 6; round++) {
      await orm().em.fork().execute('delete from teams where organization_id = ? and is_everyone', [organizationId]);
      // Each on its own connection, all sent before any answers.
      const results = await Promise.allSettled(
        Array.from({ length: 16 }, () => ensureEveryone(orm().em.fork(), organizationId)),
      );
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    }
    const [row] = await orm()
      .em.fork()
      .execute<{ n: string }[]>('select count(*) as n from teams where organization_id = ? and is_everyone', [
        organizationId,
      ]);
    expect(Number(row?.n)).toBe(1);
  });

  it('gives its members the roles it holds, from the very next request, through keys and sessions alike', async () => {
    const { owner, viewer, organizationId } = await organization();
    const key = as(viewer.key as string);
    const session = as(viewer.sessionToken as string, organizationId);
    // A viewer cannot create a team (teams:write)...
    expect(reason(await rejectionOf(key.teams.create({ organizationId, name: 'x' })))).toBe('FORBIDDEN');
    const team = await as(owner.key).teams.create({ organizationId, name: 'Platform' });
    await as(owner.key).teams.grantRole({ organizationId, teamId: team.id, role: 'admin' });
    // ...and the team's role reaches nobody outside it (warming both credentials' caches).
    expect(reason(await rejectionOf(key.teams.create({ organizationId, name: 'y' })))).toBe('FORBIDDEN');
    expect(reason(await rejectionOf(session.teams.create({ organizationId, name: 'y' })))).toBe('FORBIDDEN');

    await as(owner.key).teams.addMember({ organizationId, teamId: team.id, userId: viewer.userId });
    await expect(key.teams.create({ organizationId, name: 'by key' })).resolves.toMatchObject({ name: 'by key' });
    await expect(session.teams.create({ organizationId, name: 'by session' })).resolves.toMatchObject({
      name: 'by session',
    });
    // users.* decide with the same bindings.
    await expect(key.users.list({})).resolves.toBeTruthy();

    await as(owner.key).teams.removeMember({ organizationId, teamId: team.id, userId: viewer.userId });
    expect(reason(await rejectionOf(key.teams.create({ organizationId, name: 'z' })))).toBe('FORBIDDEN');
    expect(reason(await rejectionOf(session.teams.create({ organizationId, name: 'z' })))).toBe('FORBIDDEN');
  });

  it('drops inherited access in every server process once a team change commits', async () => {
    const { owner, viewer, organizationId } = await organization();
    const other = await startTestRuntime(env.db);
    try {
      const team = await as(owner.key).teams.create({ organizationId, name: 'Everywhere' });
      await as(owner.key).teams.grantRole({ organizationId, teamId: team.id, role: 'admin' });
      await as(owner.key).teams.addMember({ organizationId, teamId: team.id, userId: viewer.userId });
      const canRead = async (runtime: typeof other) =>
        callerFor(runtime, bearer(viewer.key as string))
          .audit.list({ organizationId })
          .then(
            () => true,
            () => false,
          );
      await eventually(() => canRead(other));
      await as(owner.key).teams.removeMember({ organizationId, teamId: team.id, userId: viewer.userId });
      expect(await canRead(env.runtime)).toBe(false);
      await eventually(async () => !(await canRead(other)));
    } finally {
      await other.stop();
    }
  });

  it('has a built-in everyone team whose roles reach every member and which cannot be deleted or joined', async () => {
    const { owner, viewer, organizationId } = await organization();
    const { items } = await as(owner.key).teams.list({ organizationId });
    const everyone = items.find((t) => t.isEveryone);
    expect(everyone).toMatchObject({ name: 'everyone', memberCount: 2, roles: [] });
    const id = everyone?.id as string;
    const deleted = await rejectionOf(as(owner.key).teams.delete({ organizationId, teamId: id }));
    expect([deleted.code, reason(deleted)]).toEqual(['CONFLICT', 'CONFLICT']);
    const joined = await rejectionOf(
      as(owner.key).teams.addMember({ organizationId, teamId: id, userId: viewer.userId }),
    );
    expect([joined.code, reason(joined)]).toEqual(['CONFLICT', 'CONFLICT']);
    expect((await as(owner.key).teams.members({ organizationId, teamId: id })).items).toHaveLength(2);

    const project = await as(owner.key).projects.create({ organizationId, name: 'Engine' });
    expect(
      reason(
        await rejectionOf(
          as(viewer.key as string).projects.update({ organizationId, projectId: project.id, name: 'v' }),
        ),
      ),
    ).toBe('FORBIDDEN');
    await as(owner.key).teams.grantRole({ organizationId, teamId: id, role: 'project_editor', projectId: project.id });
    await expect(
      as(viewer.key as string).projects.update({ organizationId, projectId: project.id, name: 'renamed' }),
    ).resolves.toMatchObject({ name: 'renamed' });
  });

  it('lets a maintainer manage the membership only, and nobody grant a role above their own', async () => {
    const { owner, viewer, organizationId } = await organization();
    const [other] = await seedAccounts(orm(), [{ memberOf: { organizationId, role: 'member' } }]);
    const team = await as(owner.key).teams.create({ organizationId, name: 'Core' });
    await as(owner.key).teams.addMember({ organizationId, teamId: team.id, userId: viewer.userId, role: 'maintainer' });
    const maintainer = as(viewer.key as string);
    // A viewer outranks no member: the hierarchy holds for maintainers too.
    const outranked = await rejectionOf(
      maintainer.teams.addMember({ organizationId, teamId: team.id, userId: (other as SeededAccount).userId }),
    );
    expect([outranked.code, reason(outranked)]).toEqual(['FORBIDDEN', 'OUTRANKED']);
    const [peer] = await seedAccounts(orm(), [{ memberOf: { organizationId, role: 'viewer' } }]);
    await expect(
      maintainer.teams.addMember({ organizationId, teamId: team.id, userId: (peer as SeededAccount).userId }),
    ).resolves.toMatchObject({ role: 'member' });
    // Membership only: the team's roles, name and existence are teams:write's.
    for (const call of [
      maintainer.teams.grantRole({ organizationId, teamId: team.id, role: 'viewer' }),
      maintainer.teams.update({ organizationId, teamId: team.id, name: 'Mine' }),
      maintainer.teams.delete({ organizationId, teamId: team.id }),
    ]) {
      expect(reason(await rejectionOf(call))).toBe('FORBIDDEN');
    }
    // An admin cannot hand a team owner, nor a role they lack; a team holding admin takes an admin to join.
    const [admin] = await seedAccounts(orm(), [
      { memberOf: { organizationId, role: 'admin' }, key: { organizationId, scopes: null } },
    ]);
    const adminKey = as((admin as SeededAccount).key as string);
    const owned = await rejectionOf(adminKey.teams.grantRole({ organizationId, teamId: team.id, role: 'owner' }));
    expect([owned.code, reason(owned)]).toEqual(['BAD_REQUEST', 'BAD_REQUEST']);
    await as(owner.key).teams.grantRole({ organizationId, teamId: team.id, role: 'admin' });
    // The maintainer now inherits admin through the team: they outrank the peer, who leaves the team.
    await expect(
      maintainer.teams.removeMember({ organizationId, teamId: team.id, userId: (peer as SeededAccount).userId }),
    ).resolves.toEqual({ ok: true });
  });

  it('ranks a member by what their teams give them too: the hierarchy protects inherited roles', async () => {
    const { owner, organizationId } = await organization();
    const roleKey = `remover-${Date.now()}`;
    await as(owner.key).roles.create({
      organizationId,
      key: roleKey,
      name: 'Remover',
      permissions: ['members:read', 'members:remove'],
    });
    const [remover, target] = await seedAccounts(orm(), [
      { memberOf: { organizationId, role: roleKey }, key: { organizationId, scopes: null } },
      { memberOf: { organizationId, role: 'viewer' } },
    ]);
    const targetId = (target as SeededAccount).userId;
    const team = await as(owner.key).teams.create({ organizationId, name: 'Admins' });
    await as(owner.key).teams.grantRole({ organizationId, teamId: team.id, role: 'admin' });
    await as(owner.key).teams.addMember({ organizationId, teamId: team.id, userId: targetId });
    const refused = await rejectionOf(
      as((remover as SeededAccount).key as string).organizations.removeMember({ organizationId, userId: targetId }),
    );
    expect([refused.code, reason(refused)]).toEqual(['FORBIDDEN', 'OUTRANKED']);
  });

  it('keeps a custom role a team holds from being deleted unless its holders are reassigned', async () => {
    const { owner, organizationId } = await organization();
    const role = await as(owner.key).roles.create({
      organizationId,
      key: `ops-${Date.now()}`,
      name: 'Ops',
      permissions: ['projects:read', 'teams:read'],
    });
    const team = await as(owner.key).teams.create({ organizationId, name: 'Ops' });
    await as(owner.key).teams.grantRole({ organizationId, teamId: team.id, role: role.key });
    const refused = await rejectionOf(as(owner.key).roles.delete({ organizationId, roleId: role.id }));
    expect([refused.code, reason(refused)]).toEqual(['CONFLICT', 'HAS_DEPENDENCIES']);
    await as(owner.key).roles.delete({ organizationId, roleId: role.id, reassignTo: 'viewer' });
    const after = await as(owner.key).teams.retrieve({ organizationId, teamId: team.id });
    expect(after.roles).toEqual([{ role: 'viewer', resource: { type: 'organization', id: organizationId } }]);
  });

  it('removes a deleted team’s bindings in the same transaction and audits every binding change', async () => {
    const { owner, viewer, organizationId } = await organization();
    const team = await as(owner.key).teams.create({ organizationId, name: 'Temp' });
    await as(owner.key).teams.grantRole({ organizationId, teamId: team.id, role: 'admin' });
    await as(owner.key).teams.addMember({ organizationId, teamId: team.id, userId: viewer.userId });
    await expect(as(viewer.key as string).teams.list({ organizationId, search: 'zzz' })).resolves.toBeTruthy();
    await as(owner.key).teams.delete({ organizationId, teamId: team.id });
    const [count] = await orm()
      .em.fork()
      .execute<{ n: number }[]>('select count(*)::int as n from role_bindings where team_id = ?', [team.id]);
    expect(count?.n).toBe(0);
    expect(reason(await rejectionOf(as(viewer.key as string).teams.create({ organizationId, name: 'q' })))).toBe(
      'FORBIDDEN',
    );
    const audit = await as(owner.key).audit.list({ organizationId });
    expect(audit.items.map((e) => e.action)).toEqual(
      expect.arrayContaining(['team.created', 'role_binding.granted', 'team.member_added', 'team.deleted']),
    );
  });

  it('refuses to delete a user in a team other than everyone, or collaborating on a project', async () => {
    const { owner, organizationId } = await organization();
    const [member] = await seedAccounts(orm(), [
      { memberOf: { organizationId, role: 'member' }, managedBy: organizationId },
    ]);
    const userId = (member as SeededAccount).userId;
    const team = await as(owner.key).teams.create({ organizationId, name: 'Keepers' });
    await as(owner.key).teams.addMember({ organizationId, teamId: team.id, userId });
    const refused = await rejectionOf(as(owner.key).users.delete({ userId }));
    expect([refused.code, reason(refused)]).toEqual(['CONFLICT', 'HAS_DEPENDENCIES']);
    await as(owner.key).teams.removeMember({ organizationId, teamId: team.id, userId });
    const project = await as(owner.key).projects.create({ organizationId, name: 'P' });
    await as(owner.key).projects.addCollaborator({
      organizationId,
      projectId: project.id,
      userId,
      role: 'project_viewer',
    });
    const again = await rejectionOf(as(owner.key).users.delete({ userId }));
    expect([again.code, reason(again)]).toEqual(['CONFLICT', 'HAS_DEPENDENCIES']);
    await as(owner.key).projects.removeCollaborator({ organizationId, projectId: project.id, userId });
    await expect(as(owner.key).users.delete({ userId })).resolves.toEqual({ ok: true });
  });
});

describe('projects and external collaborators', () => {
  it('lets an external collaborator reach their project only, and nothing organization-wide', async () => {
    const { owner, organizationId } = await organization();
    const [guest] = await seedAccounts(orm(), [
      { memberOf: { organizationId, role: 'member' }, managedBy: null, session: true },
    ]);
    const guestId = (guest as SeededAccount).userId;
    const mine = await as(owner.key).projects.create({ organizationId, name: 'Shared' });
    const other = await as(owner.key).projects.create({ organizationId, name: 'Secret' });
    await as(owner.key).projects.addCollaborator({
      organizationId,
      projectId: mine.id,
      userId: guestId,
      role: 'project_editor',
    });
    // Leaving the organization keeps the collaboration: they are now external.
    await as(owner.key).organizations.removeMember({ organizationId, userId: guestId });
    const members = await as(owner.key).organizations.members({ organizationId });
    expect(members.items.find((m) => m.userId === guestId)).toMatchObject({ external: true, role: 'external' });

    const external = as((guest as SeededAccount).sessionToken as string);
    expect((await external.projects.list({ organizationId })).items.map((p) => p.id)).toEqual([mine.id]);
    await expect(
      external.projects.update({ organizationId, projectId: mine.id, name: 'Edited' }),
    ).resolves.toMatchObject({
      name: 'Edited',
    });
    expect((await rejectionOf(external.projects.retrieve({ organizationId, projectId: other.id }))).code).toBe(
      'NOT_FOUND',
    );
    expect((await rejectionOf(external.organizations.members({ organizationId }))).code).toBe('NOT_FOUND');
    expect((await rejectionOf(external.teams.list({ organizationId }))).code).toBe('NOT_FOUND');
    // An editor neither deletes the project nor adds collaborators.
    expect((await rejectionOf(external.projects.delete({ organizationId, projectId: mine.id }))).code).toBe(
      'NOT_FOUND',
    );
    const invite = await rejectionOf(
      external.projects.addCollaborator({
        organizationId,
        projectId: mine.id,
        userId: owner.userId,
        role: 'project_viewer',
      }),
    );
    expect([invite.code, reason(invite)]).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    const retrieved = await external.projects.retrieve({ organizationId, projectId: mine.id, expand: ['permissions'] });
    expect(retrieved.permissions?.projects).toEqual({ read: true, write: true });
    expect(retrieved.permissions?.members).toEqual({ read: false, invite: false, update: false, remove: false });

    // Removing the collaboration ends the access on the next request.
    await as(owner.key).projects.removeCollaborator({ organizationId, projectId: mine.id, userId: guestId });
    expect((await rejectionOf(external.projects.retrieve({ organizationId, projectId: mine.id }))).code).toBe(
      'NOT_FOUND',
    );
  });

  it('treats ids from another organization as NOT_FOUND', async () => {
    const a = await organization();
    const b = await organization();
    const foreignTeam = await as(b.owner.key).teams.create({ organizationId: b.organizationId, name: 'B' });
    const foreignProject = await as(b.owner.key).projects.create({ organizationId: b.organizationId, name: 'B' });
    const own = a.organizationId;
    const ownTeam = await as(a.owner.key).teams.create({ organizationId: own, name: 'A' });
    const ownProject = await as(a.owner.key).projects.create({ organizationId: own, name: 'A' });
    const c = as(a.owner.key);
    const calls: (() => Promise<unknown>)[] = [
      () => c.teams.retrieve({ organizationId: own, teamId: foreignTeam.id }),
      () => c.teams.update({ organizationId: own, teamId: foreignTeam.id, name: 'x' }),
      () => c.teams.delete({ organizationId: own, teamId: foreignTeam.id }),
      () => c.teams.members({ organizationId: own, teamId: foreignTeam.id }),
      () => c.teams.addMember({ organizationId: own, teamId: foreignTeam.id, userId: a.viewer.userId }),
      () => c.teams.addMember({ organizationId: own, teamId: ownTeam.id, userId: b.viewer.userId }),
      () => c.teams.grantRole({ organizationId: own, teamId: foreignTeam.id, role: 'viewer' }),
      () =>
        c.teams.grantRole({
          organizationId: own,
          teamId: ownTeam.id,
          role: 'project_viewer',
          projectId: foreignProject.id,
        }),
      () => c.projects.retrieve({ organizationId: own, projectId: foreignProject.id }),
      () => c.projects.update({ organizationId: own, projectId: foreignProject.id, name: 'x' }),
      () => c.projects.delete({ organizationId: own, projectId: foreignProject.id }),
      () => c.projects.collaborators({ organizationId: own, projectId: foreignProject.id }),
      () =>
        c.projects.addCollaborator({
          organizationId: own,
          projectId: ownProject.id,
          teamId: foreignTeam.id,
          role: 'project_viewer',
        }),
      () =>
        c.projects.addCollaborator({
          organizationId: own,
          projectId: ownProject.id,
          userId: b.viewer.userId,
          role: 'project_viewer',
        }),
      () => c.permissions.explain({ organizationId: own, principalId: b.viewer.userId, permission: 'projects:read' }),
      () =>
        c.permissions.explain({
          organizationId: own,
          principalId: a.viewer.userId,
          permission: 'projects:read',
          resourceId: foreignProject.id,
        }),
    ];
    for (const call of calls) expect((await rejectionOf(call())).code).toBe('NOT_FOUND');
  });
});

describe('permissions', () => {
  it('explains why, naming the chain: role, team, project, scope — or what is missing', async () => {
    const { owner, viewer, organizationId } = await organization();
    const c = as(owner.key);
    const team = await c.teams.create({ organizationId, name: 'Writers' });
    const project = await c.projects.create({ organizationId, name: 'Docs' });
    await c.teams.grantRole({ organizationId, teamId: team.id, role: 'project_admin', projectId: project.id });
    await c.teams.addMember({ organizationId, teamId: team.id, userId: viewer.userId });
    const explainFor = (
      permission: 'projects:write' | 'projects:read' | 'members:invite',
      resourceId?: string,
      principalId = viewer.userId,
    ) => c.permissions.explain({ organizationId, principalId, permission, ...(resourceId ? { resourceId } : {}) });

    expect(await explainFor('projects:write')).toEqual({ allowed: false, chain: [], missing: 'role' });
    expect(await explainFor('projects:write', project.id)).toEqual({
      allowed: true,
      chain: [{ via: 'team', role: 'project_admin', teamId: team.id, projectId: project.id }],
    });
    expect(await explainFor('projects:read', project.id)).toEqual({
      allowed: true,
      chain: [
        { via: 'role', role: 'viewer' },
        { via: 'team', role: 'project_admin', teamId: team.id, projectId: project.id },
      ],
    });
    // Through a key scoped without it: granted, but the scope is the missing link.
    const [scoped] = await seedAccounts(orm(), []);
    void scoped;
    const keyRow = await orm()
      .em.fork()
      .execute<{ id: string }[]>(
        `insert into api_keys (id, key_prefix, secret_hash, name, user_id, organization_id, scopes, metadata, created_at, updated_at)
       values ('key_' || substr(md5(random()::text), 1, 26), 'gh_scoped', md5(random()::text), 'k', ?, ?, '{projects:read}', '{}', now(), now())
       returning id`,
        [viewer.userId, organizationId],
      );
    const keyId = keyRow[0]?.id as string;
    expect(await explainFor('projects:write', project.id, keyId)).toEqual({
      allowed: false,
      chain: [{ via: 'team', role: 'project_admin', teamId: team.id, projectId: project.id }],
      missing: 'scope',
    });
    expect(await explainFor('projects:read', project.id, keyId)).toMatchObject({ allowed: true });

    const { items } = await c.users.getPermissions({ userId: viewer.userId });
    expect(items).toContainEqual({
      permission: 'members:invite',
      resource: { type: 'project', id: project.id },
      via: 'team',
      role: 'project_admin',
      teamId: team.id,
      projectId: project.id,
    });
    expect((await c.users.getTeams({ userId: viewer.userId })).items.map((t) => t.team.name)).toEqual([
      'everyone',
      'Writers',
    ]);
    expect((await c.users.getResources({ userId: viewer.userId })).items).toEqual([
      { resource: { type: 'organization', id: organizationId, name: expect.any(String) }, role: 'viewer' },
      { resource: { type: 'project', id: project.id, name: 'Docs' }, role: 'project_admin' },
    ]);
  });

  it('lists the project roles with what they grant', async () => {
    const { owner, organizationId } = await organization();
    const roles = await as(owner.key).organizations.listRoles({ organizationId, scope: 'project' });
    expect(roles.map((r) => [r.key, r.permissions, r.scope])).toEqual([
      [
        'project_admin',
        ['projects:read', 'projects:write', 'members:read', 'members:invite', 'members:remove'],
        'project',
      ],
      ['project_editor', ['projects:read', 'projects:write'], 'project'],
      ['project_viewer', ['projects:read'], 'project'],
    ]);
  });
});
