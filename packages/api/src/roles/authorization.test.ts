// Custom roles of an organization.
// The matrix's rules and plumbing: packages/api/src/testing/authorization/ (suite.ts says what is checked).
import type { CrossTenantCall } from '../testing/authorization/cross-tenant.js';
import { type Entries, org } from '../testing/authorization/entries.js';
import { describeAuthorization } from '../testing/authorization/suite.js';
import { uniqueKey } from '../testing/matrix.js';

const entries: Entries = {
  'organizations.listRoles': org('roles:read', (c, f) =>
    c.organizations.listRoles({ organizationId: f.organizationId }),
  ),
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
};

const crossTenantCalls: Record<string, CrossTenantCall> = {
  'roles.update': (c, own, x) => c.roles.update({ organizationId: own, roleId: x.roleId, name: 'Taken' }),
  'roles.delete': (c, own, x) => c.roles.delete({ organizationId: own, roleId: x.roleId }),
};

describeAuthorization('roles', { entries, crossTenant: { calls: crossTenantCalls } });
