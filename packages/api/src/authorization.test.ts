// The authorization matrix (contract: "Accounts, consent and authority"; issue 12).
//
// 1. Every procedure of the router has an entry in `matrix`, so a new procedure cannot ship without
//    saying who may call it (and, if it acts on a member, without rows in the actor matrix).
// 2. The actor matrix (3,916 rows): every member-affecting procedure, called by each actor (owner,
//    admin, member, viewer, a custom role holding only members:read + members:remove, another
//    organization's owner, a platform admin who is not a member, an admin service account, an admin
//    whose membership is deactivated, an external collaborator) through each credential (a session
//    naming the organization in X-Gatehouse-Organization, a session without it, scoped API keys, an
//    access token) on
//    each target (owner, admin, member, a managed viewer, a self-managed member, a self-registered
//    outsider, a managed account that left, and the actor themselves). Each row expects exactly one
//    outcome ('OK' or `${code}:${reason}`), written from the rules by the `expected`/`self` functions
//    below (never by calling product code), and the target's state afterwards: what the outcome says
//    changed, and nothing else. Mismatches are collected and reported together, one test per action.
// 3. Cross-tenant ids: every id-taking procedure (read from the router's input schemas, so a new one
//    needs a call here), called in the caller's own organization with another tenant's child id
//    (member, key, invitation, role, transaction, reservation), is NOT_FOUND and changes nothing there.
// 4. Per-procedure gates, for every procedure that takes a credential: anonymous UNAUTHORIZED, another
//    tenant NOT_FOUND, each built-in role (key and session) OK or FORBIDDEN, a service account of each
//    role (token; USER_ONLY for what only a user does), a deactivated member (MEMBERSHIP_DEACTIVATED),
//    an external collaborator (their project role on project procedures, NOT_FOUND elsewhere), a
//    suspended organization's owner and service account (ORGANIZATION_SUSPENDED), each with the exact
//    code and reason; the platform router and the platform-only credits permissions likewise. The
//    public procedures take none: their token or client credentials are the authentication.
import { describe, expect, it } from 'vitest';
import {
  type BuiltInRole,
  builtInRoles,
  type Permission,
  type PlatformPermission,
  platformPermissions,
  projectRoles,
  type Scope,
} from './core/permissions.js';
import { appRouter } from './root.js';
import { bearer, callerFor, useTestRuntime } from './testing/fixtures.js';
import {
  type AccountSpec,
  inPool,
  outcomeOf,
  type SeededAccount,
  seedAccounts,
  seedBalance,
  seedCollaborator,
  seedInvitation,
  seedOrganization,
  seedProject,
  seedReservation,
  seedRole,
  seedServiceAccount,
  seedTeam,
  seedUsage,
  suspendOrganization,
  uniqueEmail,
  uniqueKey,
} from './testing/matrix.js';

const env = useTestRuntime();
const orm = () => env.db.orm;

type Caller = ReturnType<typeof callerFor>;
type Outcome = string;

const OK = 'OK';
const UNAUTHORIZED = 'UNAUTHORIZED:UNAUTHORIZED';
const NOT_FOUND = 'NOT_FOUND:NOT_FOUND';
const FORBIDDEN = 'FORBIDDEN:FORBIDDEN';
const OUTRANKED = 'FORBIDDEN:OUTRANKED';
const NOT_MANAGED = 'FORBIDDEN:ACCOUNT_NOT_MANAGED';
const NOT_KEY_HOLDER = 'FORBIDDEN:NOT_KEY_HOLDER';
const PLATFORM_ONLY = 'FORBIDDEN:PLATFORM_ONLY';
const USER_ONLY = 'FORBIDDEN:USER_ONLY';
const MEMBERSHIP_DEACTIVATED = 'FORBIDDEN:MEMBERSHIP_DEACTIVATED';
const ORGANIZATION_SUSPENDED = 'FORBIDDEN:ORGANIZATION_SUSPENDED';
const ALREADY_MEMBER = 'CONFLICT:ALREADY_MEMBER';
const BAD_REQUEST = 'BAD_REQUEST:BAD_REQUEST';
// A credential acting in no organization (a platform key) calling a procedure of the caller's organization.
const NO_ORGANIZATION = 'BAD_REQUEST:BAD_REQUEST';

/** A caller authenticated by a session (optionally naming the organization to act in) or an API key. */
const as = (credential: string, organization?: string) =>
  callerFor(env.runtime, {
    ...bearer(credential),
    ...(organization ? { 'x-gatehouse-organization': organization } : {}),
  });
const anonymous = () => callerFor(env.runtime);

// ---------------------------------------------------------------------------------------------------
// 1. One entry per procedure
// ---------------------------------------------------------------------------------------------------

/** What a gate check needs of an organization; every child is made fresh on demand. */
interface Fixture {
  organizationId: string;
  /** A new managed viewer of the organization, with a key. */
  member(): Promise<SeededAccount>;
  role(): Promise<string>;
  invitation(): Promise<string>;
  usage(): Promise<string>;
  reservation(): Promise<string>;
  /** A new organization with an owner (for the platform router). */
  organization(): Promise<string>;
  /** A new team (with a new viewer in it when asked). */
  team(withMember?: boolean): Promise<{ teamId: string; userId: string | null }>;
  /** A new project (with a new team as its collaborator when asked). */
  project(withTeam?: boolean): Promise<{ projectId: string; teamId: string | null }>;
  /** A new account of the organization (for the platform router). */
  account(): Promise<SeededAccount>;
}
/** A call with a valid input; `me` is the calling account, when the procedure acts on the caller's own things. */
type Call = (c: Caller, f: Fixture, me?: SeededAccount) => Promise<unknown>;

type Entry =
  | { kind: 'public' }
  | {
      // The caller's own account, keys and organizations.
      kind: 'authed';
      call: Call;
      onMember?: true;
      /** What a signed-in user acting in no organization gets (default OK): their own things only. */
      noOrganization?: Outcome;
      /** What a member gets through an API key instead of a session (default OK). */
      byKey?: Outcome;
    }
  | {
      // On one organization's resources: the input's organizationId, or (users.*) the caller's own organization.
      kind: 'org';
      permission: Permission;
      call: Call;
      /** Who passes (default: the built-in roles holding the permission); every other role is FORBIDDEN. */
      allowed?: BuiltInRole[];
      /** What another organization's owner gets: NOT_FOUND, or (acting in their own organization) OK. */
      outsider?: 'NOT_FOUND' | 'OK';
      /** Succeeding changes the organization for good (deletes it): each call gets its own. */
      isolate?: true;
      /** Acts on a member: the actor matrix has rows for it. */
      onMember?: true;
      /**
       * Decided on a project (projectProcedure: external collaborators reach it by their role there), or open
       * to whoever acts in the organization, external collaborators included (reachProcedure).
       */
      on?: 'project' | 'reach';
      /** Past the gate, only a user may do it: a service account's token is FORBIDDEN USER_ONLY. */
      userOnly?: true;
    }
  // The platform router: a platform admin's session or platform key with the permission (null: any).
  | { kind: 'platform'; permission: PlatformPermission | null; call: Call }
  // credits:grant and credits:refund: platform credentials on any organization, PLATFORM_ONLY for its roles.
  | { kind: 'platformOnly'; permission: 'credits:grant' | 'credits:refund'; call: Call };

const org = (
  permission: Permission,
  call: Call,
  more: Omit<Extract<Entry, { kind: 'org' }>, 'kind' | 'permission' | 'call'> = {},
): Entry => ({
  kind: 'org',
  permission,
  call,
  ...more,
});
const platform = (permission: PlatformPermission | null, call: Call): Entry => ({ kind: 'platform', permission, call });
const authed = (call: Call, more: Omit<Extract<Entry, { kind: 'authed' }>, 'kind' | 'call'> = {}): Entry => ({
  kind: 'authed',
  call,
  ...more,
});
/** The caller's own key (a new member's, for a caller without one: not theirs). */
const ownKey = async (f: Fixture, me?: SeededAccount) => (me?.keyId ?? (await f.member()).keyId) as string;
const PASSWORD = 'a sturdy passphrase 42';
const ownKeyRules = { onMember: true, noOrganization: NOT_FOUND } as const;
const userId = async (f: Fixture) => (await f.member()).userId;

