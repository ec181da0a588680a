import { z } from 'zod';
import { ZOk } from '../core/schema.js';
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
});
export type TWhoami = z.infer<typeof ZWhoami>;

const ZEmail = z.email().max(254);
// The policy (length, common passwords, not the email) is checked by the service with a clear
// message; here only a bound on what we are willing to hash.
const ZPassword = z.string().min(1).max(PASSWORD_MAX);

export const ZSignupInput = z.strictObject({
  email: ZEmail,
  password: ZPassword,
  name: z.string().trim().min(1).max(200),
});
export const ZSignupOutput = z.object({ userId: z.string(), sessionToken: z.string(), expiresAt: z.date() });
export const ZLoginInput = z.strictObject({ email: ZEmail, password: ZPassword });
export const ZSession = z.object({ sessionToken: z.string(), expiresAt: z.date() });
export const ZChangePasswordInput = z.strictObject({ oldPassword: ZPassword, newPassword: ZPassword });
export const ZRequestPasswordResetInput = z.strictObject({ email: ZEmail });
export const ZResetPasswordInput = z.strictObject({ token: z.string().min(1).max(128), newPassword: ZPassword });
// password: required when claiming an account one is not signed in as (see auth.verifyEmail).
export const ZVerifyEmailInput = z.strictObject({ token: z.string().min(1).max(128), password: ZPassword.optional() });
export const ZVerifyEmailOutput = ZOk.extend({ sessionToken: z.string().optional(), expiresAt: z.date().optional() });
