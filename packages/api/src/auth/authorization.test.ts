// auth.*: the caller's own account (their keys are api-keys').
// The matrix's rules and plumbing: packages/api/src/testing/authorization/ (suite.ts says what is checked).
import { authed, type Entries } from '../testing/authorization/entries.js';
import { BAD_REQUEST, OK, SESSION_ONLY } from '../testing/authorization/outcomes.js';
import { PASSWORD } from '../testing/authorization/setup.js';
import { describeAuthorization } from '../testing/authorization/suite.js';

const entries: Entries = {
  'auth.whoami': authed((c) => c.auth.whoami(), { serviceAccount: OK }),
  'auth.signup': { kind: 'public' },
  'auth.login': { kind: 'public' },
  'auth.exchangeSsoCode': { kind: 'public' },
  // A key is no session: there is nothing to end.
  'auth.logout': authed((c) => c.auth.logout(), { byKey: BAD_REQUEST }),
  'auth.changePassword': authed((c) =>
    c.auth.changePassword({ oldPassword: PASSWORD, newPassword: `${PASSWORD} renewed` }),
  ),
  'auth.requestPasswordReset': { kind: 'public' },
  'auth.resetPassword': { kind: 'public' },
  // A mailed token is the credential (a signed-in caller is optional).
  'auth.verifyEmail': { kind: 'public' },
  'auth.requestEmailVerification': authed((c) => c.auth.requestEmailVerification()),
  // The caller's own sessions: a key has none (a service account is no user: USER_ONLY).
  'auth.sessions.list': authed((c) => c.auth.sessions.list(), { byKey: SESSION_ONLY }),
  'auth.sessions.revoke': authed(
    async (c) => {
      const [own] = (await c.auth.sessions.list()).items;
      return c.auth.sessions.revoke({ sessionId: own?.id as string });
    },
    { byKey: SESSION_ONLY },
  ),
  'auth.sessions.revokeOthers': authed((c) => c.auth.sessions.revokeOthers(), { byKey: SESSION_ONLY }),
};

// A session belongs to a user, not a tenant: another user's session id is NOT_FOUND (sessions/sessions.test.ts).
const crossTenantExempt = { 'auth.sessions.revoke': "a user's own sessions only: sessions/sessions.test.ts" };

describeAuthorization('auth', { entries, crossTenant: { calls: {}, exempt: crossTenantExempt } });