const matrix: Record<string, Entry> = {
  'auth.whoami': authed((c) => c.auth.whoami()),
  'auth.signup': { kind: 'public' },
  'auth.login': { kind: 'public' },
  // A key is no session: there is nothing to end.
  'auth.logout': authed((c) => c.auth.logout(), { byKey: BAD_REQUEST }),
  'auth.changePassword': authed((c) =>
    c.auth.changePassword({ oldPassword: PASSWORD, newPassword: `${PASSWORD} renewed` }),
  ),
  'auth.requestPasswordReset': { kind: 'public' },
  'auth.resetPassword': { kind: 'public' },
  // A mailed token is the credential (a signed-in caller is optional).
  'auth.verifyEmail': { kind: 'public' },
  'auth.requestEmailVerification': authed((c) => c.auth.requestEmailVerification()),
  // A key belongs to an organization: a user of none makes none, and has none.
  'auth.createKey': authed((c) => c.auth.createKey({ name: 'gate' }), { noOrganization: NO_ORGANIZATION }),
  'auth.listKeys': authed((c) => c.auth.listKeys({}), { noOrganization: NO_ORGANIZATION }),
  // One's own key; a user of no organization has none, and another's is NOT_FOUND to them.
  'auth.getKey': authed(async (c, f, me) => c.auth.getKey({ keyId: await ownKey(f, me) }), ownKeyRules),
  'auth.updateKey': authed(
    async (c, f, me) => c.auth.updateKey({ keyId: await ownKey(f, me), name: 'Renamed' }),
    ownKeyRules,
  ),
  'auth.revokeKey': authed(async (c, f, me) => c.auth.revokeKey({ keyId: await ownKey(f, me) }), ownKeyRules),
  'auth.rotateKey': authed(async (c, f, me) => c.auth.rotateKey({ keyId: await ownKey(f, me) }), ownKeyRules),
  'users.me': authed((c) => c.users.me()),
  'users.updateMe': authed((c) => c.users.updateMe({ name: 'Renamed' })),
  'users.list': org('members:read', (c) => c.users.list({}), { outsider: 'OK' }),
  'users.retrieve': org('members:read', async (c, f) => c.users.retrieve({ userId: await userId(f) }), {
    onMember: true,
  }),
  'users.deactivate': org('members:update', async (c, f) => c.users.deactivate({ userId: await userId(f) }), {
    onMember: true,
  }),
  'users.activate': org('members:update', async (c, f) => c.users.activate({ userId: await userId(f) }), {
    onMember: true,
  }),
  'users.archive': org('members:update', async (c, f) => c.users.archive({ userId: await userId(f) }), {
    onMember: true,
  }),
  'users.preRegister': org(
    'members:invite',
    (c) => c.users.preRegister({ emails: [uniqueEmail('prereg')], role: 'viewer', dryRun: true }),
    { outsider: 'OK', onMember: true },
  ),
  'users.create': org(
    'members:invite',
    (c) => c.users.create({ email: uniqueEmail('created'), name: 'M', role: 'viewer' }),
    { outsider: 'OK' },
  ),
  'users.update': org('members:update', async (c, f) => c.users.update({ userId: await userId(f), name: 'Renamed' }), {
    onMember: true,
  }),
  'users.delete': org('members:remove', async (c, f) => c.users.delete({ userId: await userId(f) }), {
    onMember: true,
  }),
  'users.resetPassword': org('members:update', async (c, f) => c.users.resetPassword({ userId: await userId(f) }), {
    onMember: true,
  }),
  'users.getPermissions': org('members:read', async (c, f) => c.users.getPermissions({ userId: await userId(f) }), {
    onMember: true,
  }),
  'users.getTeams': org('members:read', async (c, f) => c.users.getTeams({ userId: await userId(f) })),
  'users.getResources': org('members:read', async (c, f) => c.users.getResources({ userId: await userId(f) })),
  'users.apiKeys': authed((c) => c.users.apiKeys(), { noOrganization: NO_ORGANIZATION }),
  'users.createApiKey': authed((c) => c.users.createApiKey({ name: 'gate' }), { noOrganization: NO_ORGANIZATION }),
  'users.revokeApiKey': authed(async (c, f, me) => c.users.revokeApiKey({ keyId: await ownKey(f, me) }), {
    noOrganization: NOT_FOUND,
  }),
  'organizations.create': authed((c) => c.organizations.create({ name: `Gate ${uniqueKey()}` })),
  'organizations.list': authed((c) => c.organizations.list()),
  'organizations.retrieve': org('organizations:read', (c, f) =>
    c.organizations.retrieve({ organizationId: f.organizationId }),
  ),
  'organizations.update': org('organizations:update', (c, f) =>
    c.organizations.update({ organizationId: f.organizationId, description: 'matrix' }),
  ),
  'organizations.delete': org(
    'organizations:delete',
    (c, f) => c.organizations.delete({ organizationId: f.organizationId }),
    { isolate: true },
  ),
  'organizations.members': org('members:read', (c, f) => c.organizations.members({ organizationId: f.organizationId })),
  'organizations.addMember': org(
    'members:invite',
    (c, f) =>
      c.organizations.addMember({ organizationId: f.organizationId, email: uniqueEmail('added'), role: 'viewer' }),
    // A new address is invited: a service account sends no invitation (it would be its inviter).
    { onMember: true, userOnly: true },
  ),
  // The gate is members:read (a member may leave); removing someone else needs members:remove.
  'organizations.removeMember': org(
    'members:remove',
    async (c, f) => c.organizations.removeMember({ organizationId: f.organizationId, userId: await userId(f) }),
    { onMember: true },
  ),
  'organizations.updateMemberRole': org(
    'members:update',
    async (c, f) =>
      c.organizations.updateMemberRole({ organizationId: f.organizationId, userId: await userId(f), role: 'member' }),
    { onMember: true },
  ),
  // Past the members:update gate, only an owner transfers ownership (an admin: FORBIDDEN).
  'organizations.transferOwnership': org(
    'members:update',
    async (c, f) => c.organizations.transferOwnership({ organizationId: f.organizationId, userId: await userId(f) }),
    { allowed: ['owner'], onMember: true },
  ),
  'organizations.listIdentities': org('members:read', (c, f) =>
    c.organizations.listIdentities({ organizationId: f.organizationId }),
  ),
  'organizations.listRoles': org('roles:read', (c, f) =>
    c.organizations.listRoles({ organizationId: f.organizationId }),
  ),
  'organizations.invite': org(
    'members:invite',
    (c, f) =>
      c.organizations.invite({ organizationId: f.organizationId, email: uniqueEmail('invited'), role: 'viewer' }),
    { userOnly: true },
  ),
  'organizations.listInvitations': org('members:read', (c, f) =>
    c.organizations.listInvitations({ organizationId: f.organizationId }),
  ),
  'organizations.cancelInvitation': org('members:invite', async (c, f) =>
    c.organizations.cancelInvitation({ organizationId: f.organizationId, invitationId: await f.invitation() }),
  ),
  // Found through its id: the same gate as an organization's procedure, without organizationId.
  'invitations.resend': org(
    'members:invite',
    async (c, f) => c.invitations.resend({ invitationId: await f.invitation() }),
    {
      userOnly: true,
    },
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
  'credits.grant': {
    kind: 'platformOnly',
    permission: 'credits:grant',
    call: (c, f) =>
      c.credits.grant({ organizationId: f.organizationId, amount: 1, type: 'grant', idempotencyKey: uniqueKey() }),
  },
  'credits.consume': org('credits:consume', (c, f) =>
    c.credits.consume({ organizationId: f.organizationId, amount: 1, reason: 'matrix', idempotencyKey: uniqueKey() }),
  ),
  'credits.refund': {
    kind: 'platformOnly',
    permission: 'credits:refund',
    call: async (c, f) => c.credits.refund({ transactionId: await f.usage(), idempotencyKey: uniqueKey() }),
  },
  'credits.reserve': org('credits:consume', (c, f) =>
    c.credits.reserve({ organizationId: f.organizationId, amount: 1, ttlSeconds: 60, idempotencyKey: uniqueKey() }),
  ),
  'credits.capture': org('credits:consume', async (c, f) =>
    c.credits.capture({ reservationId: await f.reservation(), amount: 1 }),
  ),
  'credits.release': org('credits:consume', async (c, f) =>
    c.credits.release({ reservationId: await f.reservation() }),
  ),
  'audit.list': org('audit:read', (c, f) => c.audit.list({ organizationId: f.organizationId })),
  'roles.list': org('roles:read', (c, f) => c.roles.list({ organizationId: f.organizationId })),
  'roles.create': org('roles:write', (c, f) =>
    c.roles.create({
      organizationId: f.organizationId,
      key: uniqueKey(),
      name: 'Matrix',
      permissions: ['projects:read'],
    }),
  ),
  'roles.update': org('roles:write', async (c, f) =>
    c.roles.update({ organizationId: f.organizationId, roleId: await f.role(), name: 'Renamed' }),
  ),
  'roles.delete': org('roles:write', async (c, f) =>
    c.roles.delete({ organizationId: f.organizationId, roleId: await f.role() }),
  ),
  'platform.createKey': platform(null, (c) =>
    c.platform.createKey({ name: 'matrix', scopes: ['platform:users:read'] }),
  ),
  'platform.organizations.list': platform('platform:organizations:read', (c) => c.platform.organizations.list({})),
  'platform.organizations.update': platform('platform:organizations:write', async (c, f) =>
    c.platform.organizations.update({ organizationId: await f.organization(), plan: 'pro' }),
  ),
  'platform.organizations.suspend': platform('platform:organizations:write', async (c, f) =>
    c.platform.organizations.suspend({ organizationId: await f.organization(), reason: 'matrix' }),
  ),
  'platform.organizations.unsuspend': platform('platform:organizations:write', async (c, f) =>
    c.platform.organizations.unsuspend({ organizationId: await f.organization() }),
  ),
  'platform.users.list': platform('platform:users:read', (c) => c.platform.users.list({})),
  'platform.users.retrieve': platform('platform:users:read', async (c, f) =>
    c.platform.users.retrieve({ userId: (await f.account()).userId }),
  ),
  'platform.users.deactivate': platform('platform:users:write', async (c, f) =>
    c.platform.users.deactivate({ userId: (await f.account()).userId }),
  ),
  'platform.users.activate': platform('platform:users:write', async (c, f) =>
    c.platform.users.activate({ userId: (await f.account()).userId }),
  ),
  'platform.rotateSigningKey': platform('platform:signingKeys:write', (c) => c.platform.rotateSigningKey()),
  // Service accounts (issue 16): the organization's machine identities, gated like its other resources.
  'serviceAccounts.create': org('serviceAccounts:write', (c, f) =>
    c.serviceAccounts.create({ organizationId: f.organizationId, name: 'matrix', role: 'viewer' }),
  ),
  'serviceAccounts.list': org('serviceAccounts:read', (c, f) =>
    c.serviceAccounts.list({ organizationId: f.organizationId }),
  ),
  'serviceAccounts.retrieve': org('serviceAccounts:read', async (c, f) =>
    c.serviceAccounts.retrieve(await accountRef(f.organizationId)),
  ),
  'serviceAccounts.update': org('serviceAccounts:write', async (c, f) =>
    c.serviceAccounts.update({ ...(await accountRef(f.organizationId)), name: 'renamed' }),
  ),
  'serviceAccounts.delete': org('serviceAccounts:write', async (c, f) =>
    c.serviceAccounts.delete(await accountRef(f.organizationId)),
  ),
  'serviceAccounts.credentials.create': org('serviceAccounts:write', async (c, f) =>
    c.serviceAccounts.credentials.create(await accountRef(f.organizationId)),
  ),
  'serviceAccounts.credentials.list': org('serviceAccounts:read', async (c, f) =>
    c.serviceAccounts.credentials.list(await accountRef(f.organizationId)),
  ),
  'serviceAccounts.credentials.retrieve': org('serviceAccounts:read', async (c, f) =>
    c.serviceAccounts.credentials.retrieve(await credentialRef(f.organizationId)),
  ),
  'serviceAccounts.credentials.update': org('serviceAccounts:write', async (c, f) =>
    c.serviceAccounts.credentials.update({ ...(await credentialRef(f.organizationId)), name: 'renamed' }),
  ),
  'serviceAccounts.credentials.delete': org('serviceAccounts:write', async (c, f) =>
    c.serviceAccounts.credentials.delete(await credentialRef(f.organizationId)),
  ),
  // Teams and projects (issue 15). Team membership past the teams:read gate: teams:write or a maintainer.
  'teams.create': org('teams:write', (c, f) => c.teams.create({ organizationId: f.organizationId, name: uniqueKey() })),
  'teams.list': org('teams:read', (c, f) => c.teams.list({ organizationId: f.organizationId })),
  'teams.retrieve': org('teams:read', async (c, f) =>
    c.teams.retrieve({ organizationId: f.organizationId, teamId: (await f.team()).teamId }),
  ),
  'teams.update': org('teams:write', async (c, f) =>
    c.teams.update({ organizationId: f.organizationId, teamId: (await f.team()).teamId, name: uniqueKey() }),
  ),
  'teams.delete': org('teams:write', async (c, f) =>
    c.teams.delete({ organizationId: f.organizationId, teamId: (await f.team()).teamId }),
  ),
  'teams.addMember': org(
    'teams:read',
    async (c, f) =>
      c.teams.addMember({ organizationId: f.organizationId, teamId: (await f.team()).teamId, userId: await userId(f) }),
    { allowed: ['owner', 'admin'] },
  ),
  'teams.removeMember': org(
    'teams:read',
    async (c, f) => {
      const { teamId, userId } = await f.team(true);
      return c.teams.removeMember({ organizationId: f.organizationId, teamId, userId: userId as string });
    },
    { allowed: ['owner', 'admin'] },
  ),
  'teams.members': org('teams:read', async (c, f) =>
    c.teams.members({ organizationId: f.organizationId, teamId: (await f.team()).teamId }),
  ),
  'teams.grantRole': org('teams:write', async (c, f) =>
    c.teams.grantRole({ organizationId: f.organizationId, teamId: (await f.team()).teamId, role: 'viewer' }),
  ),
  'teams.revokeRole': org('teams:write', async (c, f) => {
    const { projectId, teamId } = await f.project(true);
    return c.teams.revokeRole({ organizationId: f.organizationId, teamId: teamId as string, projectId });
  }),
  'projects.create': org('projects:write', (c, f) =>
    c.projects.create({ organizationId: f.organizationId, name: 'm' }),
  ),
  // Open to whoever acts in the organization (external collaborators too): each sees what they reach.
  'projects.list': org('projects:read', (c, f) => c.projects.list({ organizationId: f.organizationId }), {
    on: 'reach',
  }),
  'projects.retrieve': org(
    'projects:read',
    async (c, f) => c.projects.retrieve({ organizationId: f.organizationId, projectId: (await f.project()).projectId }),
    { on: 'project' },
  ),
  'projects.update': org(
    'projects:write',
    async (c, f) =>
      c.projects.update({
        organizationId: f.organizationId,
        projectId: (await f.project()).projectId,
        name: 'renamed',
      }),
    { on: 'project' },
  ),
  'projects.delete': org('projects:write', async (c, f) =>
    c.projects.delete({ organizationId: f.organizationId, projectId: (await f.project()).projectId }),
  ),
  'projects.addCollaborator': org(
    'members:invite',
    async (c, f) =>
      c.projects.addCollaborator({
        organizationId: f.organizationId,
        projectId: (await f.project()).projectId,
        teamId: (await f.team()).teamId,
        role: 'project_viewer',
      }),
    { on: 'project' },
  ),
  'projects.removeCollaborator': org(
    'members:remove',
    async (c, f) => {
      const { projectId, teamId } = await f.project(true);
      return c.projects.removeCollaborator({ organizationId: f.organizationId, projectId, teamId: teamId as string });
    },
    { on: 'project' },
  ),
  'projects.collaborators': org(
    'members:read',
    async (c, f) =>
      c.projects.collaborators({ organizationId: f.organizationId, projectId: (await f.project()).projectId }),
    { on: 'project' },
  ),
  // Reading someone's access is reading the members.
  'permissions.explain': org('members:read', async (c, f) =>
    c.permissions.explain({
      organizationId: f.organizationId,
      principalId: await userId(f),
      permission: 'projects:read',
    }),
  ),
  // The client credentials are the authentication (see service-accounts.test.ts).
  'organizations.exchangeToken': { kind: 'public' },
  // In the caller's own organization: another tenant's key is an answer (valid: false, NOT_FOUND; keys/keys.test.ts).
  'keys.verify': org('apiKeys:verify', async (c, f) => c.keys.verify({ key: (await f.member()).key as string }), {
    outsider: 'OK',
  }),
};

const accountRef = async (organizationId: string) => {
  const { serviceAccountId } = await seedServiceAccount(orm(), organizationId);
  return { organizationId, serviceAccountId };
};
const credentialRef = async (organizationId: string) => {
  const { serviceAccountId, credentialId } = await seedServiceAccount(orm(), organizationId);
  return { organizationId, serviceAccountId, credentialId };
};

const procedures = Object.keys(appRouter._def.procedures).sort();

// ---------------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------------

/** A new organization whose owner is an ordinary user (not a platform admin), with a key and a session. */
async function organizationWithOwner({ credits = 0 } = {}) {
  const organizationId = await seedOrganization(orm());
  const [owner] = await seedAccounts(orm(), [
    { memberOf: { organizationId, role: 'owner' }, key: { organizationId, scopes: null }, session: true },
  ]);
  if (credits) await seedBalance(orm(), organizationId, credits);
  return { organizationId, owner: owner as SeededAccount };
}

/**
 * What gate checks make in the organization, fresh for each call. With `collaborator`, every project it
 * makes has that user as an external collaborator (project_viewer), as the gates' external actor.
 */
function fixtureFor(organizationId: string, { collaborator }: { collaborator?: string } = {}): Fixture {
  return {
    organizationId,
    member: async () =>
      (
        await seedAccounts(orm(), [
          {
            memberOf: { organizationId, role: 'viewer' },
            managedBy: organizationId,
            key: { organizationId, scopes: null },
          },
        ])
      )[0] as SeededAccount,
    role: () => seedRole(orm(), organizationId, ['projects:read']),
    invitation: () => seedInvitation(orm(), organizationId),
    usage: () => seedUsage(orm(), organizationId),
    reservation: () => seedReservation(orm(), organizationId),
    organization: async () => (await organizationWithOwner()).organizationId,
    team: async (withMember = false) => {
      const userId = withMember ? (await fixtureFor(organizationId).member()).userId : null;
      return { teamId: await seedTeam(orm(), organizationId, userId ?? undefined), userId };
    },
    project: async (withTeam = false) => {
      const teamId = withTeam ? await seedTeam(orm(), organizationId) : null;
      const projectId = await seedProject(orm(), organizationId, teamId ?? undefined);
      if (collaborator) await seedCollaborator(orm(), organizationId, projectId, collaborator);
      return { projectId, teamId };
    },
    account: async () =>
      (
        await seedAccounts(orm(), [{ memberOf: { organizationId, role: 'member' }, managedBy: organizationId }])
      )[0] as SeededAccount,
  };
}

/** A platform admin who is a member of no organization but their own, with a session and an org-bound key there. */
async function platformAdmin() {
  const organizationId = await seedOrganization(orm());
  const [admin] = await seedAccounts(orm(), [
    {
      platformAdmin: true,
      memberOf: { organizationId, role: 'owner' },
      key: { organizationId, scopes: null },
      session: true,
    },
  ]);
  return { organizationId, admin: admin as SeededAccount };
}

/** A platform key (bound to no organization) made with a platform admin's session, scoped as given. */
async function platformKey(sessionToken: string, scopes: PlatformPermission[]): Promise<string> {
  return (await as(sessionToken).platform.createKey({ name: 'matrix platform key', scopes })).key;
}

// ---------------------------------------------------------------------------------------------------
// 2. The actor × credential × target × action matrix
// ---------------------------------------------------------------------------------------------------

const REMOVER: Permission[] = ['members:read', 'members:remove'];
const MEMBER_MANAGEMENT: Permission[] = [
  'members:read',
  'members:invite',
  'members:update',
  'members:remove',
  'apiKeys:read',
  'apiKeys:write',
];
const permissionsOf = (role: string): readonly Permission[] =>
  role === 'remover' ? REMOVER : builtInRoles[role as BuiltInRole];

type ActorKind =
  | 'owner'
  | 'admin'
  | 'member'
  | 'viewer'
  | 'remover'
  | 'stranger'
  | 'platformAdmin'
  | 'serviceAccount'
  | 'deactivated'
  | 'external';
type CredentialKind = 'session+header' | 'session' | 'key' | 'narrowKey' | 'token';
type TargetKind = 'owner' | 'admin' | 'member' | 'managedViewer' | 'selfManaged' | 'outsider' | 'leftManaged' | 'self';

const memberActors: ActorKind[] = ['owner', 'admin', 'member', 'viewer', 'remover'];
/**
 * Beyond the members: another organization's owner, a platform admin, an admin service account (by its
 * token), an admin whose membership is deactivated, and an external collaborator (a signed-up user of no
 * organization, collaborating on a project here).
 */
const actorKinds: ActorKind[] = [
  ...memberActors,
  'stranger',
  'platformAdmin',
  'serviceAccount',
  'deactivated',
  'external',
];
// The narrow key, for the owner (an owner's key narrower than their role: outranked, and no ownership to give).
const credentialsOf = (actor: ActorKind): CredentialKind[] =>
  actor === 'owner'
    ? ['session+header', 'session', 'key', 'narrowKey']
    : actor === 'serviceAccount'
      ? ['token']
      : actor === 'external'
        ? ['session+header', 'session']
        : ['session+header', 'session', 'key'];

/**
 * The keys' scopes, chosen so that scoping decides rows: `key` holds the role's permissions but
 * audit:read (so a scoped owner or admin key is outranked by owners and admins, who hold it), and
 * `narrowKey` only the role's member-management permissions (outranked by every built-in role).
 */
function scopesOf(role: string, credential: CredentialKind): Permission[] | null {
  const held = permissionsOf(role);
  if (credential === 'key') return held.filter((p) => p !== 'audit:read');
  if (credential === 'narrowKey') return held.filter((p) => MEMBER_MANAGEMENT.includes(p));
  return null;
}

interface TargetSpec {
  /** Role in the organization acted upon, or null when not a member. */
  role: string | null;
  /** Managed by the organization acted upon. */
  managed: boolean;
  /** Has a key, and whether it is bound to the organization acted upon. */
  key: 'here' | 'elsewhere' | null;
  verified: boolean;
  /** The actor themselves (their role is the actor's). */
  self?: true;
}
const targetSpecs: Record<TargetKind, TargetSpec> = {
  // A founder who signed up: manages their own account.
  owner: { role: 'owner', managed: false, key: 'here', verified: true },
  admin: { role: 'admin', managed: true, key: 'here', verified: true },
  member: { role: 'member', managed: true, key: 'here', verified: true },
  managedViewer: { role: 'viewer', managed: true, key: 'here', verified: true },
  // Signed up, then joined (as by accepting an invitation).
  selfManaged: { role: 'member', managed: false, key: 'here', verified: true },
  // Signed up (unverified) and created an organization of their own; not a member here.
  outsider: { role: null, managed: false, key: 'elsewhere', verified: false },
  // Created by this organization, then removed from it: still managed by it, no longer a member.
  leftManaged: { role: null, managed: true, key: null, verified: true },
  // The actor acting on themselves, with their own key (member actors only).
  self: { role: null, managed: true, key: 'here', verified: true, self: true },
};
const targetKinds = Object.keys(targetSpecs) as TargetKind[];

/** The target of a row as the rules see it (the actor's own role, for themselves). */
const specOf = (row: { actor: ActorKind; target: TargetKind }): TargetSpec =>
  row.target === 'self' ? { ...targetSpecs.self, role: row.actor } : targetSpecs[row.target];

/** Where and as whom a row's credential acts, as the rules see it. */
interface Acting {
  /** A session naming an organization its user does not belong to: NOT_FOUND for everything. */
  refused: boolean;
  /** The organization the credential acts in: the one under test, another, or none (a platform key). */
  in: 'here' | 'elsewhere' | null;
  role: string | null;
  /** Effective permissions there: the role's ∩ the credential's scopes. */
  holds: Set<Permission>;
  /** Why it may not act there at all (its membership is deactivated): refused whatever it asks. */
  barred?: Outcome;
  /** A service account: it never acts as a user (its keys, invitations). */
  machine?: true;
}

function actingOf(actor: ActorKind, credential: CredentialKind): Acting {
  const admin = new Set(permissionsOf('admin'));
  if (actor === 'serviceAccount') return { refused: false, in: 'here', role: 'admin', holds: admin, machine: true };
  if (actor === 'deactivated') {
    return { refused: false, in: 'here', role: 'admin', holds: admin, barred: MEMBERSHIP_DEACTIVATED };
  }
  // A session naming the organization is refused as for any non-member; without it, they act in none.
  if (actor === 'external' && credential === 'session')
    return { refused: false, in: null, role: null, holds: new Set() };
  const member = memberActors.includes(actor);
  if (credential === 'session+header' && !member) return { refused: true, in: null, role: null, holds: new Set() };
  if (actor === 'platformAdmin' && credential === 'key')
    return { refused: false, in: null, role: null, holds: new Set() };
  // Another organization's owner, and the platform admin's session, act in their own organization.
  const role = member ? actor : 'owner';
  const scopes = scopesOf(role, credential);
  const holds = new Set(permissionsOf(role).filter((p) => scopes === null || scopes.includes(p)));
  return { refused: false, in: member ? 'here' : 'elsewhere', role, holds };
}

const holdsAll = (x: Acting, permissions: readonly Permission[]) => permissions.every((p) => x.holds.has(p));
/** The hierarchy: only owners act on owners, and the actor holds every permission the target holds. */
const outranks = (x: Acting, t: TargetSpec) =>
  !(t.role === 'owner' && x.role !== 'owner') && holdsAll(x, permissionsOf(t.role as string));
/** Nobody grants a role holding more than they hold (ownership: owners only). */
const mayGrant = (x: Acting, role: string) =>
  !(role === 'owner' && x.role !== 'owner') && holdsAll(x, permissionsOf(role));

/** organizations.* with the organization under test in the input: its members only, then the gate's permission. */
function organizationGate(x: Acting, permission: Permission): Outcome | null {
  if (x.refused || x.in !== 'here') return NOT_FOUND;
  return x.holds.has(permission) ? null : FORBIDDEN;
}
/** users.*: in the caller's organization; a member of it only. */
function usersGate(x: Acting, t: TargetSpec, permission: Permission): Outcome | null {
  if (x.refused) return NOT_FOUND;
  if (x.in === null) return NO_ORGANIZATION;
  if (!x.holds.has(permission)) return FORBIDDEN;
  return x.in === 'here' && t.role ? null : NOT_FOUND;
}
/** users.* on oneself (member actors act in the organization under test): the procedure's permission. */
const selfGate = (x: Acting, permission: Permission): Outcome | null => (x.holds.has(permission) ? null : FORBIDDEN);
/** auth.*Key on the target's key: a key of the caller's organization only; another member's needs apiKeys:<access>. */
function keyGate(x: Acting, t: TargetSpec, access: 'read' | 'write'): Outcome | null {
  // Keys are a user's: a service account handles none.
  if (x.machine) return USER_ONLY;
  // A platform credential reaches its holder's platform keys only.
  if (x.refused || x.in === null) return NOT_FOUND;
  if (x.in !== 'here' || t.key !== 'here') return NOT_FOUND;
  if (!x.holds.has(`apiKeys:${access}`)) return FORBIDDEN;
  return access === 'write' && t.role && !outranks(x, t) ? OUTRANKED : null;
}

/** What the matrix observes of a target after a row. */
interface State {
  exists: boolean;
  name: string | null;
  accountStatus: string | null;
  role: string | null;
  membershipStatus: string | null;
  keyRevoked: boolean | null;
  keyName: string | null;
  pendingInvitations: number;
}

interface Row {
  action: Action;
  actor: ActorKind;
  credential: CredentialKind;
  target: TargetKind;
}
interface RowContext {
  organizationId: string;
  target: SeededAccount;
}
interface Action {
  name: string;
  procedure: string;
  call(c: Caller, r: RowContext): Promise<unknown>;
  expected(x: Acting, t: TargetSpec): Outcome;
  /** The outcome of acting on oneself (no hierarchy: the procedure's own rule). */
  self(x: Acting): Outcome;
  /** The target's state after success (default: unchanged). */
  after?(s: State, t: TargetSpec, x: Acting): State;
  /** What is wrong with a successful result, if anything. */
  check?(value: unknown, r: RowContext, t: TargetSpec, x: Acting): string | null;
  needsKey?: true;
  /** Succeeding changes the actor too: each row gets its own. */
  changesActor?: true;
}

const statusChange = (status: 'active' | 'deactivated' | 'archived') => (s: State, t: TargetSpec) =>
  // A managed account changes account-wide; any other only as a member of this organization.
  t.managed ? { ...s, accountStatus: status } : { ...s, membershipStatus: status };
const expectStatusChange = (x: Acting, t: TargetSpec) =>
  usersGate(x, t, 'members:update') ?? (outranks(x, t) ? OK : OUTRANKED);
const expectRoleChange = (gate: Outcome | null, x: Acting, t: TargetSpec) =>
  gate ?? (!outranks(x, t) ? OUTRANKED : t.role === 'member' || mayGrant(x, 'member') ? OK : FORBIDDEN);

const actions: Action[] = [
  {
    name: 'addMember by userId',
    procedure: 'organizations.addMember',
    call: (c, r) =>
      c.organizations.addMember({ organizationId: r.organizationId, userId: r.target.userId, role: 'viewer' }),
    self: (x) => organizationGate(x, 'members:invite') ?? (mayGrant(x, 'viewer') ? ALREADY_MEMBER : FORBIDDEN),
    // Only an account the organization manages is added by id; any other is not the organization's to know.
    expected: (x, t) =>
      organizationGate(x, 'members:invite') ??
      (!t.managed ? NOT_FOUND : !mayGrant(x, 'viewer') ? FORBIDDEN : t.role ? ALREADY_MEMBER : OK),
    after: (s) => ({ ...s, role: 'viewer', membershipStatus: 'active' }),
    check: (v, r) => {
      const added = v as { userId: string | null; status: string };
      return added.userId === r.target.userId && added.status === 'active' ? null : `added ${JSON.stringify(added)}`;
    },
  },
  {
    name: 'addMember by email',
    procedure: 'organizations.addMember',
    call: (c, r) =>
      c.organizations.addMember({ organizationId: r.organizationId, email: r.target.email, role: 'viewer' }),
    self: (x) => organizationGate(x, 'members:invite') ?? (mayGrant(x, 'viewer') ? ALREADY_MEMBER : FORBIDDEN),
    // An account the organization does not manage is invited (consent), revealing no id: never by a service account.
    expected: (x, t) =>
      organizationGate(x, 'members:invite') ??
      (!mayGrant(x, 'viewer')
        ? FORBIDDEN
        : // Whom it does not manage it invites, before anything else: never a service account.
          !t.managed && x.machine
          ? USER_ONLY
          : t.role
            ? ALREADY_MEMBER
            : OK),
    after: (s, t) =>
      t.managed
        ? { ...s, role: 'viewer', membershipStatus: 'active' }
        : { ...s, pendingInvitations: s.pendingInvitations + 1 },
    check: (v, r, t) => {
      const added = v as { userId: string | null; status: string; name: string };
      const good = t.managed
        ? added.userId === r.target.userId && added.status === 'active'
        : added.userId === null && added.status === 'invited' && added.name === '';
      return good ? null : `added ${JSON.stringify({ userId: added.userId, status: added.status, name: added.name })}`;
    },
  },
  {
    name: 'users.preRegister',
    procedure: 'users.preRegister',
    call: (c, r) => c.users.preRegister({ emails: [r.target.email], role: 'viewer' }),
    self: (x) => selfGate(x, 'members:invite') ?? (mayGrant(x, 'viewer') ? OK : FORBIDDEN),
    // Acts in the caller's organization whoever the email belongs to (another tenant's owner invites into theirs).
    expected: (x, t) =>
      x.refused
        ? NOT_FOUND
        : x.in === null
          ? NO_ORGANIZATION
          : !x.holds.has('members:invite') || !mayGrant(x, 'viewer')
            ? FORBIDDEN
            : // Anyone but a member or an account it manages is invited: never by a service account.
              x.machine && !t.role && !t.managed
              ? USER_ONLY
              : OK,
    // A member exists; an account the organization manages joins; anyone else is invited, revealing no id.
    after: (s, t, x) =>
      x.in !== 'here' || t.role
        ? s
        : t.managed
          ? { ...s, role: 'viewer', membershipStatus: 'active' }
          : { ...s, pendingInvitations: s.pendingInvitations + 1 },
    check: (v, r, t, x) => {
      const [result] = (v as { results: { outcome: string; userId: string | null }[] }).results;
      const visible = x.in === 'here' && (t.role !== null || t.managed);
      const wanted = visible ? { outcome: 'exists', userId: r.target.userId } : { outcome: 'invited', userId: null };
      const got = { outcome: result?.outcome, userId: result?.userId };
      return JSON.stringify(got) === JSON.stringify(wanted) ? null : `result ${JSON.stringify(got)}`;
    },
  },
  {
    name: 'removeMember',
    procedure: 'organizations.removeMember',
    call: (c, r) => c.organizations.removeMember({ organizationId: r.organizationId, userId: r.target.userId }),
    // A member may leave.
    self: (x) => organizationGate(x, 'members:read') ?? OK,
    expected: (x, t) =>
      organizationGate(x, 'members:read') ??
      (x.holds.has('members:remove') ? null : FORBIDDEN) ??
      (!t.role ? NOT_FOUND : outranks(x, t) ? OK : OUTRANKED),
    after: (s) => ({ ...s, role: null, membershipStatus: null }),
  },
  {
    name: 'updateMemberRole',
    procedure: 'organizations.updateMemberRole',
    call: (c, r) =>
      c.organizations.updateMemberRole({ organizationId: r.organizationId, userId: r.target.userId, role: 'member' }),
    self: (x) => organizationGate(x, 'members:update') ?? FORBIDDEN,
    expected: (x, t) => expectRoleChange(organizationGate(x, 'members:update') ?? (t.role ? null : NOT_FOUND), x, t),
    after: (s) => ({ ...s, role: 'member' }),
  },
  {
    name: 'transferOwnership',
    procedure: 'organizations.transferOwnership',
    call: (c, r) => c.organizations.transferOwnership({ organizationId: r.organizationId, userId: r.target.userId }),
    self: (x) => organizationGate(x, 'members:update') ?? (x.role === 'owner' ? BAD_REQUEST : FORBIDDEN),
    // Owners only; and ownership grants every permission, so the credential must hold them all.
    expected: (x, t) =>
      organizationGate(x, 'members:update') ??
      (x.role !== 'owner' ? FORBIDDEN : !t.role ? NOT_FOUND : mayGrant(x, 'owner') ? OK : FORBIDDEN),
    after: (s) => ({ ...s, role: 'owner' }),
    changesActor: true,
  },
  {
    name: 'users.retrieve',
    procedure: 'users.retrieve',
    call: (c, r) => c.users.retrieve({ userId: r.target.userId }),
    self: (x) => selfGate(x, 'members:read') ?? OK,
    expected: (x, t) => usersGate(x, t, 'members:read') ?? OK,
    check: (v, r) => ((v as { id: string }).id === r.target.userId ? null : 'another user'),
  },
  {
    name: 'users.update name',
    procedure: 'users.update',
    call: (c, r) => c.users.update({ userId: r.target.userId, name: 'Renamed' }),
    // One's own name (through the users router, with its permission).
    self: (x) => selfGate(x, 'members:update') ?? OK,
    // The name is the account's: its managing organization's to change.
    expected: (x, t) =>
      usersGate(x, t, 'members:update') ?? (!outranks(x, t) ? OUTRANKED : t.managed ? OK : NOT_MANAGED),
    after: (s) => ({ ...s, name: 'Renamed' }),
  },
  {
    name: 'users.update role',
    procedure: 'users.update',
    call: (c, r) => c.users.update({ userId: r.target.userId, role: 'member' }),
    self: (x) => selfGate(x, 'members:update') ?? FORBIDDEN,
    expected: (x, t) => expectRoleChange(usersGate(x, t, 'members:update'), x, t),
    after: (s) => ({ ...s, role: 'member' }),
  },
  {
    name: 'users.deactivate',
    procedure: 'users.deactivate',
    call: (c, r) => c.users.deactivate({ userId: r.target.userId }),
    self: (x) => selfGate(x, 'members:update') ?? FORBIDDEN,
    expected: expectStatusChange,
    after: statusChange('deactivated'),
  },
  {
    name: 'users.activate',
    procedure: 'users.activate',
    call: (c, r) => c.users.activate({ userId: r.target.userId }),
    self: (x) => selfGate(x, 'members:update') ?? FORBIDDEN,
    expected: expectStatusChange,
    after: statusChange('active'),
  },
  {
    name: 'users.archive',
    procedure: 'users.archive',
    call: (c, r) => c.users.archive({ userId: r.target.userId }),
    self: (x) => selfGate(x, 'members:update') ?? FORBIDDEN,
    expected: expectStatusChange,
    after: statusChange('archived'),
  },
  {
    name: 'users.delete',
    procedure: 'users.delete',
    call: (c, r) => c.users.delete({ userId: r.target.userId }),
    self: (x) => selfGate(x, 'members:remove') ?? FORBIDDEN,
    // A managed account is deleted; any other leaves this organization only.
    expected: (x, t) => usersGate(x, t, 'members:remove') ?? (outranks(x, t) ? OK : OUTRANKED),
    after: (s, t) =>
      t.managed
        ? {
            ...s,
            exists: false,
            name: null,
            accountStatus: null,
            role: null,
            membershipStatus: null,
            keyRevoked: null,
            keyName: null,
          }
        : { ...s, role: null, membershipStatus: null },
  },
  {
    name: 'users.resetPassword',
    procedure: 'users.resetPassword',
    call: (c, r) => c.users.resetPassword({ userId: r.target.userId }),
    self: (x) => selfGate(x, 'members:update') ?? OK,
    expected: (x, t) =>
      usersGate(x, t, 'members:update') ?? (!outranks(x, t) ? OUTRANKED : t.managed ? OK : NOT_MANAGED),
  },
  {
    name: 'users.getPermissions',
    procedure: 'users.getPermissions',
    call: (c, r) => c.users.getPermissions({ userId: r.target.userId }),
    self: (x) => selfGate(x, 'members:read') ?? OK,
    expected: (x, t) => usersGate(x, t, 'members:read') ?? OK,
    // The contract's shape names no user: the items are the target's role's, in this organization.
    check: (v, r) => {
      const { items } = v as { items: { resource: { id: string }; via: string }[] };
      return items.length > 0 && items.every((i) => i.resource.id === r.organizationId && i.via === 'role')
        ? null
        : 'not the member’s role permissions';
    },
  },
  {
    name: 'auth.getKey',
    procedure: 'auth.getKey',
    call: (c, r) => c.auth.getKey({ keyId: r.target.keyId as string }),
    // Every member manages their own keys.
    self: () => OK,
    expected: (x, t) => keyGate(x, t, 'read') ?? OK,
    needsKey: true,
  },
  {
    name: 'auth.updateKey',
    procedure: 'auth.updateKey',
    call: (c, r) => c.auth.updateKey({ keyId: r.target.keyId as string, name: 'Renamed key' }),
    self: () => OK,
    expected: (x, t) => keyGate(x, t, 'write') ?? OK,
    after: (s) => ({ ...s, keyName: 'Renamed key' }),
    needsKey: true,
  },
  {
    name: 'auth.revokeKey',
    procedure: 'auth.revokeKey',
    call: (c, r) => c.auth.revokeKey({ keyId: r.target.keyId as string }),
    self: () => OK,
    expected: (x, t) => keyGate(x, t, 'write') ?? OK,
    after: (s) => ({ ...s, keyRevoked: true }),
    needsKey: true,
  },
  {
    name: 'auth.rotateKey',
    procedure: 'auth.rotateKey',
    call: (c, r) => c.auth.rotateKey({ keyId: r.target.keyId as string }),
    self: () => OK,
    // Rotation hands out a working secret: only the key's holder rotates it.
    expected: (x, t) => keyGate(x, t, 'write') ?? NOT_KEY_HOLDER,
    needsKey: true,
  },
];

/** The organizations the matrix acts in, made once. */
interface World {
  organizationId: string;
  strangerOrganizationId: string;
  platformOrganizationId: string;
  outsidersOrganizationId: string;
  /** A project of the organization, on which the external actors collaborate. */
  projectId: string;
}
/**
 * The worlds rows run in: a few alike, each row in one of them, so that rows running at the same time
 * seldom wait for the same organization's lock (every membership change takes it).
 */
const WORLDS = 4;
let worlds: Promise<World[]> | undefined;
function theWorlds(): Promise<World[]> {
  worlds ??= Promise.all(Array.from({ length: WORLDS }, makeWorld));
  return worlds;
}

async function makeWorld(): Promise<World> {
  const { organizationId, owner } = await organizationWithOwner();
  // The custom role is made the way an organization makes it.
  await callerFor(env.runtime, bearer(owner.key as string)).roles.create({
    organizationId,
    key: 'remover',
    name: 'Remover',
    permissions: REMOVER,
  });
  return {
    organizationId,
    strangerOrganizationId: await seedOrganization(orm()),
    platformOrganizationId: await seedOrganization(orm()),
    outsidersOrganizationId: await seedOrganization(orm()),
    projectId: await seedProject(orm(), organizationId),
  };
}

function actorSpec(w: World, actor: ActorKind, credential: CredentialKind): AccountSpec {
  // An account of no organization: the external collaborator (its binding is added once seeded), and a
  // placeholder for the service account, whose token replaces it (see withServiceAccounts).
  if (actor === 'external' || actor === 'serviceAccount') return { primaryOrganizationId: null, session: true };
  if (actor === 'deactivated') {
    const organizationId = w.organizationId;
    return {
      memberOf: { organizationId, role: 'admin', status: 'deactivated' },
      managedBy: organizationId,
      key: { organizationId, scopes: null },
      session: true,
    };
  }
  if (actor === 'stranger') {
    const organizationId = w.strangerOrganizationId;
    return {
      memberOf: { organizationId, role: 'owner' },
      key: { organizationId, scopes: scopesOf('owner', 'key') },
      session: true,
    };
  }
  if (actor === 'platformAdmin') {
    return {
      platformAdmin: true,
      memberOf: { organizationId: w.platformOrganizationId, role: 'owner' },
      key: { organizationId: null, scopes: [...platformPermissions] as Scope[] },
      session: true,
    };
  }
  const organizationId = w.organizationId;
  return {
    memberOf: { organizationId, role: actor },
    managedBy: organizationId,
    key: { organizationId, scopes: scopesOf(actor, credential) },
    session: true,
  };
}

/**
 * The seeded actors made what their kind is: an external collaborator gets a project role in the world's
 * organization, a service account an admin account there and a token in place of the key.
 */
async function completeActors(actors: { actor: ActorKind; world: World; account: SeededAccount }[]) {
  return Promise.all(
    actors.map(async ({ actor, world, account }) => {
      if (actor === 'external') {
        await seedCollaborator(orm(), world.organizationId, world.projectId, account.userId);
      }
      if (actor !== 'serviceAccount') return account;
      return { ...account, key: await serviceAccountToken(world.organizationId, 'admin') };
    }),
  );
}

function targetSpec(w: World, target: TargetKind): AccountSpec {
  const t = targetSpecs[target];
  const here = w.organizationId;
  if (target === 'outsider') {
    const elsewhere = w.outsidersOrganizationId;
    return {
      memberOf: { organizationId: elsewhere, role: 'owner' },
      emailVerified: false,
      key: { organizationId: elsewhere, scopes: null },
    };
  }
  return {
    ...(t.role ? { memberOf: { organizationId: here, role: t.role } } : { primaryOrganizationId: null }),
    managedBy: t.managed ? here : null,
    emailVerified: t.verified,
    ...(t.key ? { key: { organizationId: here, scopes: null } } : {}),
  };
}

/** The state of each target after its row, by one query. */
async function statesOf(targets: readonly { organizationId: string; account: SeededAccount }[]): Promise<State[]> {
  const rows = await orm()
    .em.fork()
    .execute<
      {
        ord: number;
        name: string | null;
        account_status: string | null;
        role: string | null;
        membership_status: string | null;
        key_revoked: boolean | null;
        key_name: string | null;
        pending: number;
      }[]
    >(
      `select x.ord, u.name, u.status as account_status, m.role, m.status as membership_status,
              (select k.revoked_at is not null from api_keys k where k.id = x.key_id) as key_revoked,
              (select k.name from api_keys k where k.id = x.key_id) as key_name,
              (select count(*)::int from invitations i
                where i.organization_id = x.org and lower(i.email) = lower(x.email) and i.status = 'pending') as pending
         from jsonb_to_recordset(?::jsonb) as x(ord int, id text, key_id text, email text, org text)
         left join users u on u.id = x.id
         left join memberships m on m.user_id = x.id and m.organization_id = x.org
        order by x.ord`,
      [
        JSON.stringify(
          targets.map((t, ord) => ({
            ord,
            id: t.account.userId,
            key_id: t.account.keyId,
            email: t.account.email,
            org: t.organizationId,
          })),
        ),
      ],
    );
  return rows.map((row) => ({
    exists: row.name != null,
    name: row.name,
    accountStatus: row.account_status,
    role: row.role,
    membershipStatus: row.membership_status,
    keyRevoked: row.key_revoked,
    keyName: row.key_name,
    pendingInvitations: row.pending,
  }));
}

/** The state every target starts in. */
function initialState(spec: TargetSpec): State {
  return {
    exists: true,
    name: 'Member',
    accountStatus: 'active',
    role: spec.role,
    membershipStatus: spec.role ? 'active' : null,
    keyRevoked: spec.key ? false : null,
    keyName: spec.key ? 'matrix key' : null,
    pendingInvitations: 0,
  };
}

/** Every actor × credential × target of the action (key actions: the targets that hold a key). */
function rowsOf(action: Action): Row[] {
  return actorKinds.flatMap((actor) =>
    credentialsOf(actor).flatMap((credential) =>
      targetKinds
        .filter((target) => !action.needsKey || targetSpecs[target].key)
        .filter((target) => target !== 'self' || memberActors.includes(actor))
        .map((target) => ({ action, actor, credential, target })),
    ),
  );
}

/** The one outcome the rules give the row. */
function expectedOf(row: Row): Outcome {
  const acting = actingOf(row.actor, row.credential);
  if (acting.barred) return acting.barred;
  const spec = specOf(row);
  return spec.self ? row.action.self(acting) : row.action.expected(acting, spec);
}

// Rows run a few at a time: each has its own target, so they are independent.
const CONCURRENCY = 4;

/**
 * Runs every row of the action; returns a line per row whose outcome or effect is not the expected one.
 * An actor (one per actor kind and credential) is shared by the action's rows, but for an action that
 * changes the actor (transferOwnership makes them an admin): then each row has its own.
 */
async function runAction(action: Action): Promise<{ rows: number; mismatches: string[] }> {
  const all = await theWorlds();
  const rows = rowsOf(action);
  const worldOf = (index: number) => all[index % WORLDS] as World;
  const cellOf = (index: number) => {
    const row = rows[index] as Row;
    return `${row.actor}/${row.credential}/${index % WORLDS}`;
  };
  const cells = [...new Set(rows.map((_, index) => cellOf(index)))];
  const seeded = await seedAccounts(orm(), [
    // Acting on oneself: the target is a fresh actor of the row's kind.
    ...rows.map((r, i) =>
      r.target === 'self' ? actorSpec(worldOf(i), r.actor, r.credential) : targetSpec(worldOf(i), r.target),
    ),
    ...(action.changesActor
      ? rows.map((r, i) => actorSpec(worldOf(i), r.actor, r.credential))
      : cells.map((c) => {
          const [actor, credential, world] = c.split('/') as [ActorKind, CredentialKind, string];
          return actorSpec(all[Number(world)] as World, actor, credential);
        })),
  ]);
  const targets = seeded.slice(0, rows.length);
  const actorKindsSeeded: { actor: ActorKind; world: World }[] = action.changesActor
    ? rows.map((r, i) => ({ actor: r.actor, world: worldOf(i) }))
    : cells.map((c) => {
        const [actor, , world] = c.split('/') as [ActorKind, CredentialKind, string];
        return { actor, world: all[Number(world)] as World };
      });
  const actors = await completeActors(
    actorKindsSeeded.map((a, i) => ({ ...a, account: seeded[rows.length + i] as SeededAccount })),
  );
  const actorOf = (index: number) =>
    (rows[index]?.target === 'self'
      ? targets[index]
      : actors[action.changesActor ? index : cells.indexOf(cellOf(index))]) as SeededAccount;
  const outcomes = await inPool(
    rows.map((_, index) => index),
    CONCURRENCY,
    async (index) => {
      const row = rows[index] as Row;
      const { organizationId } = worldOf(index);
      const actor = actorOf(index);
      const target = targets[index] as SeededAccount;
      const byKey = row.credential === 'key' || row.credential === 'narrowKey' || row.credential === 'token';
      const caller = as(
        (byKey ? actor.key : actor.sessionToken) as string,
        row.credential === 'session+header' ? organizationId : undefined,
      );
      const context = { organizationId, target };
      const result = await outcomeOf(action.call(caller, context));
      if (result.outcome !== OK || !action.check) return result.outcome;
      const problem = action.check(result.value, context, specOf(row), actingOf(row.actor, row.credential));
      return problem ? `OK but ${problem}` : OK;
    },
  );
  const states = await statesOf(
    targets.map((account, index) => ({ organizationId: worldOf(index).organizationId, account })),
  );
  const mismatches: string[] = [];
  rows.forEach((row, index) => {
    const spec = specOf(row);
    const expected = expectedOf(row);
    let actual = outcomes[index] as string;
    // What the outcome says happened, and nothing else: a refusal changes nothing.
    const before = initialState(spec);
    const wanted =
      actual.startsWith(OK) && action.after ? action.after(before, spec, actingOf(row.actor, row.credential)) : before;
    const state = states[index] as State;
    if (JSON.stringify(state) !== JSON.stringify(wanted)) {
      actual += ` with target ${JSON.stringify(diff(wanted, state))}`;
    }
    if (actual !== expected) {
      mismatches.push(
        `${action.name} | actor=${row.actor} credential=${row.credential} target=${row.target}: expected ${expected}, got ${actual}`,
      );
    }
  });
  return { rows: rows.length, mismatches };
}

function diff(wanted: State, got: State): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(wanted) as (keyof State)[]) {
    if (wanted[key] !== got[key]) out[key] = `${String(got[key])} (expected ${String(wanted[key])})`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// 3. Cross-tenant ids
// ---------------------------------------------------------------------------------------------------

/** Another tenant's children, for the calls that take their ids. */
interface Foreign {
  member: SeededAccount;
  invitationId: string;
  roleId: string;
  usageId: string;
  reservationId: string;
  serviceAccountId: string;
  credentialId: string;
  teamId: string;
  projectId: string;
}

/** Every id-taking procedure, in the caller's own organization (input or context), with another tenant's child id. */
const crossTenantCalls: Record<string, (c: Caller, own: string, x: Foreign) => Promise<unknown>> = {
  'users.retrieve': (c, _, x) => c.users.retrieve({ userId: x.member.userId }),
  'users.update name': (c, _, x) => c.users.update({ userId: x.member.userId, name: 'Taken' }),
  'users.update role': (c, _, x) => c.users.update({ userId: x.member.userId, role: 'admin' }),
  'users.deactivate by id': (c, _, x) => c.users.deactivate({ userId: x.member.userId }),
  'users.deactivate by email': (c, _, x) => c.users.deactivate({ email: x.member.email }),
  'users.activate': (c, _, x) => c.users.activate({ userId: x.member.userId }),
  'users.archive': (c, _, x) => c.users.archive({ userId: x.member.userId }),
  'users.delete': (c, _, x) => c.users.delete({ userId: x.member.userId }),
  'users.resetPassword': (c, _, x) => c.users.resetPassword({ userId: x.member.userId }),
  'users.getPermissions': (c, _, x) => c.users.getPermissions({ userId: x.member.userId }),
  'users.getTeams': (c, _, x) => c.users.getTeams({ userId: x.member.userId }),
  'users.getResources': (c, _, x) => c.users.getResources({ userId: x.member.userId }),
  'users.revokeApiKey': (c, _, x) => c.users.revokeApiKey({ keyId: x.member.keyId as string }),
  'organizations.addMember': (c, own, x) =>
    c.organizations.addMember({ organizationId: own, userId: x.member.userId, role: 'viewer' }),
  'organizations.removeMember': (c, own, x) =>
    c.organizations.removeMember({ organizationId: own, userId: x.member.userId }),
  'organizations.updateMemberRole': (c, own, x) =>
    c.organizations.updateMemberRole({ organizationId: own, userId: x.member.userId, role: 'admin' }),
  'organizations.transferOwnership': (c, own, x) =>
    c.organizations.transferOwnership({ organizationId: own, userId: x.member.userId }),
  'organizations.cancelInvitation': (c, own, x) =>
    c.organizations.cancelInvitation({ organizationId: own, invitationId: x.invitationId }),
  'invitations.resend': (c, _, x) => c.invitations.resend({ invitationId: x.invitationId }),
  'auth.getKey': (c, _, x) => c.auth.getKey({ keyId: x.member.keyId as string }),
  'auth.updateKey': (c, _, x) => c.auth.updateKey({ keyId: x.member.keyId as string, name: 'Taken' }),
  'auth.revokeKey': (c, _, x) => c.auth.revokeKey({ keyId: x.member.keyId as string }),
  'auth.rotateKey': (c, _, x) => c.auth.rotateKey({ keyId: x.member.keyId as string }),
  'roles.update': (c, own, x) => c.roles.update({ organizationId: own, roleId: x.roleId, name: 'Taken' }),
  'roles.delete': (c, own, x) => c.roles.delete({ organizationId: own, roleId: x.roleId }),
  'credits.refund': (c, _, x) => c.credits.refund({ transactionId: x.usageId, idempotencyKey: uniqueKey() }),
  'credits.capture': (c, _, x) => c.credits.capture({ reservationId: x.reservationId, amount: 1 }),
  'credits.release': (c, _, x) => c.credits.release({ reservationId: x.reservationId }),
  'serviceAccounts.retrieve': (c, own, x) =>
    c.serviceAccounts.retrieve({ organizationId: own, serviceAccountId: x.serviceAccountId }),
  'serviceAccounts.update': (c, own, x) =>
    c.serviceAccounts.update({ organizationId: own, serviceAccountId: x.serviceAccountId, name: 'Taken' }),
  'serviceAccounts.delete': (c, own, x) =>
    c.serviceAccounts.delete({ organizationId: own, serviceAccountId: x.serviceAccountId }),
  'serviceAccounts.credentials.create': (c, own, x) =>
    c.serviceAccounts.credentials.create({ organizationId: own, serviceAccountId: x.serviceAccountId }),
  'serviceAccounts.credentials.list': (c, own, x) =>
    c.serviceAccounts.credentials.list({ organizationId: own, serviceAccountId: x.serviceAccountId }),
  'serviceAccounts.credentials.retrieve': (c, own, x) =>
    c.serviceAccounts.credentials.retrieve({
      organizationId: own,
      serviceAccountId: x.serviceAccountId,
      credentialId: x.credentialId,
    }),
  'serviceAccounts.credentials.update': (c, own, x) =>
    c.serviceAccounts.credentials.update({
      organizationId: own,
      serviceAccountId: x.serviceAccountId,
      credentialId: x.credentialId,
      name: 'Taken',
    }),
  'serviceAccounts.credentials.delete': (c, own, x) =>
    c.serviceAccounts.credentials.delete({
      organizationId: own,
      serviceAccountId: x.serviceAccountId,
      credentialId: x.credentialId,
    }),
  'teams.retrieve': (c, own, x) => c.teams.retrieve({ organizationId: own, teamId: x.teamId }),
  'teams.update': (c, own, x) => c.teams.update({ organizationId: own, teamId: x.teamId, name: 'Taken' }),
  'teams.delete': (c, own, x) => c.teams.delete({ organizationId: own, teamId: x.teamId }),
  'teams.members': (c, own, x) => c.teams.members({ organizationId: own, teamId: x.teamId }),
  'teams.addMember': (c, own, x) =>
    c.teams.addMember({ organizationId: own, teamId: x.teamId, userId: x.member.userId }),
  'teams.removeMember': (c, own, x) =>
    c.teams.removeMember({ organizationId: own, teamId: x.teamId, userId: x.member.userId }),
  'teams.grantRole': (c, own, x) => c.teams.grantRole({ organizationId: own, teamId: x.teamId, role: 'viewer' }),
  'teams.revokeRole': (c, own, x) =>
    c.teams.revokeRole({ organizationId: own, teamId: x.teamId, projectId: x.projectId }),
  'projects.retrieve': (c, own, x) => c.projects.retrieve({ organizationId: own, projectId: x.projectId }),
  'projects.update': (c, own, x) => c.projects.update({ organizationId: own, projectId: x.projectId, name: 'Taken' }),
  'projects.delete': (c, own, x) => c.projects.delete({ organizationId: own, projectId: x.projectId }),
  'projects.collaborators': (c, own, x) => c.projects.collaborators({ organizationId: own, projectId: x.projectId }),
  'projects.addCollaborator': (c, own, x) =>
    c.projects.addCollaborator({
      organizationId: own,
      projectId: x.projectId,
      teamId: x.teamId,
      role: 'project_admin',
    }),
  'projects.removeCollaborator': (c, own, x) =>
    c.projects.removeCollaborator({ organizationId: own, projectId: x.projectId, teamId: x.teamId }),
  'permissions.explain': (c, own, x) =>
    c.permissions.explain({ organizationId: own, principalId: x.member.userId, permission: 'projects:read' }),
  'permissions.explain resource': (c, own, x) =>
    c.permissions.explain({
      organizationId: own,
      principalId: x.member.userId,
      permission: 'projects:read',
      resourceId: x.projectId,
    }),
};

/** Procedures taking a child id that are not called above, and why. */
const crossTenantExempt: Record<string, string> = {
  // Filters of the caller's own organization's events: another tenant's id matches nothing (checked below).
  'audit.list': 'filter',
  // The client id and secret are the credential: another tenant's client id with this organization is
  // invalid_client (service-accounts.test.ts), and nothing of the other tenant is changed or shown.
  'organizations.exchangeToken': 'credential',
  // Platform scope spans every tenant (the platform gate is checked in the gates).
  'platform.users.retrieve': 'platform',
  'platform.users.deactivate': 'platform',
  'platform.users.activate': 'platform',
};

/** The procedures whose input takes the id of something (`…Id`, organizationId aside), read from the router. */
function idTakingProcedures(): string[] {
  type Schema = { shape?: Record<string, unknown>; unwrap?: () => Schema; _def?: { innerType?: Schema } };
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { inputs: Schema[] } }>;
  return Object.entries(procedures)
    .filter(([, procedure]) =>
      procedure._def.inputs.some((input) => {
        let schema: Schema | undefined = input;
        while (schema && !schema.shape && (schema.unwrap || schema._def?.innerType)) {
          schema = schema.unwrap ? schema.unwrap() : schema._def?.innerType;
        }
        return Object.keys(schema?.shape ?? {}).some((key) => key.endsWith('Id') && key !== 'organizationId');
      }),
    )
    .map(([path]) => path)
    .sort();
}

