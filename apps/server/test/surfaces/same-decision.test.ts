// The same request gets the same decision on every surface. Two tables here:
//
// 1. The surface table: cases × the surfaces of adapters.ts, each case expecting one outcome (HTTP
//    status, code, reason) wherever it is sent.
//
// 2. The REST differential: every REST route decides as its procedure does over tRPC. Table-driven
//    from the route table itself: each route is called by an anonymous caller, another organization's owner, the platform's operator
//    (a platform key), and a viewer, a member (by key and by session) and the owner of the organization, once over REST and once
//    through the tRPC caller, each time with a valid input naming real things made for that one call (a
//    fresh organization: a call may delete what it names, or the organization itself). The outcomes
//    (`OK` or `code:reason`) must match, no call may be an internal error (the guard of
//    testing/internal-errors.ts fails the test), and every route must succeed for someone, so the table
//    reaches past input validation into every procedure.
import { createHash } from 'node:crypto';
import { AppError } from '@gatehouse/api';
import {
  callerFor,
  memberWithKey,
  ownerWithKey,
  platformAdminWithKey,
  registerPermissions,
  type SeededAccount,
  seedAccounts,
  seedBalance,
  seedDelivery,
  seedDomain,
  seedInvitationToken,
  seedMailedToken,
  seedMfaChallenge,
  seedOrganization,
  seedProject,
  seedReservation,
  seedRole,
  seedServiceAccount,
  seedSsoCode,
  seedSsoConnection,
  seedSteppedUp,
  seedTeam,
  seedTotp,
  seedUsage,
  seedWebhook,
  sessionFor,
  sharedStubIssuer,
  softwareAuthenticator,
  uniqueEmail,
  uniqueKey,
  useTestRuntime,
} from '@gatehouse/api/testing';
import { TRPCError } from '@trpc/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Route, routes } from '../../src/rest/routes.js';
import { type App, appFor, fromPeer } from '../app.js';
import { bearer } from '../hostile/http.js';
import { restRequestOf } from '../rest/rest-caller.js';
import { type Operation, type Outcome, surfaces } from './adapters.js';

// Loopback URLs: sso.enable discovers the stub issuer (testing/oidc.ts) on 127.0.0.1.
const env = useTestRuntime({ allowLoopbackUrls: true });

interface Arranged {
  key: string | null;
  operation: Operation;
}

interface Case {
  name: string;
  arrange(): Promise<Arranged>;
  expected: Outcome;
}

const refused = (status: number, code: string, reason: string = code): Outcome => ({
  status,
  code,
  reason,
  retryAfter: status === 429,
});

async function tenant() {
  const owner = await ownerWithKey(env.db.orm);
  const member = await memberWithKey(env.db.orm, owner.organizationId, 'member');
  return { owner, member, organizationId: owner.organizationId };
}

/** A tenant whose settings require a second factor, with a session of its member (who has none yet). */
async function enforcingTenant() {
  const t = await tenant();
  await callerFor(env.runtime, bearer(t.owner.key)).organizations.update({
    organizationId: t.organizationId,
    settings: { enforceMfa: true },
  });
  return { ...t, session: await sessionFor(env.db.orm, t.member.userId) };
}

