import { MfaChallenge, MfaPasskey, MfaRecoveryCode, MfaTotp, newId } from '@gatehouse/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { generateSecret, generateURI, verify } from 'otplib';
import { hasFactorSql } from '../access/sql.js';
import { randomLowerAlnum, randomString, sha256Hex } from '../core/crypto.js';
import { AppError } from '../core/errors.js';
import type { Runtime } from '../infra/caller.js';
import { beginPasswordAttempt, signedInFrom } from '../limits/guards.js';
import { verifyPasskeyAssertion } from './passkeys.js';

/**
 * A user's second factors: the TOTP secret (sealed at rest, bound to its user), the last accepted time
 * step (a code works once), single-use recovery codes and the sign-in challenge between a right password
 * and a factor. Shared by auth.login / auth.verifyMfa and auth.mfa.* (and users.resetMfa).
 */

export const TOTP_PERIOD_SECONDS = 30;
/** ±1 step: a code from the step before or after now is still good (clocks and typing drift). */
const TOTP_TOLERANCE_SECONDS = TOTP_PERIOD_SECONDS;
export const RECOVERY_CODE_COUNT = 10;
export const CHALLENGE_TTL_MS = 5 * 60_000;
/** Owner-level keys, ownership transfers and removing a factor need one proven this recently. */
export const TOTP_ISSUER = 'Gatehouse';

export type MfaMethod = 'totp' | 'recoveryCode' | 'passkey';

/** What auth.verifyMfa accepts: TOTP once confirmed, recovery codes while some are left, passkeys. */
export function methodsOf(totpConfirmed: boolean, recoveryCodesLeft: number, passkeys = 0): MfaMethod[] {
  const methods: MfaMethod[] = [];
  if (totpConfirmed) methods.push('totp');
  if (recoveryCodesLeft > 0 && (totpConfirmed || passkeys > 0)) methods.push('recoveryCode');
  if (passkeys > 0) methods.push('passkey');
  return methods;
}

/** A fresh secret, sealed for `userId`, with what an authenticator app needs to take it. */
export function newTotpSecret(runtime: Runtime, userId: string, email: string) {
  const secret = generateSecret();
  return {
    secret,
    sealed: runtime.mfaSecrets.seal(Buffer.from(secret), `mfa_totp:${userId}`),
    otpauthUri: generateURI({ issuer: TOTP_ISSUER, label: email, secret, period: TOTP_PERIOD_SECONDS }),
  };
}

function openSecret(runtime: Runtime, userId: string, sealed: string): string {
  const plain = runtime.mfaSecrets.open(sealed, `mfa_totp:${userId}`);
  // Not ours (another deployment secret, a row copied from another user): no code can match.
  if (!plain) throw new AppError('MFA_CODE_INVALID', 'The code is not valid');
  return plain.toString();
}

/** The user's TOTP factor row (confirmed or not), or null. */
export async function totpOf(em: EntityManager, userId: string) {
  const [row] = await em.execute<{ secret_sealed: string; confirmed_at: string | null; last_step: string | null }[]>(
    'select secret_sealed, confirmed_at, last_step from mfa_totp where user_id = ?',
    [userId],
  );
  return row ?? null;
}

/** Whether the user has a second factor (a confirmed TOTP or a passkey). */
export async function hasFactor(em: EntityManager, userId: string): Promise<boolean> {
  const [row] = await em.execute<{ has: boolean }[]>(`select ${hasFactorSql('?')} as has`, [userId, userId]);
  return Boolean(row?.has);
}

/** How many passkeys the user has. */
export async function passkeyCount(em: EntityManager, userId: string): Promise<number> {
  const [row] = await em.execute<{ n: number }[]>('select count(*)::int as n from mfa_passkeys where user_id = ?', [
    userId,
  ]);
  return row?.n ?? 0;
}

/**
 * Checks a TOTP code for `userId` at `nowMs` and spends it: the accepted time step is stored with a
 * conditional update that only a greater step passes, so a code (or any earlier one) works once, even
 * for two requests at the same moment (the second waits for the first's row lock, then finds the step
 * taken). `confirmed`: the factor must be confirmed (false: only while enrolling).
 */
export async function spendTotp(
  tx: EntityManager,
  runtime: Runtime,
  userId: string,
  code: string,
  { nowMs = Date.now(), confirmed = true } = {},
): Promise<boolean> {
  const row = await totpOf(tx, userId);
  if (!row || Boolean(row.confirmed_at) !== confirmed) return false;
  if (!/^\d{6}$/.test(code)) return false;
  const result = await verify({
    secret: openSecret(runtime, userId, row.secret_sealed),
    token: code,
    epoch: Math.floor(nowMs / 1000),
    epochTolerance: TOTP_TOLERANCE_SECONDS,
    period: TOTP_PERIOD_SECONDS,
  });
  // The TOTP verifier reports the time step it matched (otplib's TOTP result).
  if (!result.valid || !('timeStep' in result) || typeof result.timeStep !== 'number') return false;
  const taken = await tx.execute<{ affectedRows: number }>(
    `update mfa_totp set last_step = ?, updated_at = now()
      where user_id = ? and (last_step is null or last_step < ?)`,
    [result.timeStep, userId, result.timeStep],
    'run',
  );
  return taken.affectedRows === 1;
}

