// auth.*: the caller's own account (their keys are api-keys').
// The matrix's rules and plumbing: packages/api/src/testing/authorization/ (suite.ts says what is checked).
import { authed, type Entries } from '../testing/authorization/entries.js';
import { BAD_REQUEST } from '../testing/authorization/outcomes.js';
import { PASSWORD } from '../testing/authorization/setup.js';
import { describeAuthorization } from '../testing/authorization/suite.js';

const entries: Entries = {
  'auth.whoami': authed((c) => c.auth.whoami()),
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
};

describeAuthorization('auth', { entries });