const cases: Case[] = [
  {
    name: 'allowed: an owner lists the members',
    async arrange() {
      const { owner, organizationId } = await tenant();
      return { key: owner.key, operation: { op: 'listMembers', organizationId } };
    },
    expected: { status: 200, code: 'OK', reason: 'OK', retryAfter: false },
  },
  // Each operation allowed once, so every surface reaches the service behind it (a 500 there fails the test).
  {
    name: 'allowed: an owner invites',
    async arrange() {
      const { owner, organizationId } = await tenant();
      return {
        key: owner.key,
        operation: { op: 'invite', organizationId, email: uniqueEmail('same'), role: 'member' },
      };
    },
    expected: { status: 200, code: 'OK', reason: 'OK', retryAfter: false },
  },
  {
    name: 'allowed: an owner makes a member an admin',
    async arrange() {
      const { owner, member, organizationId } = await tenant();
      return {
        key: owner.key,
        operation: { op: 'updateMemberRole', organizationId, userId: member.userId, role: 'admin' },
      };
    },
    expected: { status: 200, code: 'OK', reason: 'OK', retryAfter: false },
  },
  {
    name: 'allowed: an owner deactivates a member',
    async arrange() {
      const { owner, member, organizationId } = await tenant();
      return { key: owner.key, operation: { op: 'deactivateUser', organizationId, userId: member.userId } };
    },
    expected: { status: 200, code: 'OK', reason: 'OK', retryAfter: false },
  },
  {
    name: 'forbidden: a member invites',
    async arrange() {
      const { member, organizationId } = await tenant();
      return {
        key: member.key,
        operation: { op: 'invite', organizationId, email: uniqueEmail('same'), role: 'member' },
      };
    },
    expected: refused(403, 'FORBIDDEN'),
  },
  {
    name: 'forbidden: a member changes another member’s role',
    async arrange() {
      const { member, owner, organizationId } = await tenant();
      const other = await memberWithKey(env.db.orm, owner.organizationId, 'member');
      return {
        key: member.key,
        operation: { op: 'updateMemberRole', organizationId, userId: other.userId, role: 'admin' },
      };
    },
    expected: refused(403, 'FORBIDDEN'),
  },
  {
    name: 'forbidden: a key scoped without members:read lists the members',
    async arrange() {
      const { organizationId } = await tenant();
      const scoped = await memberWithKey(env.db.orm, organizationId, 'admin', ['organizations:read']);
      return { key: scoped.key, operation: { op: 'listMembers', organizationId } };
    },
    expected: refused(403, 'FORBIDDEN'),
  },
  {
    name: 'forbidden by rank: an admin demotes the owner',
    async arrange() {
      const { owner, organizationId } = await tenant();
      const admin = await memberWithKey(env.db.orm, organizationId, 'admin');
      return {
        key: admin.key,
        operation: { op: 'updateMemberRole', organizationId, userId: owner.userId, role: 'member' },
      };
    },
    expected: refused(403, 'FORBIDDEN', 'OUTRANKED'),
  },
  {
    name: 'not found: a user id that does not exist',
    async arrange() {
      const { owner, organizationId } = await tenant();
      return { key: owner.key, operation: { op: 'deactivateUser', organizationId, userId: `usr_${'0'.repeat(26)}` } };
    },
    expected: refused(404, 'NOT_FOUND'),
  },
  {
    name: 'cross-tenant: another organization’s member’s role',
    async arrange() {
      const { owner, organizationId } = await tenant();
      const { member: theirs } = await tenant();
      return {
        key: owner.key,
        operation: { op: 'updateMemberRole', organizationId, userId: theirs.userId, role: 'admin' },
      };
    },
    expected: refused(404, 'NOT_FOUND'),
  },
  {
    name: 'cross-tenant: deactivating another organization’s member',
    async arrange() {
      const { owner, organizationId } = await tenant();
      const { member: theirs } = await tenant();
      return { key: owner.key, operation: { op: 'deactivateUser', organizationId, userId: theirs.userId } };
    },
    expected: refused(404, 'NOT_FOUND'),
  },
  {
    name: 'invalid: an invitation to something that is not an email',
    async arrange() {
      const { owner, organizationId } = await tenant();
      return { key: owner.key, operation: { op: 'invite', organizationId, email: 'not-an-email', role: 'member' } };
    },
    expected: refused(400, 'BAD_REQUEST'),
  },
  {
    name: 'invalid: a malformed user id',
    async arrange() {
      const { owner, organizationId } = await tenant();
      return { key: owner.key, operation: { op: 'deactivateUser', organizationId, userId: 'nope' } };
    },
    expected: refused(400, 'BAD_REQUEST'),
  },
  {
    name: 'unauthenticated: a wrong secret',
    async arrange() {
      const { owner, organizationId } = await tenant();
      // Another last character (never the same one: that would be the right key).
      const wrong = `${owner.key.slice(0, -1)}${owner.key.endsWith('0') ? '1' : '0'}`;
      return { key: wrong, operation: { op: 'listMembers', organizationId } };
    },
    expected: refused(401, 'UNAUTHORIZED'),
  },
  {
    name: 'unauthenticated: no credentials',
    async arrange() {
      const { organizationId } = await tenant();
      return { key: null, operation: { op: 'listMembers', organizationId } };
    },
    expected: refused(401, 'UNAUTHORIZED'),
  },
  {
    name: 'throttled: a key past its rate limit',
    async arrange() {
      const { owner, organizationId } = await tenant();
      const limited = await callerFor(env.runtime, bearer(owner.key)).auth.createKey({
        name: 'limited',
        rateLimit: { limit: 1, windowSeconds: 3600 },
      });
      // The one call of the window, spent before any surface is asked.
      await callerFor(env.runtime, bearer(limited.key)).auth.whoami();
      return { key: limited.key, operation: { op: 'listMembers', organizationId } };
    },
    expected: refused(429, 'TOO_MANY_REQUESTS'),
  },
  {
    name: 'throttled: a key made with a key past its rate limit',
    async arrange() {
      const { owner, organizationId } = await tenant();
      const parent = await callerFor(env.runtime, bearer(owner.key)).auth.createKey({
        name: 'limited',
        rateLimit: { limit: 2, windowSeconds: 86_400 },
      });
      // The parent's two calls of the window: minting the child, then one more. The child spends them too.
      const child = await callerFor(env.runtime, bearer(parent.key)).auth.createKey({ name: 'child' });
      await callerFor(env.runtime, bearer(parent.key)).auth.whoami();
      return { key: child.key, operation: { op: 'listMembers', organizationId } };
    },
    expected: refused(429, 'TOO_MANY_REQUESTS'),
  },
  {
    name: 'mfa required: a session without a factor, where the organization requires one',
    async arrange() {
      const { session, organizationId } = await enforcingTenant();
      return { key: session, operation: { op: 'listMembers', organizationId } };
    },
    expected: refused(403, 'FORBIDDEN', 'MFA_REQUIRED'),
  },
  {
    name: 'allowed: the same member’s API key there (keys are not sign-ins)',
    async arrange() {
      const { member, organizationId } = await enforcingTenant();
      return { key: member.key, operation: { op: 'listMembers', organizationId } };
    },
    expected: { status: 200, code: 'OK', reason: 'OK', retryAfter: false },
  },
  {
    name: 'allowed: the session once its user has a factor',
    async arrange() {
      const { session, member, organizationId } = await enforcingTenant();
      await seedTotp(env.runtime, env.db.orm, member.userId);
      return { key: session, operation: { op: 'listMembers', organizationId } };
    },
    expected: { status: 200, code: 'OK', reason: 'OK', retryAfter: false },
  },
];

