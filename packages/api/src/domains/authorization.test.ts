// An organization's verified domains (organizations.domains.*), governed by the SSO permissions.
// The matrix's rules and plumbing: packages/api/src/testing/authorization/ (suite.ts says what is checked).
import type { CrossTenantCall } from '../testing/authorization/cross-tenant.js';
import { type Entries, org } from '../testing/authorization/entries.js';
import { orm } from '../testing/authorization/setup.js';
import { describeAuthorization } from '../testing/authorization/suite.js';
import { seedDomain, uniqueKey } from '../testing/matrix.js';

const entries: Entries = {
  'organizations.domains.add': org('sso:write', (c, f) =>
    c.organizations.domains.add({ organizationId: f.organizationId, domain: `${uniqueKey()}.example.com` }),
  ),
  // A verified domain: verifying it again answers without DNS, so the gate reaches the service.
  'organizations.domains.verify': org('sso:write', async (c, f) =>
    c.organizations.domains.verify({
      organizationId: f.organizationId,
      domainId: (await seedDomain(orm(), f.organizationId)).domainId,
    }),
  ),
  'organizations.domains.list': org('sso:read', (c, f) =>
    c.organizations.domains.list({ organizationId: f.organizationId }),
  ),
  'organizations.domains.remove': org('sso:write', async (c, f) =>
    c.organizations.domains.remove({
      organizationId: f.organizationId,
      domainId: (await seedDomain(orm(), f.organizationId)).domainId,
    }),
  ),
};

const crossTenantCalls: Record<string, CrossTenantCall> = {
  'organizations.domains.verify': (c, own, x) =>
    c.organizations.domains.verify({ organizationId: own, domainId: x.domainId }),
  'organizations.domains.remove': (c, own, x) =>
    c.organizations.domains.remove({ organizationId: own, domainId: x.domainId }),
};

describeAuthorization('domains', { entries, crossTenant: { calls: crossTenantCalls } });
