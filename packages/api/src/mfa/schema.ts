import { z } from 'zod';

export const ZMfaMethod = z.enum(['totp', 'recoveryCode']);

export const ZMfaStatus = z.object({
  /** A confirmed factor exists: sign-in asks for it, and organizations requiring one admit the sessions. */
  enabled: z.boolean(),
  totp: z.object({ enrolled: z.boolean(), confirmed: z.boolean(), confirmedAt: z.date().nullable() }),
  recoveryCodesLeft: z.number().int(),
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