describe.each(cases)('$name', (testCase) => {
  let app: App;
  let arranged: Arranged;
  beforeAll(async () => {
    app = appFor(env.runtime);
    arranged = await testCase.arrange();
  });

  it.each(surfaces.map((s, i) => [s.name, s, i] as const))('over %s', async (_name, surface, i) => {
    // Each case and surface from its own address: failed credentials are throttled per address.
    const peer = `203.0.113.${(cases.indexOf(testCase) * surfaces.length + i + 1) % 250}`;
    expect(await surface.send(app, arranged.operation, arranged.key, peer)).toEqual(testCase.expected);
  });
});

// 2. The REST differential.
const orm = () => env.db.orm;
let restApp: App;
beforeAll(() => {
  restApp = appFor(env.runtime);
});

const PASSWORD = 'a sturdy passphrase 42';

/** A fresh organization for one call: its owner, a viewer and a member (keys, sessions, passwords), 10 credits. */
async function restTenant() {
  const organizationId = await seedOrganization(orm());
  const [owner, viewer, member] = await seedAccounts(
    orm(),
    (['owner', 'viewer', 'member'] as const).map((role) => ({
      memberOf: { organizationId, role },
      managedBy: role === 'owner' ? null : organizationId,
      key: { organizationId, scopes: null },
      session: true,
      password: PASSWORD,
    })),
  );
  await seedBalance(orm(), organizationId, 10);
  return {
    organizationId,
    owner: owner as SeededAccount,
    viewer: viewer as SeededAccount,
    member: member as SeededAccount,
  };
}
type RestTenant = Awaited<ReturnType<typeof restTenant>>;

