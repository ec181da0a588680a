// Projects of an organization, which external collaborators reach by their role there.
// The matrix's rules and plumbing: packages/api/src/testing/authorization/ (suite.ts says what is checked).
import type { CrossTenantCall } from '../testing/authorization/cross-tenant.js';
import { type Entries, org } from '../testing/authorization/entries.js';
import { describeAuthorization } from '../testing/authorization/suite.js';

const entries: Entries = {
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
};

const crossTenantCalls: Record<string, CrossTenantCall> = {
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
};

describeAuthorization('projects', { entries, crossTenant: { calls: crossTenantCalls } });