/** What the other tenant's children look like; none of the calls may change it. */
async function foreignState(organizationId: string, x: Foreign) {
  const [row] = await orm()
    .em.fork()
    .execute(
      `select u.name, u.status, m.role, m.status as membership_status,
              (select k.key_prefix || ':' || k.name || ':' || coalesce(k.revoked_at::text, 'live') from api_keys k where k.id = ?) as key,
              (select i.status || ':' || i.token_hash from invitations i where i.id = ?) as invitation,
              (select r.name || ':' || array_to_string(r.permissions, ',') from roles r where r.id = ?) as role_row,
              (select count(*)::int from credit_transactions t where t.refund_of = ?) as refunds,
              (select r.status || ':' || r.captured_amount from credit_reservations r where r.id = ?) as reservation,
              (select a.name || ':' || a.role from service_accounts a where a.id = ?) as service_account,
              (select count(*)::int || ':' || min(c.name) from service_account_credentials c where c.service_account_id = ?) as credentials,
              (select t.name || ':' || (select count(*) from team_members tm where tm.team_id = t.id) from teams t where t.id = ?) as team,
              (select p.name || ':' || (select string_agg(b.role, ',') from role_bindings b where b.project_id = p.id) from projects p where p.id = ?) as project
         from users u left join memberships m on m.user_id = u.id and m.organization_id = ?
        where u.id = ?`,
      [
        x.member.keyId,
        x.invitationId,
        x.roleId,
        x.usageId,
        x.reservationId,
        x.serviceAccountId,
        x.serviceAccountId,
        x.teamId,
        x.projectId,
        organizationId,
        x.member.userId,
      ],
    );
  return row;
}