/** A new viewer of the organization, managed by it, with a key: whom the member procedures act on. */
const target = async (t: RestTenant) =>
  (
    await seedAccounts(orm(), [
      {
        memberOf: { organizationId: t.organizationId, role: 'viewer' },
        managedBy: t.organizationId,
        key: { organizationId: t.organizationId, scopes: null },
      },
    ])
  )[0] as SeededAccount;

/** A new registered permission that nothing holds. */
const registered = async () => {
  const key = `table${uniqueKey().replace(/[^a-z0-9]/g, '')}:run`;
  await registerPermissions(env.runtime, [key]);
  return key;
};

type Input = (t: RestTenant) => Promise<Record<string, unknown> | undefined>;
const none: Input = async () => undefined;
const org =
  (more: (t: RestTenant) => Promise<Record<string, unknown>> | Record<string, unknown> = () => ({})): Input =>
  async (t) => ({ organizationId: t.organizationId, ...(await more(t)) });
const onUser =
  (more: Record<string, unknown> = {}): Input =>
  async (t) => ({ userId: (await target(t)).userId, ...more });
const onKey =
  (more: Record<string, unknown> = {}): Input =>
  async (t) => ({ keyId: (await target(t)).keyId, ...more });
const account = async (t: RestTenant) => {
  const { serviceAccountId } = await seedServiceAccount(orm(), t.organizationId);
  return { serviceAccountId };
};
const credential = async (t: RestTenant) => {
  const { serviceAccountId, credentialId } = await seedServiceAccount(orm(), t.organizationId);
  return { serviceAccountId, credentialId };
};
const team = async (t: RestTenant) => ({ teamId: await seedTeam(orm(), t.organizationId) });
const webhook = async (t: RestTenant) => ({ webhookId: await seedWebhook(orm(), t.organizationId) });
const project = async (t: RestTenant) => ({ projectId: await seedProject(orm(), t.organizationId) });
const invitation = (t: RestTenant) => seedInvitationToken(orm(), t.organizationId, t.owner.userId);

const sessionIdOf = async (token: string) => {
  const hash = createHash('sha256').update(token).digest('hex');
  const [row] = await orm().em.fork().execute<{ id: string }[]>('select id from sessions where token_hash = ?', [hash]);
  return row?.id as string;
};

/** A TOTP factor for the tenant's member (`confirmed` false: enrolled, not yet confirmed). */
const memberTotp = (t: RestTenant, confirmed = true) => seedTotp(env.runtime, orm(), t.member.userId, { confirmed });

const memberSession = (t: RestTenant) => callerFor(env.runtime, bearer(t.member.sessionToken as string));
const device = () => softwareAuthenticator({ origin: 'http://gatehouse.test', rpID: 'gatehouse.test' });
/** A passkey registered for the tenant's member, with its authenticator. */
async function memberPasskey(t: RestTenant) {
  const authenticator = device();
  const options = await memberSession(t).auth.mfa.passkeys.registrationOptions();
  const passkey = await memberSession(t).auth.mfa.passkeys.register({ response: authenticator.register(options) });
  return { authenticator, passkey };
}

