import { z } from 'zod';
import { ZOk } from '../core/schema.js';
import { ZPasskeyResponse } from '../mfa/schema.js';
import { PASSWORD_MAX } from './password-policy.js';

export const ZWhoami = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  roles: z.array(z.string()),
  // null for a signed-in user who has not yet created or joined an organization.
  organization: z.object({ id: z.string(), name: z.string() }).nullable(),
  apiKey: z
    .object({
      id: z.string(),
      keyPrefix: z.string(),
      // null: the key carries all of its owner's permissions.
      scopes: z.array(z.string()).nullable(),
    })
    .optional(),
  // An access token's service account (userId is then its id, email empty): the token's client and scope.
  serviceAccount: z.object({ id: z.string(), clientId: z.string(), scopes: z.array(z.string()) }).optional(),
  principal: z.enum(['user', 'serviceAccount']),
  // The caller holds platform authority: a platform admin's session or platform key.
  platform: z.boolean(),
  // Only when the caller came with a session cookie: the X-Gatehouse-CSRF its changes need.
  csrfToken: z.string().optional(),
});
export type TWhoami = z.infer<typeof ZWhoami>;

const ZEmail = z.email().max(254);
// The policy (length, common passwords, not the email) is checked by the service with a clear
// message; here only a bound on what we are willing to hash.
const ZPassword = z.string().min(1).max(PASSWORD_MAX);

// true: a browser holds the session as an HttpOnly cookie, and the answer carries its CSRF token
// instead of the session token (see sessions/cookie.ts).
const ZCookieOptIn = z.boolean().optional();
export const ZSignupInput = z.strictObject({
  email: ZEmail,
  password: ZPassword,
  name: z.string().trim().min(1).max(200),
  cookie: ZCookieOptIn,
});
export const ZLoginInput = z.strictObject({ email: ZEmail, password: ZPassword, cookie: ZCookieOptIn });
/** A session handed to the caller as a bearer token. */
export const ZTokenSession = z.object({ sessionToken: z.string(), expiresAt: z.date() });
/** A session set as the browser's cookie: the token stays out of JavaScript, the CSRF token comes instead. */
export const ZCookieSession = z.object({ cookie: z.literal(true), csrfToken: z.string(), expiresAt: z.date() });
export const ZSession = z.union([ZTokenSession, ZCookieSession]);
/**
 * The password was right and the account has a second factor: no session yet. The login page asks for
 * a code and sends it with the challenge token to auth.verifyMfa within 5 minutes.
 */
export const ZMfaChallenge = z.object({
  mfaRequired: z.literal(true),
  challengeToken: z.string(),
  methods: z.array(z.enum(['totp', 'recoveryCode', 'passkey'])),
});
export const ZLoginOutput = z.union([ZTokenSession, ZCookieSession, ZMfaChallenge]);
/** The second step of a sign-in: the challenge and one factor, a TOTP code or a recovery code. */
export const ZVerifyMfaInput = z
  .strictObject({
    challengeToken: z.string().min(1).max(128),
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/, 'Six digits')
      .optional(),
    recoveryCode: z.string().trim().min(1).max(64).optional(),
    // An assertion to options from auth.passkeys.loginOptions.
    passkeyResponse: ZPasskeyResponse.optional(),
  })
  .refine(
    (input) => [input.code, input.recoveryCode, input.passkeyResponse].filter((v) => v !== undefined).length === 1,
    { message: 'Send one of code, recoveryCode and passkeyResponse', path: ['code'] },
  );
export const ZPasskeyLoginInput = z.strictObject({ response: ZPasskeyResponse, cookie: ZCookieOptIn });
export const ZSignupOutput = z.union([
  ZTokenSession.extend({ userId: z.string() }),
  ZCookieSession.extend({ userId: z.string() }),
]);
export const ZChangePasswordInput = z.strictObject({ oldPassword: ZPassword, newPassword: ZPassword });
export const ZRequestPasswordResetInput = z.strictObject({ email: ZEmail });
export const ZResetPasswordInput = z.strictObject({ token: z.string().min(1).max(128), newPassword: ZPassword });
// password: required when claiming an account one is not signed in as (see auth.verifyEmail).
export const ZVerifyEmailInput = z.strictObject({ token: z.string().min(1).max(128), password: ZPassword.optional() });
export const ZVerifyEmailOutput = ZOk.extend({ sessionToken: z.string().optional(), expiresAt: z.date().optional() });
