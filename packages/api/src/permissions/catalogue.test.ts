// Permissions of the integrator's own (issue 27): registered by the operator, held through roles,
// bindings, scopes and tokens like built-in ones, and taken from everyone by a forced delete.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRegisteredPermission } from '../core/permissions.js';
import {
  callerAs,
  memberWithKey,
  ownerWithKey,
  platformAdminWithKey,
  refusalOf,
  rejectionOf,
  startTestRuntime,
  useTestRuntime,
} from '../testing/fixtures.js';
import { registerFromFile } from './catalogue.js';

const env = useTestRuntime();
let n = 0;
/** A fresh resource name per test, so the tests share the deployment's catalogue without meeting. */
const resource = () => `res${++n}x${Date.now().toString(36)}`;

const operator = async () => callerAs(env.runtime, (await platformAdminWithKey(env.db.orm)).platformKey);

describe('registered permissions', () => {
  it('are registered by the operator and listed in the catalogue for anyone signed in', async () => {
    const op = await operator();
    const key = `${resource()}:read`;
    const created = await op.platform.permissions.create({ key, description: 'Read things', grantedTo: ['member'] });
    expect(created).toMatchObject({
      key,
      builtIn: false,
      description: 'Read things',
      grantedTo: ['owner', 'admin', 'member'],
      heldBy: { roles: 0, keys: 0 },
    });
    const viewer = await memberWithKey(env.db.orm, (await ownerWithKey(env.db.orm)).organizationId, 'viewer');
    const { permissions } = await callerAs(env.runtime, viewer.key).permissions.catalogue();
    expect(permissions.find((p) => p.key === key)).toEqual({
      key,
      builtIn: false,
      description: 'Read things',
      grantedTo: ['owner', 'admin', 'member'],
    });
    expect(permissions.find((p) => p.key === 'members:invite')).toMatchObject({ builtIn: true });
    expect((await op.platform.permissions.list()).items.map((p) => p.key)).toContain(key);
    // Audited, deployment-wide.
    const [audit] = await env.db.orm.em
      .fork()
      .execute<{ action: string; organization_id: string | null }[]>(
        `select action, organization_id from audit_events where target_id = ? order by created_at`,
        [key],
      );
    expect(audit).toEqual({ action: 'permission.registered', organization_id: null });
  });

  it('refuse built-in names, resources and repeats, bad grammar, and an organization owner', async () => {
    const op = await operator();
    expect(await refusalOf(op.platform.permissions.create({ key: 'members:export' }))).toBe('BAD_REQUEST:BAD_REQUEST');
    expect(await refusalOf(op.platform.permissions.create({ key: 'platform:read' }))).toBe('BAD_REQUEST:BAD_REQUEST');
    expect(await refusalOf(op.platform.permissions.create({ key: 'Workflows:read' }))).toBe('BAD_REQUEST:BAD_REQUEST');
    expect(await refusalOf(op.platform.permissions.create({ key: 'workflows' }))).toBe('BAD_REQUEST:BAD_REQUEST');
    const key = `${resource()}:read`;
    await op.platform.permissions.create({ key });
    expect(await refusalOf(op.platform.permissions.create({ key }))).toBe('CONFLICT:CONFLICT');
    const owner = await ownerWithKey(env.db.orm);
    expect(await refusalOf(callerAs(env.runtime, owner.key).platform.permissions.create({ key: 'x:read' }))).toBe(
      'FORBIDDEN:FORBIDDEN',
    );
  });

  it('are held by owner and admin, by member and viewer only when granted, and name-checked everywhere', async () => {
    const op = await operator();
    const r = resource();
    await op.platform.permissions.create({ key: `${r}:read`, grantedTo: ['member'] });
    await op.platform.permissions.create({ key: `${r}:execute` });
    const owner = await ownerWithKey(env.db.orm);
    const gh = callerAs(env.runtime, owner.key);
    const member = await memberWithKey(env.db.orm, owner.organizationId, 'member');
    const viewer = await memberWithKey(env.db.orm, owner.organizationId, 'viewer');
    const verify = (key: string, permissions: string) => gh.keys.verify({ key, permissions });
    expect((await verify(owner.key, `${r}:read and ${r}:execute`)).code).toBe('VALID');
    expect((await verify(member.key, `${r}:read`)).code).toBe('VALID');
    expect((await verify(member.key, `${r}:execute`)).code).toBe('INSUFFICIENT_PERMISSIONS');
    expect((await verify(viewer.key, `${r}:read`)).code).toBe('INSUFFICIENT_PERMISSIONS');
    // The map of expand: ['permissions'] has the resource.
    const org = await callerAs(env.runtime, member.key).organizations.retrieve({
      organizationId: owner.organizationId,
      expand: ['permissions'],
    });
    expect(org.permissions?.[r]).toEqual({ read: true, execute: false });
    // Granting it to viewers later reaches viewers at once (their cached credentials are dropped).
    await op.platform.permissions.update({ key: `${r}:read`, grantedTo: ['member', 'viewer'] });
    expect((await verify(viewer.key, `${r}:read`)).code).toBe('VALID');
    // An unregistered name is refused where a permission is named.
    expect(await refusalOf(gh.auth.createKey({ name: 'x', scopes: [`${r}:delete`] }))).toBe('BAD_REQUEST:BAD_REQUEST');
    const refusal = await rejectionOf(
      gh.roles.create({ organizationId: owner.organizationId, key: 'ops', name: 'Ops', permissions: [`${r}:delete`] }),
    );
    expect(refusal.message).toContain('Not a built-in or registered permission');
  });

  it('are held through custom roles, team bindings, key scopes and access-token scopes, and explained', async () => {
    const op = await operator();
    const r = resource();
    await op.platform.permissions.create({ key: `${r}:read` });
    await op.platform.permissions.create({ key: `${r}:execute` });
    const owner = await ownerWithKey(env.db.orm);
    const gh = callerAs(env.runtime, owner.key);
    const o = { organizationId: owner.organizationId };
    await gh.roles.create({ ...o, key: 'runner', name: 'Runner', permissions: [`${r}:read`, `${r}:execute`] });
    // A custom role, directly.
    const runner = await memberWithKey(env.db.orm, owner.organizationId, 'runner');
    expect((await gh.keys.verify({ key: runner.key, permissions: [`${r}:execute`] })).code).toBe('VALID');
    // A key scoped to a registered permission holds that one only.
    const scoped = await callerAs(env.runtime, runner.key).auth.createKey({ name: 'pipeline', scopes: [`${r}:read`] });
    expect((await gh.keys.verify({ key: scoped.key, permissions: [`${r}:read`] })).code).toBe('VALID');
    expect((await gh.keys.verify({ key: scoped.key, permissions: [`${r}:execute`] })).code).toBe(
      'INSUFFICIENT_PERMISSIONS',
    );
    // Nobody grants what they do not hold: a viewer cannot scope a key to it.
    const viewer = await memberWithKey(env.db.orm, owner.organizationId, 'viewer');
    expect(
      await refusalOf(callerAs(env.runtime, viewer.key).auth.createKey({ name: 'x', scopes: [`${r}:read`] })),
    ).toBe('FORBIDDEN:FORBIDDEN');
    // Through a team holding the custom role.
    const team = await gh.teams.create({ ...o, name: 'Runners' });
    await gh.teams.addMember({ ...o, teamId: team.id, userId: viewer.userId });
    await gh.teams.grantRole({ ...o, teamId: team.id, role: 'runner' });
    expect((await gh.keys.verify({ key: viewer.key, permissions: [`${r}:execute`] })).code).toBe('VALID');
    const why = await gh.permissions.explain({ ...o, principalId: viewer.userId, permission: `${r}:execute` });
    expect(why).toEqual({ allowed: true, chain: [{ via: 'team', role: 'runner', teamId: team.id }] });
    // A service account with the role, and its token scoped down to one registered permission.
    const sa = await gh.serviceAccounts.create({ ...o, name: 'runner-bot', role: 'runner' });
    const credential = await gh.serviceAccounts.credentials.create({ ...o, serviceAccountId: sa.id, name: 'ci' });
    const exchange = (scope: string) =>
      gh.organizations.exchangeToken({
        ...o,
        clientId: credential.clientId,
        clientSecret: credential.clientSecret,
        scope,
      });
    const token = (await exchange(`${r}:read`)).access_token;
    const claims = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString());
    expect(claims.scope).toBe(`${r}:read`);
    expect(await refusalOf(exchange(`${r}:read ${r}:delete`))).toBe('FORBIDDEN:INVALID_SCOPE');
  });

  it('cannot be deleted while a role or key names them, unless forced: then from all of them at once', async () => {
    const op = await operator();
    const r = resource();
    await op.platform.permissions.create({ key: `${r}:read` });
    await op.platform.permissions.create({ key: `${r}:write` });
    const owner = await ownerWithKey(env.db.orm);
    const gh = callerAs(env.runtime, owner.key);
    const o = { organizationId: owner.organizationId };
    const role = await gh.roles.create({
      ...o,
      key: 'reader',
      name: 'Reader',
      permissions: [`${r}:read`, `${r}:write`],
    });
    const key = await gh.auth.createKey({ name: 'reader', scopes: [`${r}:read`] });
    // Warm: the key is verified (and cached) before the delete.
    expect((await gh.keys.verify({ key: key.key, permissions: [`${r}:read`] })).code).toBe('VALID');
    expect(await refusalOf(op.platform.permissions.delete({ key: `${r}:read` }))).toBe('CONFLICT:HAS_DEPENDENCIES');
    expect((await op.platform.permissions.list()).items.find((p) => p.key === `${r}:read`)?.heldBy).toEqual({
      roles: 1,
      keys: 1,
    });
    // Nothing happened.
    expect(isRegisteredPermission(`${r}:read`)).toBe(true);
    await op.platform.permissions.delete({ key: `${r}:read`, force: true });
    const em = env.db.orm.em.fork();
    const [roleRow] = await em.execute<{ permissions: string[] }[]>('select permissions from roles where id = ?', [
      role.id,
    ]);
    expect(roleRow?.permissions).toEqual([`${r}:write`]);
    const [keyRow] = await em.execute<{ scopes: string[] }[]>('select scopes from api_keys where id = ?', [key.id]);
    // Scoped to nothing now (an empty list), not to everything its owner holds (null).
    expect(keyRow?.scopes).toEqual([]);
    expect(isRegisteredPermission(`${r}:read`)).toBe(false);
    // The cached credential is gone too: the owner holds it no more, the key holds nothing.
    expect((await gh.keys.verify({ key: owner.key, permissions: [`${r}:read`] })).code).toBe(
      'INSUFFICIENT_PERMISSIONS',
    );
    expect((await gh.keys.verify({ key: key.key, permissions: [`${r}:write`] })).code).toBe('INSUFFICIENT_PERMISSIONS');
    expect(await refusalOf(op.platform.permissions.delete({ key: `${r}:read` }))).toBe('NOT_FOUND:NOT_FOUND');
  });

  it('reach another server process through NOTIFY', async () => {
    const other = await startTestRuntime(env.db);
    try {
      const owner = await ownerWithKey(env.db.orm);
      const there = callerAs(other, owner.key);
      const key = `${resource()}:read`;
      // Warm there first: the owner's credential is cached without the permission.
      expect((await there.keys.verify({ key: owner.key, permissions: [key] })).code).toBe('INSUFFICIENT_PERMISSIONS');
      await (await operator()).platform.permissions.create({ key });
      await expect
        .poll(async () => (await there.keys.verify({ key: owner.key, permissions: [key] })).code)
        .toBe('VALID');
    } finally {
      await other.stop();
    }
  });

  it('load from GATEHOUSE_PERMISSIONS_FILE idempotently, and a malformed file names its entry', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-permissions-'));
    const r = resource();
    const file = join(dir, 'permissions.json');
    await writeFile(
      file,
      JSON.stringify([
        { key: `${r}:read`, description: 'Read' },
        { key: `${r}:run`, grantedTo: ['member'] },
      ]),
    );
    expect(await registerFromFile(env.db.orm, file)).toBe(2);
    expect(await registerFromFile(env.db.orm, file)).toBe(2);
    const rows = await env.db.orm.em
      .fork()
      .execute<{ key: string; granted_to: string[] }[]>(
        'select key, granted_to from registered_permissions where key like ? order by key',
        [`${r}:%`],
      );
    expect(rows).toEqual([
      { key: `${r}:read`, granted_to: [] },
      { key: `${r}:run`, granted_to: ['member'] },
    ]);
    await writeFile(file, JSON.stringify([{ key: `${r}:ok` }, { key: 'Bad Key' }]));
    await expect(registerFromFile(env.db.orm, file)).rejects.toThrow(/entry 1 \(Bad Key\): Must be lowercase/);
    await writeFile(file, JSON.stringify([{ key: 'members:export' }]));
    await expect(registerFromFile(env.db.orm, file)).rejects.toThrow(/entry 0 \(members:export\)/);
    await writeFile(file, '[{');
    await expect(registerFromFile(env.db.orm, file)).rejects.toThrow(/GATEHOUSE_PERMISSIONS_FILE/);
    // Nothing of the refused files was registered.
    const [ok] = await env.db.orm.em
      .fork()
      .execute<{ count: string }[]>('select count(*) from registered_permissions where key = ?', [`${r}:ok`]);
    expect(ok?.count).toBe('0');
  });
});
