// organizations.*: an organization and its members, and what each actor may do to each member.
// The matrix's rules and plumbing: packages/api/src/testing/authorization/ (suite.ts says what is checked).
import {
  type Action,
  expectRoleChange,
  mayGrant,
  organizationGate,
  outranks,
} from '../testing/authorization/actors.js';
import type { CrossTenantCall } from '../testing/authorization/cross-tenant.js';
import { authed, type Entries, org, userId } from '../testing/authorization/entries.js';
import {
  ALREADY_MEMBER,
  BAD_REQUEST,
  FORBIDDEN,
  MEMBERSHIP_DEACTIVATED,
  NOT_FOUND,
  OK,
  OUTRANKED,
  USER_ONLY,
} from '../testing/authorization/outcomes.js';
import { describeAuthorization } from '../testing/authorization/suite.js';
import { uniqueEmail, uniqueKey } from '../testing/matrix.js';

const entries: Entries = {
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
};

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
];

const crossTenantCalls: Record<string, CrossTenantCall> = {
  'organizations.addMember': (c, own, x) =>
    c.organizations.addMember({ organizationId: own, userId: x.member.userId, role: 'viewer' }),
  'organizations.removeMember': (c, own, x) =>
    c.organizations.removeMember({ organizationId: own, userId: x.member.userId }),
  'organizations.updateMemberRole': (c, own, x) =>
    c.organizations.updateMemberRole({ organizationId: own, userId: x.member.userId, role: 'admin' }),
  'organizations.transferOwnership': (c, own, x) =>
    c.organizations.transferOwnership({ organizationId: own, userId: x.member.userId }),
};

// 1060 rows: 28 actor/credential pairs × 7 targets × 5 actions, and the 16 member pairs acting on themselves in each.
describeAuthorization('organizations', {
  entries,
  actors: {
    actions,
    rows: 1060,
    outcomes: [OK, NOT_FOUND, FORBIDDEN, OUTRANKED, ALREADY_MEMBER, BAD_REQUEST, USER_ONLY, MEMBERSHIP_DEACTIVATED],
  },
  crossTenant: { calls: crossTenantCalls },
});
