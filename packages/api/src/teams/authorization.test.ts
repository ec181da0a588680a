// Teams of an organization.
// The matrix's rules and plumbing: packages/api/src/testing/authorization/ (suite.ts says what is checked).
import type { CrossTenantCall } from '../testing/authorization/cross-tenant.js';
import { type Entries, org, userId } from '../testing/authorization/entries.js';
import { describeAuthorization } from '../testing/authorization/suite.js';
import { uniqueKey } from '../testing/matrix.js';

const entries: Entries = {
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
};

const crossTenantCalls: Record<string, CrossTenantCall> = {
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
};

describeAuthorization('teams', { entries, crossTenant: { calls: crossTenantCalls } });