// ---------------------------------------------------------------------------------------------------
// 4. Per-procedure gates
// ---------------------------------------------------------------------------------------------------

const roles = Object.keys(builtInRoles) as BuiltInRole[];
type GateCredential = 'key' | 'session';
const gateCredentials: GateCredential[] = ['key', 'session'];
const credentialOf = (account: SeededAccount, credential: GateCredential) =>
  (credential === 'key' ? account.key : account.sessionToken) as string;
/** A caller by key, or by session naming the organization (X-Gatehouse-Organization). */
const asBy = (account: SeededAccount, credential: GateCredential, organizationId: string) =>
  credential === 'key' ? as(account.key as string) : as(account.sessionToken as string, organizationId);

/** The built-in roles a service account may hold (never owner). */
const machineRoles: BuiltInRole[] = ['admin', 'member', 'viewer'];
/** What the gates' external collaborator holds on the projects the fixture makes. */
const EXTERNAL_ROLE = 'project_viewer';

let stranger: { organizationId: string; owner: SeededAccount } | undefined;
async function theStranger() {
  stranger ??= await organizationWithOwner();
  return stranger;
}

let operator: { organizationId: string; admin: SeededAccount; keys: Map<string, string> } | undefined;
/** The platform admin (a member of their own organization only) and their platform keys by scopes. */
async function theOperator() {
  operator ??= { ...(await platformAdmin()), keys: new Map() };
  return operator;
}
async function operatorKey(scopes: PlatformPermission[]): Promise<string> {
  const op = await theOperator();
  const name = scopes.join(' ');
  const known = op.keys.get(name);
  if (known) return known;
  const key = await platformKey(op.admin.sessionToken as string, scopes);
  op.keys.set(name, key);
  return key;
}

