// The organization's SSO connection (sso.*). The matrix's rules and plumbing: packages/api/src/testing/authorization/.
import { type Entries, org } from '../testing/authorization/entries.js';
import { orm } from '../testing/authorization/setup.js';
import { describeAuthorization } from '../testing/authorization/suite.js';
import { seedSsoConnection } from '../testing/matrix.js';
import { sharedStubIssuer } from '../testing/oidc.js';

const enableInput = async (organizationId: string) => ({
  organizationId,
  identifier: (await sharedStubIssuer()).issuer(),
  clientId: 'gatehouse',
  clientSecret: 'a client secret',
  defaultRole: 'viewer',
});

const entries: Entries = {
  // One connection per organization: each call enables on an organization of its own.
  'sso.enable': org('sso:write', async (c, f) => c.sso.enable(await enableInput(f.organizationId)), { isolate: true }),
  'sso.retrieve': org('sso:read', async (c, f) => {
    await seedSsoConnection(orm(), f.organizationId);
    return c.sso.retrieve({ organizationId: f.organizationId, expand: ['permissions'] });
  }),
  'sso.update': org('sso:write', async (c, f) => {
    await seedSsoConnection(orm(), f.organizationId);
    return c.sso.update({ organizationId: f.organizationId, ssoRequired: false });
  }),
  'sso.disable': org(
    'sso:write',
    async (c, f) => {
      await seedSsoConnection(orm(), f.organizationId);
      return c.sso.disable({ organizationId: f.organizationId });
    },
    { isolate: true },
  ),
  // The seeded issuer answers nothing: the test reports it (ok: false), which is an answer, not an error.
  'sso.test': org('sso:read', async (c, f) => {
    await seedSsoConnection(orm(), f.organizationId);
    return c.sso.test({ organizationId: f.organizationId });
  }),
};

// clientId is the IdP's OAuth client id, not a Gatehouse id; another tenant's role key as defaultRole is
// NOT_FOUND (sso.test.ts, "a defaultRole of another organization").
const exempt = {
  'sso.enable': "clientId is the IdP's client id, not one of Gatehouse's",
  'sso.update': "clientId is the IdP's client id, not one of Gatehouse's",
};

describeAuthorization('sso', { entries, crossTenant: { calls: {}, exempt } });