/** A valid input for each procedure (by route, where two routes of one procedure take different inputs). */
const inputs: Record<string, Input> = {
  'users.me': none,
  'users.updateMe': async () => ({ name: 'Renamed' }),
  'auth.whoami': none,
  'auth.signup': async () => ({ email: uniqueEmail('signup'), password: PASSWORD, name: 'New' }),
  'auth.login': async (t) => ({ email: t.member.email, password: PASSWORD }),
  'auth.logout': none,
  'auth.changePassword': async () => ({ oldPassword: PASSWORD, newPassword: `${PASSWORD} renewed` }),
  'auth.requestPasswordReset': async (t) => ({ email: t.member.email }),
  'auth.resetPassword': async (t) => ({
    token: await seedMailedToken(orm(), t.member.userId, 'reset'),
    newPassword: `${PASSWORD} reset`,
  }),
  'auth.verifyEmail': async (t) => ({ token: await seedMailedToken(orm(), t.member.userId, 'verify') }),
  'auth.requestEmailVerification': none,
  'auth.listKeys': async () => ({}),
  'auth.sessions.list': async () => ({}),
  'auth.sessions.revoke': async (t) => ({ sessionId: await sessionIdOf(t.member.sessionToken as string) }),
  'auth.sessions.revokeOthers': none,
  // The member's own second factor (their session is the caller that succeeds).
  'auth.verifyMfa': async (t) => ({
    challengeToken: await seedMfaChallenge(orm(), t.member.userId),
    code: await (await memberTotp(t)).code(),
  }),
  'auth.mfa.status': none,
  'auth.mfa.passkeys.registrationOptions': none,
  'auth.mfa.passkeys.register': async (t) => {
    const options = await memberSession(t).auth.mfa.passkeys.registrationOptions();
    return { response: device().register(options) };
  },
  'auth.mfa.passkeys.list': none,
  'auth.mfa.passkeys.remove': async (t) => {
    await memberPasskey(t);
    // A second factor is added with one proven lately; then this one is not the last.
    await seedSteppedUp(orm(), t.member.sessionToken as string);
    return { passkeyId: (await memberPasskey(t)).passkey.id };
  },
  'auth.passkeys.loginOptions': none,
  'auth.passkeys.login': async (t) => {
    const { authenticator } = await memberPasskey(t);
    return { response: authenticator.assert(await callerFor(env.runtime).auth.passkeys.loginOptions()) };
  },
  'auth.mfa.totp.enroll': none,
  'auth.mfa.totp.confirm': async (t) => ({ code: await (await memberTotp(t, false)).code() }),
  'auth.mfa.recoveryCodes.regenerate': async (t) => ({ code: await (await memberTotp(t)).code() }),
  'auth.mfa.stepUp': async (t) => ({ code: await (await memberTotp(t)).code() }),
  'auth.mfa.disable': async (t) => {
    const { code } = await memberTotp(t);
    await seedSteppedUp(orm(), t.member.sessionToken as string);
    return { code: await code() };
  },
  'auth.createKey': async () => ({ name: 'made over the table' }),
  'auth.getKey': onKey(),
  'auth.updateKey': onKey({ name: 'Renamed' }),
  'auth.revokeKey': onKey(),
  // Only the holder rotates a key: the member's own.
  'auth.rotateKey': async (t) => ({ keyId: t.member.keyId }),
  'organizations.create': async () => ({ name: `Made ${uniqueKey()}` }),
  'organizations.list': async () => ({}),
  'organizations.retrieve': org(),
  'organizations.update': org(() => ({ description: 'renamed' })),
  'organizations.delete': org(),
  'organizations.exchangeToken': org(async (t) => {
    const { clientId, clientSecret } = await seedServiceAccount(orm(), t.organizationId);
    return { clientId, clientSecret };
  }),
  'organizations.listRoles': org(),
  'organizations.listIdentities': org(),
  'roles.create': org(() => ({ key: uniqueKey(), name: 'Role', permissions: ['projects:read'] })),
  'roles.update': org(async (t) => ({ roleId: await seedRole(orm(), t.organizationId, ['projects:read']), name: 'R' })),
  'roles.delete': org(async (t) => ({ roleId: await seedRole(orm(), t.organizationId, ['projects:read']) })),
  'users.list': async () => ({}),
  'users.create': async () => ({ email: uniqueEmail('created'), name: 'Created', role: 'viewer' }),
  'users.retrieve': onUser(),
  'users.update': onUser({ name: 'Renamed' }),
  'users.deactivate': onUser(),
  'users.activate': onUser(),
  'users.archive': onUser(),
  'users.delete': onUser(),
  'users.resetPassword': onUser(),
  'users.resetMfa': onUser(),
  'users.getPermissions': onUser(),
  'users.getTeams': onUser(),
  'users.getResources': onUser(),
  'users.preRegister': async () => ({ emails: [uniqueEmail('prereg')], role: 'viewer' }),
  'organizations.members': org(),
  'organizations.addMember': org(() => ({ email: uniqueEmail('added'), role: 'viewer' })),
  'organizations.updateMemberRole': org(async (t) => ({ userId: (await target(t)).userId, role: 'member' })),
  'organizations.removeMember': org(async (t) => ({ userId: (await target(t)).userId })),
  'organizations.transferOwnership': org(async (t) => ({ userId: (await target(t)).userId })),
  'organizations.invite': org(() => ({ email: uniqueEmail('invited'), role: 'viewer' })),
  'organizations.listInvitations': org(),
  'organizations.cancelInvitation': org(async (t) => ({ invitationId: (await invitation(t)).id })),
  'invitations.resend': async (t) => ({ invitationId: (await invitation(t)).id }),
  'invitations.lookup': async (t) => ({ token: (await invitation(t)).token }),
  'invitations.accept': async (t) => ({ token: (await invitation(t)).token, name: 'Invitee', password: PASSWORD }),
  'invitations.decline': async (t) => ({ token: (await invitation(t)).token }),
  'serviceAccounts.create': org(() => ({ name: 'robot', role: 'viewer' })),
  'serviceAccounts.list': org(),
  'serviceAccounts.retrieve': org(account),
  'serviceAccounts.update': org(async (t) => ({ ...(await account(t)), name: 'renamed' })),
  'serviceAccounts.delete': org(account),
  'serviceAccounts.credentials.create': org(account),
  'serviceAccounts.credentials.list': org(account),
  'serviceAccounts.credentials.retrieve': org(credential),
  'serviceAccounts.credentials.update': org(async (t) => ({ ...(await credential(t)), name: 'renamed' })),
  'serviceAccounts.credentials.delete': org(credential),
  'teams.create': org(() => ({ name: `team ${uniqueKey()}` })),
  'teams.list': org(),
  'teams.retrieve': org(team),
  'teams.update': org(async (t) => ({ ...(await team(t)), name: `team ${uniqueKey()}` })),
  'teams.delete': org(team),
  'teams.members': org(team),
  'teams.addMember': org(async (t) => ({ ...(await team(t)), userId: (await target(t)).userId })),
  'teams.removeMember': org(async (t) => {
    const { userId } = await target(t);
    return { teamId: await seedTeam(orm(), t.organizationId, userId), userId };
  }),
  'teams.grantRole': org(async (t) => ({ ...(await team(t)), role: 'viewer' })),
  'teams.revokeRole': org(async (t) => {
    const teamId = await seedTeam(orm(), t.organizationId);
    return { teamId, projectId: await seedProject(orm(), t.organizationId, teamId) };
  }),
  'projects.create': org(() => ({ name: 'made' })),
  'projects.list': org(),
  'projects.retrieve': org(project),
  'projects.update': org(async (t) => ({ ...(await project(t)), name: 'renamed' })),
  'projects.delete': org(project),
  'projects.collaborators': org(project),
  'projects.addCollaborator': org(async (t) => ({ ...(await project(t)), ...(await team(t)), role: 'project_viewer' })),
  'projects.removeCollaborator': org(async (t) => {
    const teamId = await seedTeam(orm(), t.organizationId);
    return { projectId: await seedProject(orm(), t.organizationId, teamId), teamId };
  }),
  'organizations.domains.add': org(() => ({ domain: `${uniqueKey()}.example.com` })),
  'organizations.domains.list': org(),
  // Verified already: verifying again answers without DNS, so an allowed caller gets through.
  'organizations.domains.verify': org(async (t) => ({
    domainId: (await seedDomain(orm(), t.organizationId)).domainId,
  })),
  'organizations.domains.remove': org(async (t) => ({
    domainId: (await seedDomain(orm(), t.organizationId)).domainId,
  })),
  'auth.exchangeSsoCode': async (t) => ({ code: await seedSsoCode(orm(), t.owner.userId, t.organizationId) }),
  'sso.enable': org(async () => ({
    identifier: (await sharedStubIssuer()).issuer(),
    clientId: 'gatehouse',
    clientSecret: 'a client secret',
  })),
  'sso.retrieve': org(async (t) => {
    await seedSsoConnection(orm(), t.organizationId);
    return { expand: ['permissions'] };
  }),
  'sso.update': org(async (t) => {
    await seedSsoConnection(orm(), t.organizationId);
    return { ssoRequired: true };
  }),
  'sso.disable': org(async (t) => {
    await seedSsoConnection(orm(), t.organizationId);
    return {};
  }),
  'sso.test': org(async (t) => {
    await seedSsoConnection(orm(), t.organizationId);
    return {};
  }),
  'permissions.explain': org(async (t) => ({ principalId: (await target(t)).userId, permission: 'projects:read' })),
  'credits.balance': org(),
  'credits.transactions': org(),
  'credits.consume': org(() => ({ amount: 1, reason: 'table', idempotencyKey: uniqueKey() })),
  'credits.grant': org(() => ({ amount: 1, type: 'grant', idempotencyKey: uniqueKey() })),
  'credits.reserve': org(() => ({ amount: 1, ttlSeconds: 60, idempotencyKey: uniqueKey() })),
  'credits.refund': async (t) => ({
    transactionId: await seedUsage(orm(), t.organizationId),
    idempotencyKey: uniqueKey(),
  }),
  'credits.capture': async (t) => ({ reservationId: await seedReservation(orm(), t.organizationId), amount: 1 }),
  'credits.release': async (t) => ({ reservationId: await seedReservation(orm(), t.organizationId) }),
  'audit.list': org(),
  'events.list': org(),
  'webhooks.create': org(() => ({ url: 'https://hooks.example.com/made', events: ['organization.member_added'] })),
  'webhooks.list': org(),
  'webhooks.retrieve': org(webhook),
  'webhooks.update': org(async (t) => ({ ...(await webhook(t)), description: 'renamed' })),
  'webhooks.delete': org(webhook),
  'webhooks.rotateSecret': org(webhook),
  'webhooks.deliveries': org(webhook),
  'webhooks.test': org(webhook),
  'webhooks.redeliver': org(async (t) => ({ deliveryId: await seedDelivery(orm(), t.organizationId) })),
  'platform.createKey': async () => ({ name: 'made over the table', scopes: ['platform:users:read'] }),
  'platform.organizations.list': async () => ({}),
  'platform.organizations.update': org(() => ({ plan: 'pro' })),
  'platform.organizations.suspend': org(() => ({ reason: 'table' })),
  'platform.organizations.unsuspend': org(),
  'platform.users.list': async () => ({}),
  'platform.users.retrieve': onUser(),
  'platform.users.deactivate': onUser(),
  'platform.users.activate': onUser(),
  'platform.rotateSigningKey': none,
  'keys.verify': async (t) => ({ key: (await target(t)).key, permissions: 'projects:read and members:read' }),
  'permissions.catalogue': none,
  'platform.permissions.create': async () => ({ key: `table${uniqueKey().replace(/[^a-z0-9]/g, '')}:read` }),
  'platform.permissions.list': none,
  'platform.permissions.update': async () => ({ key: await registered(), description: 'over the table' }),
  'platform.permissions.delete': async () => ({ key: await registered() }),
};
/** The routes that act on a user by email (users.deactivate and users.activate also have one by id). */
const byEmail: Input = async (t) => ({ email: (await target(t)).email });
const inputOf = (route: Route): Input | undefined =>
  /\/users\/(deactivate|activate)$/.test(route.path) ? byEmail : inputs[route.procedure];

