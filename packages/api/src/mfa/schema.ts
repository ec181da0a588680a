import { z } from 'zod';
import { zId } from '../core/schema.js';

/**
 * A WebAuthn response as @simplewebauthn/browser hands it over (base64url fields); the library checks
 * its content, this only bounds it.
 */
export const ZPasskeyResponse = z.object({
  id: z.string().min(1).max(1400),
  rawId: z.string().min(1).max(1400),
  type: z.literal('public-key'),
  response: z.record(z.string(), z.unknown()),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
});

export const ZMfaMethod = z.enum(['totp', 'recoveryCode', 'passkey']);

export const ZMfaStatus = z.object({
  /** A confirmed factor exists: sign-in asks for it, and organizations requiring one admit the sessions. */
  enabled: z.boolean(),
  totp: z.object({ enrolled: z.boolean(), confirmed: z.boolean(), confirmedAt: z.date().nullable() }),
  recoveryCodesLeft: z.number().int(),
  passkeys: z.number().int(),
  /** What auth.verifyMfa accepts for this account. */
  methods: z.array(ZMfaMethod),
});

export const ZTotpEnrollment = z.object({
  /** Base32, for typing into an authenticator app; shown once, stored sealed. */
  secret: z.string(),
  otpauthUri: z.string(),
  /** The otpauth URI as a QR code (an SVG document). */
  qrSvg: z.string(),
});

/** A six-digit TOTP code from the authenticator app. */
export const ZTotpCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'Six digits');
export const ZCodeInput = z.strictObject({ code: ZTotpCode });
export const ZRecoveryCodes = z.object({
  /** Ten single-use codes, shown this once: each signs in once in place of a TOTP code. */
  recoveryCodes: z.array(z.string()),
});

/** WebAuthn options for the browser (navigator.credentials.create / get, or @simplewebauthn/browser). */
export const ZWebauthnOptions = z.record(z.string(), z.unknown());
export const ZRegisterPasskeyInput = z.strictObject({
  response: ZPasskeyResponse,
  name: z.string().trim().min(1).max(100).optional(),
});
export const ZPasskey = z.object({
  id: z.string(),
  name: z.string(),
  /** Synced across the user's devices (a passkey manager), as the authenticator said. */
  backedUp: z.boolean(),
  createdAt: z.date(),
  lastUsedAt: z.date().nullable(),
});
export const ZPasskeyList = z.object({ items: z.array(ZPasskey) });
export const ZRemovePasskeyInput = z.strictObject({ passkeyId: zId('pky') });
