// users.*: the members of the caller's organization, and what each actor may do to each of them.
// The matrix's rules and plumbing: packages/api/src/testing/authorization/ (suite.ts says what is checked).
import {
  type Action,
  expectRoleChange,
  expectStatusChange,
  mayGrant,
  outranks,
  selfGate,
  statusChange,
  usersGate,
} from '../testing/authorization/actors.js';
import type { CrossTenantCall } from '../testing/authorization/cross-tenant.js';
import { authed, type Entries, org, userId } from '../testing/authorization/entries.js';
import {
  FORBIDDEN,
  MEMBERSHIP_DEACTIVATED,
  NO_ORGANIZATION,
  NOT_FOUND,
  NOT_MANAGED,
  OK,
  OUTRANKED,
  USER_ONLY,
} from '../testing/authorization/outcomes.js';
import { describeAuthorization } from '../testing/authorization/suite.js';
import { uniqueEmail } from '../testing/matrix.js';

const entries: Entries = {
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
  'users.resetMfa': org('members:update', async (c, f) => c.users.resetMfa({ userId: await userId(f) }), {
    onMember: true,
  }),
  'users.getPermissions': org('members:read', async (c, f) => c.users.getPermissions({ userId: await userId(f) }), {
    onMember: true,
  }),
  'users.getTeams': org('members:read', async (c, f) => c.users.getTeams({ userId: await userId(f) })),
  'users.getResources': org('members:read', async (c, f) => c.users.getResources({ userId: await userId(f) })),
};

const actions: Action[] = [
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
    name: 'users.resetMfa',
    procedure: 'users.resetMfa',
    call: (c, r) => c.users.resetMfa({ userId: r.target.userId }),
    // One's own factor goes with auth.mfa.disable (and its step-up), never by the admin path.
    self: (x) => selfGate(x, 'members:update') ?? FORBIDDEN,
    // Account-wide, as a password reset: the managing organization's, below the caller only.
    expected: (x, t) =>
      usersGate(x, t, 'members:update') ?? (!outranks(x, t) ? OUTRANKED : t.managed ? OK : NOT_MANAGED),
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
];

const crossTenantCalls: Record<string, CrossTenantCall> = {
  'users.retrieve': (c, _, x) => c.users.retrieve({ userId: x.member.userId }),
  'users.update name': (c, _, x) => c.users.update({ userId: x.member.userId, name: 'Taken' }),
  'users.update role': (c, _, x) => c.users.update({ userId: x.member.userId, role: 'admin' }),
  'users.deactivate by id': (c, _, x) => c.users.deactivate({ userId: x.member.userId }),
  'users.deactivate by email': (c, _, x) => c.users.deactivate({ email: x.member.email }),
  'users.activate': (c, _, x) => c.users.activate({ userId: x.member.userId }),
  'users.archive': (c, _, x) => c.users.archive({ userId: x.member.userId }),
  'users.delete': (c, _, x) => c.users.delete({ userId: x.member.userId }),
  'users.resetPassword': (c, _, x) => c.users.resetPassword({ userId: x.member.userId }),
  'users.resetMfa': (c, _, x) => c.users.resetMfa({ userId: x.member.userId }),
  'users.getPermissions': (c, _, x) => c.users.getPermissions({ userId: x.member.userId }),
  'users.getTeams': (c, _, x) => c.users.getTeams({ userId: x.member.userId }),
  'users.getResources': (c, _, x) => c.users.getResources({ userId: x.member.userId }),
};

// 2332 rows: 28 actor/credential pairs × 7 targets × 11 actions, and the 16 member pairs acting on themselves in each.
describeAuthorization('users', {
  entries,
  actors: {
    actions,
    rows: 2332,
    outcomes: [OK, NOT_FOUND, FORBIDDEN, OUTRANKED, NOT_MANAGED, NO_ORGANIZATION, USER_ONLY, MEMBERSHIP_DEACTIVATED],
  },
  crossTenant: { calls: crossTenantCalls },
});
