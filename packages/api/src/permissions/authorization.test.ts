// Explaining a principal's access.
// The matrix's rules and plumbing: packages/api/src/testing/authorization/ (suite.ts says what is checked).
import type { CrossTenantCall } from '../testing/authorization/cross-tenant.js';
import { authed, type Entries, org, userId } from '../testing/authorization/entries.js';
import { OK } from '../testing/authorization/outcomes.js';
import { describeAuthorization } from '../testing/authorization/suite.js';

const entries: Entries = {
  // Reading someone's access is reading the members.
  'permissions.explain': org('members:read', async (c, f) =>
    c.permissions.explain({
      organizationId: f.organizationId,
      principalId: await userId(f),
      permission: 'projects:read',
    }),
  ),
  // The client credentials are the authentication (see service-accounts.test.ts).
  // What there is to hold, for anyone signed in (a service account too: its services check against it).
  'permissions.catalogue': authed((c) => c.permissions.catalogue(), { serviceAccount: OK }),
};

const crossTenantCalls: Record<string, CrossTenantCall> = {
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

describeAuthorization('permissions', { entries, crossTenant: { calls: crossTenantCalls } });
