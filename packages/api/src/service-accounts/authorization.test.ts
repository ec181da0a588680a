// Service accounts: the organization's machine identities and their client credentials.
// The matrix's rules and plumbing: packages/api/src/testing/authorization/ (suite.ts says what is checked).
import type { CrossTenantCall } from '../testing/authorization/cross-tenant.js';
import { type Entries, org } from '../testing/authorization/entries.js';
import { accountRef, credentialRef } from '../testing/authorization/setup.js';
import { describeAuthorization } from '../testing/authorization/suite.js';

const entries: Entries = {
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
  'organizations.exchangeToken': { kind: 'public' },
};

const crossTenantCalls: Record<string, CrossTenantCall> = {
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
};

/** Procedures taking a child id that are not called above, and why. */
const crossTenantExempt: Record<string, string> = {
  // The client id and secret are the credential: another tenant's client id with this organization is
  // invalid_client (service-accounts.test.ts), and nothing of the other tenant is changed or shown.
  'organizations.exchangeToken': 'credential',
};

describeAuthorization('service-accounts', {
  entries,
  crossTenant: { calls: crossTenantCalls, exempt: crossTenantExempt },
});
