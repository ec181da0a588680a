// The authorization matrix: every procedure of the router has an entry here, so a new procedure
// cannot ship without saying who may call it. Each organization-scoped procedure is called by an
// anonymous caller (UNAUTHORIZED), another tenant's owner (NOT_FOUND) and a member of each built-in
// role: allowed roles pass the gate, the others get FORBIDDEN.
import { newId } from '@gatehouse/db';
import type { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { type BuiltInRole, builtInRoles, type Permission } from './permissions.js';
import { appRouter } from './root.js';
import { bearer, callerFor, memberWithKey, ownerWithKey, useTestRuntime } from './testing/fixtures.js';

const env = useTestRuntime();

type Caller = ReturnType<typeof callerFor>;
interface Fixture {
  organizationId: string;
  /** A viewer of the organization that procedures act upon. */
  targetUserId: string;
  /** A user of another organization, for procedures that add someone. */
  outsiderUserId: string;
  /** A custom role of the organization. */
  roleId: string;
}
type Call = (c: Caller, f: Fixture) => Promise<unknown>;
type Entry =
  | { kind: 'public' }
  | { kind: 'authed' }
  | { kind: 'org'; permission: Permission; call: Call; allowed?: BuiltInRole[] }
  // What another tenant gets: NOT_FOUND for someone of this organization, OK for a list of its own.
  | { kind: 'ownOrg'; permission: Permission; call: Call; outsider: 'NOT_FOUND' | 'OK'; allowed?: BuiltInRole[] };

const org = (permission: Permission, call: Call, allowed?: BuiltInRole[]): Entry => ({
  kind: 'org',
  permission,
  call,
  ...(allowed ? { allowed } : {}),
});

/** In the caller's own organization (the users router), which has no organizationId input. */
const inOwnOrg = (permission: Permission, call: Call, outsider: 'NOT_FOUND' | 'OK' = 'NOT_FOUND'): Entry => ({
  kind: 'ownOrg',
  permission,
  call,
  outsider,
});

const uniqueKey = () => `matrix-${Math.random().toString(36).slice(2)}`;

/** A usage transaction of the organization, written directly, for the procedures that take its id. */
async function seedUsage(organizationId: string): Promise<string> {
  const id = newId('txn');
  const em = env.db.orm.em.fork();
  await em.execute(
    `insert into credit_accounts (organization_id, updated_at) values (?, now()) on conflict (organization_id) do nothing`,
    [organizationId],
  );
  await em.execute(
    `insert into credit_transactions (id, organization_id, type, amount, balance_after, idempotency_key, actor_type, created_at)
     values (?, ?, 'usage', -1000000, 0, ?, 'system', now())`,
    [id, organizationId, uniqueKey()],
  );
  return id;
}

/** A pending invitation (for a viewer) in the organization, written directly. */
async function seedInvitation(organizationId: string): Promise<string> {
  const id = newId('inv');
  await env.db.orm.em.fork().execute(
    `insert into invitations (id, organization_id, email, role, token_hash, expires_at, created_at, updated_at)
     values (?, ?, ?, 'viewer', ?, now() + interval '1 day', now(), now())`,
    [id, organizationId, `${uniqueKey()}@example.com`, uniqueKey()],
  );
  return id;
}

/** An active hold of 1 credit on a balance of 1, written directly. */
async function seedReservation(organizationId: string): Promise<string> {
  const id = newId('rsv');
  const em = env.db.orm.em.fork();
  await em.execute(
    `insert into credit_accounts (organization_id, balance, held, updated_at) values (?, 1000000, 1000000, now())
     on conflict (organization_id) do update set balance = credit_accounts.balance + 1000000,
       held = credit_accounts.held + 1000000`,
    [organizationId],
  );
  await em.execute(
    `insert into credit_reservations (id, organization_id, amount, idempotency_key, actor_type, expires_at, created_at, updated_at)
     values (?, ?, 1000000, ?, 'system', now() + interval '1 hour', now(), now())`,
    [id, organizationId, uniqueKey()],
  );
  return id;
}

// --- service accounts (issue 16) ---
/** A viewer service account with one credential, written directly. */
async function seedServiceAccount(organizationId: string): Promise<{ serviceAccountId: string; credentialId: string }> {
  const serviceAccountId = newId('sa');
  const credentialId = newId('cred');
  const em = env.db.orm.em.fork();
  await em.execute(
    `insert into service_accounts (id, organization_id, name, role, created_at, updated_at)
     values (?, ?, 'matrix', 'viewer', now(), now())`,
    [serviceAccountId, organizationId],
  );
  await em.execute(
    `insert into service_account_credentials (id, service_account_id, organization_id, client_id, secret_hash, name, created_at, updated_at)
     values (?, ?, ?, ?, ?, 'matrix', now(), now())`,
    [credentialId, serviceAccountId, organizationId, `ghc_${uniqueKey().slice(-16)}`, uniqueKey()],
  );
  return { serviceAccountId, credentialId };
}
const saRef = async (f: Fixture) => ({
  organizationId: f.organizationId,
  ...(await seedServiceAccount(f.organizationId)),
});
const serviceAccountEntries: Record<string, Entry> = {
  'serviceAccounts.create': org('serviceAccounts:write', (c, f) =>
    c.serviceAccounts.create({ organizationId: f.organizationId, name: 'matrix', role: 'viewer' }),
  ),
  'serviceAccounts.list': org('serviceAccounts:read', (c, f) =>
    c.serviceAccounts.list({ organizationId: f.organizationId }),
  ),
  'serviceAccounts.retrieve': org('serviceAccounts:read', async (c, f) => {
    const { credentialId: _, ...ref } = await saRef(f);
    return c.serviceAccounts.retrieve(ref);
  }),
  'serviceAccounts.update': org('serviceAccounts:write', async (c, f) => {
    const { credentialId: _, ...ref } = await saRef(f);
    return c.serviceAccounts.update({ ...ref, name: 'renamed' });
  }),
  'serviceAccounts.delete': org('serviceAccounts:write', async (c, f) => {
    const { credentialId: _, ...ref } = await saRef(f);
    return c.serviceAccounts.delete(ref);
  }),
  'serviceAccounts.credentials.create': org('serviceAccounts:write', async (c, f) => {
    const { credentialId: _, ...ref } = await saRef(f);
    return c.serviceAccounts.credentials.create(ref);
  }),
  'serviceAccounts.credentials.list': org('serviceAccounts:read', async (c, f) => {
    const { credentialId: _, ...ref } = await saRef(f);
    return c.serviceAccounts.credentials.list(ref);
  }),
  'serviceAccounts.credentials.retrieve': org('serviceAccounts:read', async (c, f) =>
    c.serviceAccounts.credentials.retrieve(await saRef(f)),
  ),
  'serviceAccounts.credentials.update': org('serviceAccounts:write', async (c, f) =>
    c.serviceAccounts.credentials.update({ ...(await saRef(f)), name: 'renamed' }),
  ),
  'serviceAccounts.credentials.delete': org('serviceAccounts:write', async (c, f) =>
    c.serviceAccounts.credentials.delete(await saRef(f)),
  ),
  // The client credentials are the authentication (see service-accounts.test.ts).
  'organizations.exchangeToken': { kind: 'public' },
  'platform.rotateSigningKey': { kind: 'authed' },
};
// --- end service accounts ---

// --- procedures of the accounts model that had no entry yet (main's rewrite of this file supersedes these) ---
const accountsModelEntries: Record<string, Entry> = {
  // The token is the credential.
  'auth.verifyEmail': { kind: 'public' },
  'auth.requestEmailVerification': { kind: 'authed' },
  'platform.createKey': { kind: 'authed' },
  'platform.organizations.list': { kind: 'authed' },
  'platform.organizations.update': { kind: 'authed' },
  'platform.organizations.suspend': { kind: 'authed' },
  'platform.organizations.unsuspend': { kind: 'authed' },
  'platform.users.list': { kind: 'authed' },
  'platform.users.retrieve': { kind: 'authed' },
  'platform.users.deactivate': { kind: 'authed' },
  'platform.users.activate': { kind: 'authed' },
};
// --- end ---

const matrix: Record<string, Entry> = {
  ...serviceAccountEntries,
  ...accountsModelEntries,
  'auth.whoami': { kind: 'authed' },
  'auth.signup': { kind: 'public' },
  'auth.login': { kind: 'public' },
  'auth.logout': { kind: 'authed' },
  'auth.changePassword': { kind: 'authed' },
  'auth.requestPasswordReset': { kind: 'public' },
  'auth.resetPassword': { kind: 'public' },
  'auth.createKey': { kind: 'authed' },
  'auth.listKeys': { kind: 'authed' },
  'auth.getKey': { kind: 'authed' },
  'auth.revokeKey': { kind: 'authed' },
  'auth.rotateKey': { kind: 'authed' },
  'users.me': { kind: 'authed' },
  'users.updateMe': { kind: 'authed' },
  'users.list': inOwnOrg('members:read', (c) => c.users.list({}), 'OK'),
  'users.retrieve': inOwnOrg('members:read', (c, f) => c.users.retrieve({ userId: f.targetUserId })),
  'users.deactivate': inOwnOrg('members:update', (c, f) => c.users.deactivate({ userId: f.targetUserId })),
  'users.activate': inOwnOrg('members:update', (c, f) => c.users.activate({ userId: f.targetUserId })),
  'users.archive': inOwnOrg('members:update', (c, f) => c.users.archive({ userId: f.targetUserId })),
  'users.create': inOwnOrg(
    'members:invite',
    (c) =>
      c.users.create({ email: `matrix${Math.random().toString(36).slice(2)}@example.com`, name: 'M', role: 'viewer' }),
    'OK',
  ),
  'users.preRegister': inOwnOrg(
    'members:invite',
    (c) => c.users.preRegister({ emails: ['matrix@example.com'], role: 'viewer', dryRun: true }),
    'OK',
  ),
  'users.update': inOwnOrg('members:update', (c, f) => c.users.update({ userId: f.targetUserId, name: 'Renamed' })),
  'users.delete': inOwnOrg('members:remove', (c, f) => c.users.delete({ userId: f.targetUserId })),
  'users.resetPassword': inOwnOrg('members:update', (c, f) => c.users.resetPassword({ userId: f.targetUserId })),
  'users.getPermissions': inOwnOrg('members:read', (c, f) => c.users.getPermissions({ userId: f.targetUserId })),
  'users.getTeams': inOwnOrg('members:read', (c, f) => c.users.getTeams({ userId: f.targetUserId })),
  'users.getResources': inOwnOrg('members:read', (c, f) => c.users.getResources({ userId: f.targetUserId })),
  'users.apiKeys': { kind: 'authed' },
  'users.createApiKey': { kind: 'authed' },
  'users.revokeApiKey': { kind: 'authed' },
  'organizations.create': { kind: 'authed' },
  'organizations.list': { kind: 'authed' },
  'organizations.retrieve': org('organizations:read', (c, f) =>
    c.organizations.retrieve({ organizationId: f.organizationId }),
  ),
  'organizations.update': org('organizations:update', (c, f) =>
    c.organizations.update({ organizationId: f.organizationId, description: 'matrix' }),
  ),
  'organizations.delete': org('organizations:delete', (c, f) =>
    c.organizations.delete({ organizationId: f.organizationId }),
  ),
  'organizations.members': org('members:read', (c, f) => c.organizations.members({ organizationId: f.organizationId })),
  // By email: an account the organization does not manage (the outsider) is NOT_FOUND by userId (consent).
  'organizations.addMember': org('members:invite', (c, f) =>
    c.organizations.addMember({
      organizationId: f.organizationId,
      email: `${uniqueKey()}@example.com`,
      role: 'viewer',
    }),
  ),
  'organizations.removeMember': org('members:remove', (c, f) =>
    c.organizations.removeMember({ organizationId: f.organizationId, userId: f.targetUserId }),
  ),
  'organizations.updateMemberRole': org('members:update', (c, f) =>
    c.organizations.updateMemberRole({ organizationId: f.organizationId, userId: f.targetUserId, role: 'member' }),
  ),
  'organizations.transferOwnership': org(
    'members:update',
    (c, f) => c.organizations.transferOwnership({ organizationId: f.organizationId, userId: f.targetUserId }),
    ['owner'],
  ),
  'organizations.listIdentities': org('members:read', (c, f) =>
    c.organizations.listIdentities({ organizationId: f.organizationId }),
  ),
  'organizations.listRoles': org('roles:read', (c, f) =>
    c.organizations.listRoles({ organizationId: f.organizationId }),
  ),
  'organizations.invite': org('members:invite', (c, f) =>
    c.organizations.invite({ organizationId: f.organizationId, email: `${uniqueKey()}@example.com`, role: 'viewer' }),
  ),
  'organizations.listInvitations': org('members:read', (c, f) =>
    c.organizations.listInvitations({ organizationId: f.organizationId }),
  ),
  'organizations.cancelInvitation': org('members:invite', async (c, f) =>
    c.organizations.cancelInvitation({
      organizationId: f.organizationId,
      invitationId: await seedInvitation(f.organizationId),
    }),
  ),
  // Found through its id: the same gate as an organization's procedure, without organizationId.
  'invitations.resend': org('members:invite', async (c, f) =>
    c.invitations.resend({ invitationId: await seedInvitation(f.organizationId) }),
  ),
  // The token is the credential (accept also knows a signed-in caller; see invitations.test.ts).
  'invitations.lookup': { kind: 'public' },
  'invitations.accept': { kind: 'public' },
  'invitations.decline': { kind: 'public' },
  'organizations.credits': org('credits:read', (c, f) => c.organizations.credits({ organizationId: f.organizationId })),
  'organizations.transactions': org('credits:read', (c, f) =>
    c.organizations.transactions({ organizationId: f.organizationId }),
  ),
  'credits.balance': org('credits:read', (c, f) => c.credits.balance({ organizationId: f.organizationId })),
  'credits.transactions': org('credits:read', (c, f) => c.credits.transactions({ organizationId: f.organizationId })),
  // No role holds credits:grant; the fixture's owner passes only because ownerWithKey makes a platform admin.
  'credits.grant': org(
    'credits:grant',
    (c, f) =>
      c.credits.grant({ organizationId: f.organizationId, amount: 1, type: 'grant', idempotencyKey: uniqueKey() }),
    ['owner'],
  ),
  'credits.consume': org('credits:consume', (c, f) =>
    c.credits.consume({ organizationId: f.organizationId, amount: 1, reason: 'matrix', idempotencyKey: uniqueKey() }),
  ),
  // Platform-only like credits:grant: the fixture's owner passes as a platform admin.
  'credits.refund': org(
    'credits:refund',
    async (c, f) => c.credits.refund({ transactionId: await seedUsage(f.organizationId), idempotencyKey: uniqueKey() }),
    ['owner'],
  ),
  'credits.reserve': org('credits:consume', (c, f) =>
    c.credits.reserve({ organizationId: f.organizationId, amount: 1, ttlSeconds: 60, idempotencyKey: uniqueKey() }),
  ),
  'credits.capture': org('credits:consume', async (c, f) =>
    c.credits.capture({ reservationId: await seedReservation(f.organizationId), amount: 1 }),
  ),
  'credits.release': org('credits:consume', async (c, f) =>
    c.credits.release({ reservationId: await seedReservation(f.organizationId) }),
  ),
  'audit.list': org('audit:read', (c, f) => c.audit.list({ organizationId: f.organizationId })),
  'roles.list': org('roles:read', (c, f) => c.roles.list({ organizationId: f.organizationId })),
  'roles.create': org('roles:write', (c, f) =>
    c.roles.create({ organizationId: f.organizationId, key: 'matrix', name: 'Matrix', permissions: ['projects:read'] }),
  ),
  'roles.update': org('roles:write', (c, f) =>
    c.roles.update({ organizationId: f.organizationId, roleId: f.roleId, name: 'Renamed' }),
  ),
  'roles.delete': org('roles:write', (c, f) => c.roles.delete({ organizationId: f.organizationId, roleId: f.roleId })),
};

const procedures = Object.keys(appRouter._def.procedures).sort();
const GATE = new Set(['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND']);

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    const code = (error as TRPCError).code;
    // Past the gate, a business rule may still refuse (CONFLICT, BAD_REQUEST): the gate let it through.
    return GATE.has(code) ? code : 'OK';
  }
}

