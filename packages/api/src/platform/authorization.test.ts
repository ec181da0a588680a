// The platform router: a platform admin's session or a platform key holding the permission.
// The matrix's rules and plumbing: packages/api/src/testing/authorization/ (suite.ts says what is checked).
import { type Entries, platform } from '../testing/authorization/entries.js';
import { describeAuthorization } from '../testing/authorization/suite.js';

const entries: Entries = {
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
  'platform.permissions.create': platform('platform:permissions:write', (c) =>
    c.platform.permissions.create({ key: `matrix${Math.random().toString(36).slice(2, 10)}:read` }),
  ),
  'platform.permissions.list': platform('platform:permissions:read', (c) => c.platform.permissions.list()),
  'platform.permissions.update': platform('platform:permissions:write', async (c, f) =>
    c.platform.permissions.update({ key: await f.registeredPermission(), description: 'matrix' }),
  ),
  'platform.permissions.delete': platform('platform:permissions:write', async (c, f) =>
    c.platform.permissions.delete({ key: await f.registeredPermission() }),
  ),
  'platform.rotateSigningKey': platform('platform:signingKeys:write', (c) => c.platform.rotateSigningKey()),
};

/** Procedures taking a child id that are not called above, and why. */
const crossTenantExempt: Record<string, string> = {
  // Platform scope spans every tenant (the platform gate is checked in the gates).
  'platform.users.retrieve': 'platform',
  'platform.users.deactivate': 'platform',
  'platform.users.activate': 'platform',
};

describeAuthorization('platform', { entries, crossTenant: { calls: {}, exempt: crossTenantExempt } });