let addresses = 0;
/**
 * A service account of the organization holding `role`, and an access token issued to it through the
 * client-credentials grant (each from its own address: token requests are throttled per address).
 */
async function serviceAccountToken(organizationId: string, role: string): Promise<string> {
  const { clientId, clientSecret } = await seedServiceAccount(orm(), organizationId, role);
  const ip = `198.51.100.${(++addresses % 250) + 1}`;
  const token = await callerFor(env.runtime, {}, ip).organizations.exchangeToken({
    organizationId,
    clientId,
    clientSecret,
  });
  return token.access_token;
}

/**
 * The actors of the organization that are neither its members in good standing nor another tenant:
 * a member whose membership is deactivated (an admin, so the status and not the role refuses), an
 * external collaborator (a signed-up user of no organization, project_viewer on projects here; see
 * fixtureFor), and a service account of each role with a token. Plus a suspended organization with
 * its owner and a service account whose token was issued before the suspension.
 */
async function outsideActors(organizationId: string) {
  const [deactivated, external] = await seedAccounts(orm(), [
    {
      memberOf: { organizationId, role: 'admin', status: 'deactivated' },
      managedBy: organizationId,
      key: { organizationId, scopes: null },
      session: true,
      password: PASSWORD,
    },
    { primaryOrganizationId: null, session: true, password: PASSWORD },
  ]);
  const externalId = (external as SeededAccount).userId;
  // A collaborator from the start, so that the organization is one they act in (projects.list).
  await seedCollaborator(orm(), organizationId, await seedProject(orm(), organizationId), externalId, EXTERNAL_ROLE);
  const machines = await Promise.all(machineRoles.map((role) => serviceAccountToken(organizationId, role)));
  const suspended = await organizationWithOwner({ credits: 1000 });
  const suspendedMachine = await serviceAccountToken(suspended.organizationId, 'admin');
  await suspendOrganization(orm(), suspended.organizationId);
  return {
    deactivated: deactivated as SeededAccount,
    external: external as SeededAccount,
    fixture: fixtureFor(organizationId, { collaborator: externalId }),
    machines: machineRoles.map((role, i) => ({ role, token: machines[i] as string })),
    suspended: { ...suspended, machine: suspendedMachine, fixture: fixtureFor(suspended.organizationId) },
  };
}