type Who = 'anonymous' | 'stranger' | 'operator' | 'viewer' | 'member' | 'member (session)' | 'owner';
const callers: Who[] = ['anonymous', 'stranger', 'operator', 'viewer', 'member', 'member (session)', 'owner'];

/** The caller's credential, new for the call like everything else: a call may change its own account. */
async function credentialOf(who: Who, t: RestTenant): Promise<string | null> {
  if (who === 'anonymous') return null;
  if (who === 'stranger') return (await restTenant()).owner.key;
  if (who === 'operator') return (await platformAdminWithKey(orm())).platformKey;
  if (who === 'member (session)') return t.member.sessionToken;
  return t[who].key;
}

let lastPeer = 0;
/** Each call from its own address: sign-ups, logins and failed credentials are throttled per address. */
const nextPeer = () => `198.18.${Math.floor(++lastPeer / 250)}.${(lastPeer % 250) + 1}`;

const outcomeOfError = (error: unknown) => {
  if (!(error instanceof TRPCError)) throw error;
  return `${error.code}:${error.cause instanceof AppError ? error.cause.reason : error.code}`;
};

async function overTrpc(route: Route, who: Who): Promise<string> {
  const t = await restTenant();
  const input = await (inputOf(route) as Input)(t);
  const key = await credentialOf(who, t);
  const caller = callerFor(env.runtime, key ? bearer(key) : {}, nextPeer()) as unknown as Record<string, unknown>;
  const procedure = route.procedure.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], caller) as (
    input: unknown,
  ) => Promise<unknown>;
  return procedure(input).then(() => 'OK', outcomeOfError);
}

