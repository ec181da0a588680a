// auth.*: the caller's own account (their keys are api-keys').
// The matrix's rules and plumbing: packages/api/src/testing/authorization/ (suite.ts says what is checked).
import { generate } from 'otplib';
import { authed, type Entries } from '../testing/authorization/entries.js';
import { BAD_REQUEST, OK, SESSION_ONLY } from '../testing/authorization/outcomes.js';
import { type Caller, PASSWORD } from '../testing/authorization/setup.js';
import { describeAuthorization } from '../testing/authorization/suite.js';
import { softwareAuthenticator } from '../testing/webauthn.js';

/** The TOTP code of `secret` `steps` periods from now. */
const codeOf = (secret: string, steps = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });
/** Sets up and confirms TOTP for the caller (a session); the next step's code is still unused. */
async function enrolled(c: Caller): Promise<string> {
  const { secret } = await c.auth.mfa.totp.enroll();
  await c.auth.mfa.totp.confirm({ code: await codeOf(secret) });
  return secret;
}

/** Registers a new software passkey for the caller (a session). */
async function addPasskey(c: Caller) {
  const options = await c.auth.mfa.passkeys.registrationOptions();
  const authenticator = softwareAuthenticator({ origin: 'http://gatehouse.test', rpID: 'gatehouse.test' });
  return c.auth.mfa.passkeys.register({ response: authenticator.register(options) });
}

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
  // The second step of a sign-in: the challenge token is the credential.
  'auth.verifyMfa': { kind: 'public' },
  // The caller's own second factors: a session's (a key is SESSION_ONLY, a service account USER_ONLY).
  'auth.mfa.status': authed((c) => c.auth.mfa.status(), { byKey: SESSION_ONLY }),
  'auth.mfa.totp.enroll': authed((c) => c.auth.mfa.totp.enroll(), { byKey: SESSION_ONLY }),
  'auth.mfa.totp.confirm': authed((c) => enrolled(c), { byKey: SESSION_ONLY }),
  'auth.mfa.recoveryCodes.regenerate': authed(
    async (c) => c.auth.mfa.recoveryCodes.regenerate({ code: await codeOf(await enrolled(c), 1) }),
    { byKey: SESSION_ONLY },
  ),
  'auth.mfa.passkeys.registrationOptions': authed((c) => c.auth.mfa.passkeys.registrationOptions(), {
    byKey: SESSION_ONLY,
  }),
  'auth.mfa.passkeys.register': authed((c) => addPasskey(c), { byKey: SESSION_ONLY }),
  'auth.mfa.passkeys.list': authed((c) => c.auth.mfa.passkeys.list(), { byKey: SESSION_ONLY }),
  // With TOTP too (its confirmation proves a factor: the passkey may be added), removing the passkey is
  // not removing the last factor (that needs step-up: mfa/passkeys.test.ts).
  'auth.mfa.passkeys.remove': authed(
    async (c) => {
      await enrolled(c);
      return c.auth.mfa.passkeys.remove({ passkeyId: (await addPasskey(c)).id });
    },
    { byKey: SESSION_ONLY },
  ),
  // Signing in with a passkey: the signed response is the credential.
  'auth.passkeys.loginOptions': { kind: 'public' },
  'auth.passkeys.login': { kind: 'public' },
  'auth.mfa.stepUp': authed(async (c) => c.auth.mfa.stepUp({ code: await codeOf(await enrolled(c), 1) }), {
    byKey: SESSION_ONLY,
  }),
  'auth.mfa.disable': authed(async (c) => c.auth.mfa.disable({ code: await codeOf(await enrolled(c), 1) }), {
    byKey: SESSION_ONLY,
  }),
};

// A session belongs to a user, not a tenant: another user's session id is NOT_FOUND (sessions/sessions.test.ts).
const crossTenantExempt = {
  'auth.sessions.revoke': "a user's own sessions only: sessions/sessions.test.ts",
  'auth.mfa.passkeys.remove': "a user's own passkeys only: mfa/passkeys.test.ts",
};

describeAuthorization('auth', { entries, crossTenant: { calls: {}, exempt: crossTenantExempt } });