/** Runs the calls a few at a time and lists `who: outcome` lines, to compare with the expected ones. */
async function outcomes(calls: [string, () => Promise<unknown>][]): Promise<string[]> {
  return inPool(calls, 3, async ([who, call]) => `${who}: ${(await outcomeOf(call())).outcome}`);
}

/** Calls and the outcome each must have, compared as one list. */
class Expectations {
  readonly calls: [string, () => Promise<unknown>][] = [];
  readonly expected: string[] = [];
  add(who: string, call: () => Promise<unknown>, outcome: Outcome) {
    this.calls.push([who, call]);
    this.expected.push(`${who}: ${outcome}`);
  }
  async check() {
    expect(await outcomes(this.calls)).toEqual(this.expected);
  }
}

/** What an external collaborator (project_viewer on the projects named) gets from an organization's procedure. */
function externalOutcome(path: string, entry: Extract<Entry, { kind: 'org' }>): Outcome {
  // The users router acts in the caller's organization, and they act in none.
  if (path.startsWith('users.')) return NO_ORGANIZATION;
  if (entry.on === 'reach') return OK;
  if (entry.on === 'project') {
    return (projectRoles[EXTERNAL_ROLE] as readonly Permission[]).includes(entry.permission) ? OK : FORBIDDEN;
  }
  // Anything else of the organization is its members': they are none.
  return NOT_FOUND;
}

