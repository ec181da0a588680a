// Invitations: issuing them through organizations.* and acting on one by its id.
// The matrix's rules and plumbing: packages/api/src/testing/authorization/ (suite.ts says what is checked).
import type { CrossTenantCall } from '../testing/authorization/cross-tenant.js';
import { type Entries, org } from '../testing/authorization/entries.js';
import { describeAuthorization } from '../testing/authorization/suite.js';
import { uniqueEmail } from '../testing/matrix.js';

const entries: Entries = {
  'organizations.invite': org(
    'members:invite',
    (c, f) =>
      c.organizations.invite({ organizationId: f.organizationId, email: uniqueEmail('invited'), role: 'viewer' }),
    { userOnly: true },
  ),
  'organizations.listInvitations': org('members:read', (c, f) =>
    c.organizations.listInvitations({ organizationId: f.organizationId }),
  ),
  'organizations.cancelInvitation': org('members:invite', async (c, f) =>
    c.organizations.cancelInvitation({ organizationId: f.organizationId, invitationId: await f.invitation() }),
  ),
  // Found through its id: the same gate as an organization's procedure, without organizationId.
  'invitations.resend': org(
    'members:invite',
    async (c, f) => c.invitations.resend({ invitationId: await f.invitation() }),
    {
      userOnly: true,
    },
  ),
  // The token is the credential (accept also knows a signed-in caller; see invitations.test.ts).
  'invitations.lookup': { kind: 'public' },
  'invitations.accept': { kind: 'public' },
  'invitations.decline': { kind: 'public' },
};

const crossTenantCalls: Record<string, CrossTenantCall> = {
  'organizations.cancelInvitation': (c, own, x) =>
    c.organizations.cancelInvitation({ organizationId: own, invitationId: x.invitationId }),
  'invitations.resend': (c, _, x) => c.invitations.resend({ invitationId: x.invitationId }),
};

describeAuthorization('invitations', { entries, crossTenant: { calls: crossTenantCalls } });
