import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { timestamps } from './base.js';
import { User } from './user.entity.js';

/**
 * A user's TOTP factor (one at most): the secret sealed (SecretBox, bound to the user), confirmed once a
 * first code came back, and the last time step accepted, so a code works once (see api/src/mfa/totp.ts).
 */
export const MfaTotp = defineEntity({
  name: 'MfaTotp',
  tableName: 'mfa_totp',
  properties: {
    userId: () => p.oneToOne(User).mapToPk().primary().fieldName('user_id').deleteRule('cascade'),
    secretSealed: p.text().hidden().lazy(),
    confirmedAt: p.datetime().nullable(),
    lastStep: p.bigint('number').nullable(),
    ...timestamps,
  },
});
export type MfaTotp = InferEntity<typeof MfaTotp>;

/** A single-use recovery code: only its SHA-256 is stored (the codes are random, 80 bits). */
export const MfaRecoveryCode = defineEntity({
  name: 'MfaRecoveryCode',
  tableName: 'mfa_recovery_codes',
  properties: {
    id: p.string().primary(),
    userId: () => p.manyToOne(User).mapToPk().fieldName('user_id').deleteRule('cascade').index(),
    codeHash: p.string().unique().hidden(),
    usedAt: p.datetime().nullable(),
    ...timestamps,
  },
});
export type MfaRecoveryCode = InferEntity<typeof MfaRecoveryCode>;

/**
 * The second step of a sign-in: the password was right, a factor is still owed. Only the SHA-256 of its
 * token is stored; it lasts 5 minutes and is spent once. `cookie`: the session goes to a cookie then.
 */
export const MfaChallenge = defineEntity({
  name: 'MfaChallenge',
  tableName: 'mfa_challenges',
  properties: {
    id: p.string().primary(),
    tokenHash: p.string().unique().hidden(),
    userId: () => p.manyToOne(User).mapToPk().fieldName('user_id').deleteRule('cascade').index(),
    cookie: p.boolean().default(false),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    ...timestamps,
  },
});
export type MfaChallenge = InferEntity<typeof MfaChallenge>;

/**
 * A passkey (WebAuthn credential) of a user: a second factor, and a way to sign in without a password.
 * The public key and the signature counter (synced passkeys always report 0) are what verification needs.
 */
export const MfaPasskey = defineEntity({
  name: 'MfaPasskey',
  tableName: 'mfa_passkeys',
  properties: {
    id: p.string().primary(),
    userId: () => p.manyToOne(User).mapToPk().fieldName('user_id').deleteRule('cascade').index(),
    // base64url, as the browser names it.
    credentialId: p.string().length(1024).unique(),
    publicKey: p.text().hidden(),
    counter: p.bigint('number').default(0),
    transports: p.json<string[]>().defaultRaw("'[]'"),
    name: p.string(),
    backedUp: p.boolean().default(false),
    lastUsedAt: p.datetime().nullable(),
    ...timestamps,
  },
});
export type MfaPasskey = InferEntity<typeof MfaPasskey>;

/** A WebAuthn challenge handed out in options, spent once by the response that signs it (5 minutes). */
export const WebauthnChallenge = defineEntity({
  name: 'WebauthnChallenge',
  tableName: 'webauthn_challenges',
  properties: {
    id: p.string().primary(),
    challenge: p.string().unique(),
    // Registration: the user adding a passkey; authentication: null (anyone's passkey may answer).
    userId: () => p.manyToOne(User).mapToPk().fieldName('user_id').deleteRule('cascade').nullable().index(),
    purpose: p.enum(['register', 'authenticate'] as const),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    ...timestamps,
  },
});
export type WebauthnChallenge = InferEntity<typeof WebauthnChallenge>;