async function gateCheck(path: string, entry: Extract<Entry, { kind: 'org' }>) {
  const { organizationId } = await organizationWithOwner({ credits: 1000 });
  const outsider = (await theStranger()).owner;
  const allowed =
    entry.allowed ?? roles.filter((r) => (builtInRoles[r] as readonly Permission[]).includes(entry.permission));
  const others = await outsideActors(organizationId);
  const fixture = others.fixture;
  const x = new Expectations();
  x.add('anonymous', () => entry.call(anonymous(), fixture), UNAUTHORIZED);
  for (const credential of gateCredentials) {
    x.add(
      `other tenant's owner (${credential})`,
      () => entry.call(as(credentialOf(outsider, credential)), fixture),
      entry.outsider === 'OK' ? OK : NOT_FOUND,
    );
  }
  // One actor per role and credential (a success may change the actor, e.g. ownership transferred).
  const cells = roles.flatMap((role) => gateCredentials.map((credential) => ({ role, credential })));
  const homes = entry.isolate
    ? await Promise.all(cells.map(async () => (await organizationWithOwner({ credits: 1000 })).organizationId))
    : cells.map(() => organizationId);
  const actors = await seedAccounts(
    orm(),
    cells.map(({ role }, i) => ({
      memberOf: { organizationId: homes[i] as string, role },
      managedBy: homes[i] as string,
      key: { organizationId: homes[i] as string, scopes: null },
      session: true,
    })),
  );
  cells.forEach(({ role, credential }, i) => {
    const home = homes[i] as string;
    x.add(
      `${role} (${credential})`,
      () => entry.call(asBy(actors[i] as SeededAccount, credential, home), entry.isolate ? fixtureFor(home) : fixture),
      allowed.includes(role) ? OK : FORBIDDEN,
    );
  });
  for (const { role, token } of others.machines) {
    const passes = allowed.includes(role);
    x.add(
      `service account, ${role} (token)`,
      () => entry.call(as(token), fixture),
      !passes ? FORBIDDEN : entry.userOnly ? USER_ONLY : OK,
    );
  }
  for (const credential of gateCredentials) {
    x.add(
      `deactivated admin (${credential})`,
      () => entry.call(asBy(others.deactivated, credential, organizationId), fixture),
      MEMBERSHIP_DEACTIVATED,
    );
  }
  x.add(
    'external collaborator (session)',
    () => entry.call(as(others.external.sessionToken as string), fixture),
    externalOutcome(path, entry),
  );
  const { suspended } = others;
  for (const credential of gateCredentials) {
    x.add(
      `suspended organization's owner (${credential})`,
      () => entry.call(asBy(suspended.owner, credential, suspended.organizationId), suspended.fixture),
      ORGANIZATION_SUSPENDED,
    );
  }
  x.add(
    "suspended organization's service account (token)",
    () => entry.call(as(suspended.machine), suspended.fixture),
    ORGANIZATION_SUSPENDED,
  );
  await x.check();
}

/** The caller's own account, keys and organizations: every kind of caller, each acting on their own. */
async function authedCheck(entry: Extract<Entry, { kind: 'authed' }>, path: string) {
  const { organizationId } = await organizationWithOwner();
  const others = await outsideActors(organizationId);
  const fixture = others.fixture;
  const x = new Expectations();
  x.add('anonymous', () => entry.call(anonymous(), fixture), UNAUTHORIZED);
  const cells = roles.flatMap((role) => gateCredentials.map((credential) => ({ role, credential })));
  const actors = await seedAccounts(
    orm(),
    cells.map(({ role }) => ({
      memberOf: { organizationId, role },
      managedBy: organizationId,
      key: { organizationId, scopes: null },
      session: true,
      password: PASSWORD,
    })),
  );
  cells.forEach(({ role, credential }, i) => {
    const me = actors[i] as SeededAccount;
    x.add(
      `${role} (${credential})`,
      () => entry.call(asBy(me, credential, organizationId), fixture, me),
      credential === 'key' ? (entry.byKey ?? OK) : OK,
    );
  });
  // A service account acts as no user: it may only ask who it is.
  for (const { role, token } of others.machines) {
    x.add(
      `service account, ${role} (token)`,
      () => entry.call(as(token), fixture),
      path === 'auth.whoami' ? OK : USER_ONLY,
    );
  }
  for (const credential of gateCredentials) {
    x.add(
      `deactivated admin (${credential})`,
      () => entry.call(asBy(others.deactivated, credential, organizationId), fixture, others.deactivated),
      MEMBERSHIP_DEACTIVATED,
    );
  }
  x.add(
    'external collaborator (session)',
    () => entry.call(as(others.external.sessionToken as string), fixture, others.external),
    entry.noOrganization ?? OK,
  );
  const { suspended } = others;
  for (const credential of gateCredentials) {
    x.add(
      `suspended organization's owner (${credential})`,
      () => entry.call(asBy(suspended.owner, credential, suspended.organizationId), suspended.fixture, suspended.owner),
      ORGANIZATION_SUSPENDED,
    );
  }
  x.add(
    "suspended organization's service account (token)",
    () => entry.call(as(suspended.machine), suspended.fixture),
    ORGANIZATION_SUSPENDED,
  );
  await x.check();
}