/** Recovery codes as shown: 16 characters (about 82 bits) in four groups. */
function newRecoveryCode(): string {
  return randomLowerAlnum(16).replace(/(.{4})(?=.)/g, '$1-');
}

/** What is hashed: the code without separators or case, so `ABCD EFGH…` is the same code. */
const normalizeRecoveryCode = (code: string) => code.toLowerCase().replace(/[^0-9a-z]/g, '');

/** Replaces the user's recovery codes with ten new ones, returned once; only their SHA-256 is kept. */
export async function replaceRecoveryCodes(tx: EntityManager, userId: string): Promise<string[]> {
  await tx.nativeDelete(MfaRecoveryCode, { userId });
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  for (const code of codes) {
    tx.create(MfaRecoveryCode, { id: newId('rcv'), userId, codeHash: sha256Hex(normalizeRecoveryCode(code)) });
  }
  await tx.flush();
  return codes;
}

/** Spends one of the user's recovery codes: only one request finds it unused (a conditional update). */
export async function spendRecoveryCode(tx: EntityManager, userId: string, code: string): Promise<boolean> {
  const normalized = normalizeRecoveryCode(code);
  if (normalized.length !== 16) return false;
  const spent = await tx.nativeUpdate(
    MfaRecoveryCode,
    { userId, codeHash: sha256Hex(normalized), usedAt: null },
    { usedAt: new Date() },
  );
  return spent === 1;
}

/** How many unused recovery codes the user has left. */
export async function recoveryCodesLeft(em: EntityManager, userId: string): Promise<number> {
  return em.count(MfaRecoveryCode, { userId, usedAt: null });
}

/** Removes every factor of the user (an admin's reset, a claimed account). */
export async function removeFactors(tx: EntityManager, userId: string): Promise<void> {
  await tx.nativeDelete(MfaPasskey, { userId });
  await tx.nativeDelete(MfaRecoveryCode, { userId });
  await tx.nativeDelete(MfaTotp, { userId });
}

/**
 * Checks a factor the user presents (a TOTP code or a recovery code) and spends it, throttled like a
 * password: per account and address, per address, and the account-wide brake (limits/guards.ts).
 * Anything but a good, unused code is FORBIDDEN MFA_CODE_INVALID. `enrolling`: the first code of a
 * factor not yet confirmed (auth.mfa.totp.confirm).
 */
export async function proveFactor(
  caller: { em: EntityManager; runtime: Runtime; ip: string | null },
  tx: EntityManager,
  userId: string,
  proof: {
    code?: string | undefined;
    recoveryCode?: string | undefined;
    passkeyResponse?: AuthenticationResponseJSON | undefined;
  },
  { nowMs = Date.now(), enrolling = false } = {},
): Promise<MfaMethod> {
  const attempt = await beginPasswordAttempt(caller.runtime.throttle, {
    account: `mfa:${userId}`,
    address: caller.ip,
    knownAddress: () => signedInFrom(caller.em, userId, caller.ip),
  });
  let method: MfaMethod | null = null;
  if (proof.code !== undefined) {
    if (await spendTotp(tx, caller.runtime, userId, proof.code, { nowMs, confirmed: !enrolling })) method = 'totp';
  } else if (proof.recoveryCode !== undefined && !enrolling) {
    if (await spendRecoveryCode(tx, userId, proof.recoveryCode)) method = 'recoveryCode';
  } else if (proof.passkeyResponse !== undefined && !enrolling) {
    const verified = await verifyPasskeyAssertion(tx, caller.runtime, proof.passkeyResponse, {
      userId,
      requireUserVerification: false,
    }).catch((error: unknown) => {
      if (error instanceof AppError && error.reason === 'MFA_CODE_INVALID') return null;
      throw error;
    });
    if (verified) method = 'passkey';
  }
  if (!method) {
    await attempt.failed();
    throw new AppError('MFA_CODE_INVALID', 'The code is not valid, or was already used');
  }
  await attempt.succeeded();
  return method;
}

/** Opens the second step of a sign-in for `userId`: the token is returned once, stored as SHA-256. */
export function createChallenge(tx: EntityManager, userId: string, cookie: boolean): string {
  const token = `ghm_${randomString(43)}`;
  tx.create(MfaChallenge, {
    id: newId('mfc'),
    tokenHash: sha256Hex(token),
    userId,
    cookie,
    expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS),
  });
  return token;
}

const invalidChallenge = () =>
  new AppError('MFA_CHALLENGE_INVALID', 'This sign-in has expired or was already completed; sign in again');

/** The live (unused, unexpired) challenge of `token`, or UNAUTHORIZED MFA_CHALLENGE_INVALID. */
export async function liveChallenge(em: EntityManager, token: string) {
  const row = await em.findOne(MfaChallenge, { tokenHash: sha256Hex(token) });
  if (!row || row.usedAt || row.expiresAt.getTime() <= Date.now()) throw invalidChallenge();
  return row;
}

/** Spends the challenge: one request only finds it unused and unexpired. */
export async function spendChallenge(tx: EntityManager, challengeId: string): Promise<void> {
  const spent = await tx.nativeUpdate(
    MfaChallenge,
    { id: challengeId, usedAt: null, expiresAt: { $gt: new Date() } },
    { usedAt: new Date() },
  );
  if (spent !== 1) throw invalidChallenge();
}