async function overRest(route: Route, who: Who): Promise<string> {
  const t = await restTenant();
  const input = await (inputOf(route) as Input)(t);
  const key = await credentialOf(who, t);
  const request = restRequestOf(route, input, key ? bearer(key) : {}, t.organizationId);
  if (typeof request === 'string') throw new Error(request);
  const res = await restApp.request(request.path, request.init, fromPeer(nextPeer()));
  if (res.status < 300) return 'OK';
  const body = (await res.json()) as { code: string; reason: string };
  return `${body.code}:${body.reason}`;
}

describe('REST and tRPC decide alike', () => {
  it('has a valid input for every route', () => {
    expect(routes.filter((r) => !inputOf(r)).map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  for (const route of routes) {
    it(`${route.method} ${route.path} (${route.procedure})`, async () => {
      const lines: string[] = [];
      const expected: string[] = [];
      for (const who of callers) {
        const viaRest = await overRest(route, who);
        // The users router acts in the caller's organization over tRPC; over REST the path names it, and
        // one the credential does not act in is NOT_FOUND whatever the procedure does in the caller's own.
        const viaTrpc =
          route.callerOrganization && (who === 'stranger' || who === 'operator')
            ? 'NOT_FOUND:NOT_FOUND'
            : await overTrpc(route, who);
        lines.push(`${who}: ${viaRest}`);
        expected.push(`${who}: ${viaTrpc}`);
      }
      expect(lines).toEqual(expected);
      // The inputs are valid and the ids real: someone gets through to the procedure.
      expect(
        lines.filter((line) => line.endsWith(': OK')),
        'nobody succeeded',
      ).not.toEqual([]);
    });
  }
});