async function platformGateCheck(entry: Extract<Entry, { kind: 'platform' }>) {
  const { organizationId, owner } = await organizationWithOwner();
  const op = await theOperator();
  const others = await outsideActors(organizationId);
  const fixture = fixtureFor(organizationId);
  const scope = entry.permission ?? 'platform:users:read';
  const other = platformPermissions.find((p) => p.startsWith('platform:') && p !== scope) as PlatformPermission;
  // A platform admin whose own organization is suspended: the platform acts whatever its state.
  const suspendedOperator = await platformAdmin();
  await suspendOrganization(orm(), suspendedOperator.organizationId);
  const x = new Expectations();
  x.add('anonymous', () => entry.call(anonymous(), fixture), UNAUTHORIZED);
  x.add("an organization's owner (key)", () => entry.call(as(owner.key as string), fixture), FORBIDDEN);
  x.add("an organization's owner (session)", () => entry.call(as(owner.sessionToken as string), fixture), FORBIDDEN);
  x.add('platform admin (session)', () => entry.call(as(op.admin.sessionToken as string), fixture), OK);
  x.add("platform admin's organization key", () => entry.call(as(op.admin.key as string), fixture), FORBIDDEN);
  x.add(`platform key [${scope}]`, async () => entry.call(as(await operatorKey([scope])), fixture), OK);
  x.add(`platform key [${other}]`, async () => entry.call(as(await operatorKey([other])), fixture), FORBIDDEN);
  x.add(
    'platform admin of a suspended organization (session)',
    () => entry.call(as(suspendedOperator.admin.sessionToken as string), fixture),
    OK,
  );
  // Nobody else reaches the platform router.
  x.add(
    'service account, admin (token)',
    () => entry.call(as(others.machines[0]?.token as string), fixture),
    FORBIDDEN,
  );
  x.add('deactivated admin (key)', () => entry.call(as(others.deactivated.key as string), fixture), FORBIDDEN);
  x.add(
    'external collaborator (session)',
    () => entry.call(as(others.external.sessionToken as string), fixture),
    FORBIDDEN,
  );
  x.add(
    "suspended organization's owner (session)",
    () => entry.call(as(others.suspended.owner.sessionToken as string), fixture),
    FORBIDDEN,
  );
  await x.check();
}

/** credits.grant and credits.refund: platform credentials on any organization; no organization role. */
async function platformOnlyCheck(entry: Extract<Entry, { kind: 'platformOnly' }>) {
  const { organizationId } = await organizationWithOwner({ credits: 1000 });
  const others = await outsideActors(organizationId);
  const fixture = others.fixture;
  const outsider = (await theStranger()).owner;
  const op = await theOperator();
  const own = fixtureFor(op.organizationId);
  const x = new Expectations();
  x.add('anonymous', () => entry.call(anonymous(), fixture), UNAUTHORIZED);
  const cells = roles.flatMap((role) => gateCredentials.map((credential) => ({ role, credential })));
  const actors = await seedAccounts(
    orm(),
    cells.map(({ role }) => ({
      memberOf: { organizationId, role },
      managedBy: organizationId,
      key: { organizationId, scopes: null },
      session: true,
    })),
  );
  cells.forEach(({ role, credential }, i) => {
    x.add(
      `${role} (${credential})`,
      () => entry.call(asBy(actors[i] as SeededAccount, credential, organizationId), fixture),
      PLATFORM_ONLY,
    );
  });
  for (const { role, token } of others.machines) {
    x.add(`service account, ${role} (token)`, () => entry.call(as(token), fixture), PLATFORM_ONLY);
  }
  for (const credential of gateCredentials) {
    x.add(
      `deactivated admin (${credential})`,
      () => entry.call(asBy(others.deactivated, credential, organizationId), fixture),
      MEMBERSHIP_DEACTIVATED,
    );
  }
  x.add(
    'external collaborator (session)',
    () => entry.call(as(others.external.sessionToken as string), fixture),
    NOT_FOUND,
  );
  const { suspended } = others;
  x.add(
    "suspended organization's owner (key)",
    () => entry.call(as(suspended.owner.key as string), suspended.fixture),
    ORGANIZATION_SUSPENDED,
  );
  const session = op.admin.sessionToken as string;
  x.add("other tenant's owner (key)", () => entry.call(as(outsider.key as string), fixture), NOT_FOUND);
  x.add("other tenant's owner (session)", () => entry.call(as(outsider.sessionToken as string), fixture), NOT_FOUND);
  // A platform admin acts on any organization, member or not, suspended or not.
  x.add('platform admin (session)', () => entry.call(as(session), fixture), OK);
  x.add('platform admin (session), a suspended organization', () => entry.call(as(session), suspended.fixture), OK);
  // …but a session naming an organization acts as a member of it, which they are not.
  x.add(
    'platform admin (session naming the organization)',
    () => entry.call(as(session, organizationId), fixture),
    NOT_FOUND,
  );
  x.add(
    `platform key [${entry.permission}]`,
    async () => entry.call(as(await operatorKey([entry.permission])), fixture),
    OK,
  );
  x.add(
    'platform key [platform:users:read]',
    async () => entry.call(as(await operatorKey(['platform:users:read'])), fixture),
    NOT_FOUND,
  );
  // An organization key of a platform admin acts in its own organization only.
  x.add(
    "platform admin's organization key, another organization",
    () => entry.call(as(op.admin.key as string), fixture),
    NOT_FOUND,
  );
  x.add(
    "platform admin's organization key, its own organization",
    () => entry.call(as(op.admin.key as string), own),
    OK,
  );
  x.add('platform admin (session), their own organization', () => entry.call(as(session), own), OK);
  await x.check();
}

// ---------------------------------------------------------------------------------------------------
// The suite
// ---------------------------------------------------------------------------------------------------

describe('authorization matrix', () => {
  it('has an entry for every procedure', () => {
    expect(procedures).toEqual(Object.keys(matrix).sort());
  });

  it('has actor rows for every procedure that acts on a member, and only for those', () => {
    const onMember = Object.entries(matrix)
      .filter(([, e]) => (e.kind === 'org' || e.kind === 'authed') && e.onMember)
      .map(([path]) => path)
      .sort();
    expect([...new Set(actions.map((a) => a.procedure))].sort()).toEqual(onMember);
  });

  it('expects every named outcome somewhere in the actor matrix', () => {
    const histogram: Record<string, number> = {};
    for (const action of actions) {
      for (const row of rowsOf(action)) {
        const outcome = expectedOf(row);
        histogram[outcome] = (histogram[outcome] ?? 0) + 1;
      }
    }
    // 3,916 rows: 28 actor/credential pairs × 7 targets (6 holding a key, for the 4 key actions) × 19 actions,
    // and the 16 member actor/credential pairs acting on themselves in each action.
    expect(Object.values(histogram).reduce((a, b) => a + b)).toBe(3916);
    expect(Object.keys(histogram).sort()).toEqual(
      [
        OK,
        NOT_FOUND,
        FORBIDDEN,
        OUTRANKED,
        NOT_MANAGED,
        NOT_KEY_HOLDER,
        ALREADY_MEMBER,
        NO_ORGANIZATION,
        USER_ONLY,
        MEMBERSHIP_DEACTIVATED,
      ].sort(),
    );
  });

  describe('actor × credential × target', () => {
    for (const action of actions) {
      it(action.name, async () => {
        const { mismatches } = await runAction(action);
        expect(mismatches).toEqual([]);
      });
    }
  });

  it('has a cross-tenant call for every procedure that takes an id', () => {
    const called = new Set(Object.keys(crossTenantCalls).map((name) => name.split(' ')[0] as string));
    expect(idTakingProcedures()).toEqual([...new Set([...called, ...Object.keys(crossTenantExempt)])].sort());
  });

  it("another tenant's ids are NOT_FOUND in the caller's own organization, and stay untouched", async () => {
    const caller = await organizationWithOwner();
    const { organizationId } = await organizationWithOwner({ credits: 10 });
    const [member] = await seedAccounts(orm(), [
      {
        memberOf: { organizationId, role: 'viewer' },
        managedBy: organizationId,
        key: { organizationId, scopes: null },
      },
    ]);
    const foreign: Foreign = {
      member: member as SeededAccount,
      invitationId: await seedInvitation(orm(), organizationId),
      roleId: await seedRole(orm(), organizationId, ['projects:read']),
      usageId: await seedUsage(orm(), organizationId),
      reservationId: await seedReservation(orm(), organizationId),
      ...(await credentialRef(organizationId)),
      teamId: await seedTeam(orm(), organizationId, member?.userId),
      projectId: '',
    };
    foreign.projectId = await seedProject(orm(), organizationId, foreign.teamId);
    const before = await foreignState(organizationId, foreign);
    const calls: [string, () => Promise<unknown>][] = [];
    for (const [name, call] of Object.entries(crossTenantCalls)) {
      calls.push([`${name} (key)`, () => call(as(caller.owner.key as string), caller.organizationId, foreign)]);
      calls.push([
        `${name} (session)`,
        () => call(as(caller.owner.sessionToken as string, caller.organizationId), caller.organizationId, foreign),
      ]);
    }
    expect(await outcomes(calls)).toEqual(calls.map(([who]) => `${who}: ${NOT_FOUND}`));
    expect(await foreignState(organizationId, foreign)).toEqual(before);
    // As audit filters they match nothing of the other tenant's.
    const audit = await as(caller.owner.key as string).audit.list({
      organizationId: caller.organizationId,
      targetId: foreign.member.userId,
    });
    expect(audit.items).toEqual([]);
  });

  describe('gates', () => {
    for (const [path, entry] of Object.entries(matrix)) {
      if (entry.kind === 'org') {
        const allowed =
          entry.allowed ?? roles.filter((r) => (builtInRoles[r] as readonly Permission[]).includes(entry.permission));
        it(`${path}: anonymous UNAUTHORIZED, other tenant ${entry.outsider ?? 'NOT_FOUND'}, ${allowed.join('/') || 'no role'} OK, others FORBIDDEN; service accounts, deactivated members, external collaborators, suspended organizations`, () =>
          gateCheck(path, entry));
      } else if (entry.kind === 'platform') {
        it(`${path}: platform admin session or platform key [${entry.permission ?? 'any'}] only`, () =>
          platformGateCheck(entry));
      } else if (entry.kind === 'platformOnly') {
        it(`${path}: platform credentials on any organization, PLATFORM_ONLY for every role`, () =>
          platformOnlyCheck(entry));
      } else if (entry.kind === 'authed') {
        it(`${path}: every user on their own things; USER_ONLY for service accounts; barred members refused`, () =>
          authedCheck(entry, path));
      }
    }

    it('requires a credential for every authenticated procedure', async () => {
      type Procedure = (input?: unknown) => Promise<unknown>;
      const caller = anonymous() as unknown as Record<string, Record<string, Procedure>>;
      const authed = Object.entries(matrix).filter(([, e]) => e.kind === 'authed');
      // Authentication runs before input validation, so even an empty input is UNAUTHORIZED.
      const lines = await outcomes(
        authed.map(([path]) => {
          const [group, name] = path.split('.') as [string, string];
          return [path, async () => (caller[group] as Record<string, Procedure>)[name]?.({})];
        }),
      );
      expect(lines).toEqual(authed.map(([path]) => `${path}: ${UNAUTHORIZED}`));
    });
  });
});