/** A fresh organization with an owner, a member of `role` (the caller) and a viewer to act upon. */
async function setUp(role: BuiltInRole) {
  const owner = await ownerWithKey(env.db.orm);
  const target = await memberWithKey(env.db.orm, owner.organizationId, 'viewer');
  const outsider = await ownerWithKey(env.db.orm);
  const key = role === 'owner' ? owner.key : (await memberWithKey(env.db.orm, owner.organizationId, role)).key;
  const custom = await callerFor(env.runtime, bearer(owner.key)).roles.create({
    organizationId: owner.organizationId,
    key: 'fixture',
    name: 'Fixture',
    permissions: ['projects:read'],
  });
  const fixture: Fixture = {
    organizationId: owner.organizationId,
    targetUserId: target.userId,
    outsiderUserId: outsider.userId,
    roleId: custom.id,
  };
  return { key, fixture, outsiderKey: outsider.key };
}

describe('authorization matrix', () => {
  it('has an entry for every procedure', () => {
    expect(procedures).toEqual(Object.keys(matrix).sort());
  });

  for (const [path, entry] of Object.entries(matrix)) {
    if (entry.kind !== 'org' && entry.kind !== 'ownOrg') continue;
    const allowed =
      entry.allowed ??
      (Object.keys(builtInRoles) as BuiltInRole[]).filter((r) =>
        (builtInRoles[r] as readonly Permission[]).includes(entry.permission),
      );
    it(`${path}: anonymous UNAUTHORIZED, other tenant NOT_FOUND, ${allowed.join('/')} allowed`, async () => {
      for (const role of Object.keys(builtInRoles) as BuiltInRole[]) {
        const { key, fixture, outsiderKey } = await setUp(role);
        expect(await outcome(entry.call(callerFor(env.runtime), fixture))).toBe('UNAUTHORIZED');
        // Another tenant never reaches this organization: NOT_FOUND, or (for a list of its own) only itself.
        const outsider = await outcome(entry.call(callerFor(env.runtime, bearer(outsiderKey)), fixture));
        expect(outsider).toBe(entry.kind === 'org' ? 'NOT_FOUND' : entry.outsider);
        const expected = allowed.includes(role) ? 'OK' : 'FORBIDDEN';
        expect(`${role}: ${await outcome(entry.call(callerFor(env.runtime, bearer(key)), fixture))}`).toBe(
          `${role}: ${expected}`,
        );
      }
    });
  }

  it('requires a credential for every authenticated procedure', async () => {
    type Procedure = (input?: unknown) => Promise<unknown>;
    const anonymous = callerFor(env.runtime) as unknown;
    for (const [path, entry] of Object.entries(matrix)) {
      if (entry.kind !== 'authed') continue;
      // Paths may be nested (platform.organizations.list, serviceAccounts.credentials.create).
      const procedure = path
        .split('.')
        .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], anonymous) as Procedure;
      // Authentication runs before input validation, so even an empty input is UNAUTHORIZED.
      expect(`${path}: ${await outcome(procedure({}))}`).toBe(`${path}: UNAUTHORIZED`);
    }
  });
});
