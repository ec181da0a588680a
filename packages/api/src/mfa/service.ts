import { MfaTotp, Session } from '@gatehouse/db';
import QRCode from 'qrcode';
import { record } from '../core/audit.js';
import { AppError } from '../core/errors.js';
import { actorOf, type Caller } from '../infra/caller.js';
import { transaction } from '../infra/transaction.js';
import {
  hasFactor,
  methodsOf,
  newTotpSecret,
  proveFactor,
  recoveryCodesLeft,
  removeFactors,
  replaceRecoveryCodes,
  totpOf,
} from './factors.js';
import { assertSteppedUp } from './step-up.js';

/** A person signed in with a session, acting on their own factors (sessionProcedure). */
type SessionCaller = Caller & { principal: { sessionId: string } };

/** Audited in the organization the session acts in, if any; always targeting the user. */
function audit(caller: SessionCaller, tx: Parameters<typeof record>[0], action: string): void {
  record(tx, actorOf(caller), {
    organizationId: caller.principal.organizationId,
    action,
    target: { type: 'user', id: caller.principal.userId },
  });
}

export async function status(caller: SessionCaller) {
  const { userId } = caller.principal;
  const totp = await totpOf(caller.em, userId);
  const confirmed = Boolean(totp?.confirmed_at);
  const left = confirmed ? await recoveryCodesLeft(caller.em, userId) : 0;
  return {
    enabled: confirmed,
    totp: {
      enrolled: Boolean(totp),
      confirmed,
      confirmedAt: totp?.confirmed_at ? new Date(totp.confirmed_at) : null,
    },
    recoveryCodesLeft: left,
    methods: methodsOf(confirmed, left),
  };
}

/**
 * Starts (or restarts) TOTP enrolment: a new secret, sealed, unconfirmed until a first code comes back
 * (auth.mfa.totp.confirm). A confirmed factor is replaced only after auth.mfa.disable.
 */
export async function enrollTotp(caller: SessionCaller) {
  const { userId, email } = caller.principal;
  const fresh = newTotpSecret(caller.runtime, userId, email);
  // A confirmed factor stays as it is: the conflict's update only touches an unconfirmed one.
  const written = await caller.em.execute<{ affectedRows: number }>(
    `insert into mfa_totp (user_id, secret_sealed, confirmed_at, last_step, created_at, updated_at)
     values (?, ?, null, null, now(), now())
     on conflict (user_id) do update set secret_sealed = excluded.secret_sealed, last_step = null, updated_at = now()
     where mfa_totp.confirmed_at is null`,
    [userId, fresh.sealed],
    'run',
  );
  if (written.affectedRows !== 1) {
    throw new AppError('MFA_ALREADY_ENABLED', 'A TOTP factor is already set up; disable it first to replace it');
  }
  const qrSvg = await QRCode.toString(fresh.otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { secret: fresh.secret, otpauthUri: fresh.otpauthUri, qrSvg };
}

/**
 * Confirms enrolment with a first code: the factor is on from now, the ten recovery codes come back
 * once, and this session counts as having just proven it. Every process learns the user has a factor.
 */
export async function confirmTotp(caller: SessionCaller, input: { code: string }, nowMs = Date.now()) {
  const { userId, sessionId } = caller.principal;
  const totp = await totpOf(caller.em, userId);
  if (!totp) throw new AppError('MFA_NOT_ENABLED', 'Start with auth.mfa.totp.enroll');
  if (totp.confirmed_at) throw new AppError('MFA_ALREADY_ENABLED', 'The TOTP factor is already confirmed');
  return transaction(caller, async (tx, after) => {
    await proveFactor(caller, tx, userId, { code: input.code }, { nowMs, enrolling: true });
    const confirmed = await tx.nativeUpdate(MfaTotp, { userId, confirmedAt: null }, { confirmedAt: new Date() });
    if (confirmed !== 1) throw new AppError('MFA_ALREADY_ENABLED', 'The TOTP factor is already confirmed');
    const recoveryCodes = await replaceRecoveryCodes(tx, userId);
    await tx.nativeUpdate(Session, { id: sessionId }, { mfaVerifiedAt: new Date() });
    after.invalidate({ userId });
    audit(caller, tx, 'user.mfa_enabled');
    return { recoveryCodes };
  });
}

async function assertEnabled(caller: SessionCaller): Promise<void> {
  if (!(await hasFactor(caller.em, caller.principal.userId))) {
    throw new AppError('MFA_NOT_ENABLED', 'No second factor is set up');
  }
}

/** Ten new recovery codes for a fresh TOTP code; the old ones stop working. */
export async function regenerateRecoveryCodes(caller: SessionCaller, input: { code: string }, nowMs = Date.now()) {
  const { userId } = caller.principal;
  await assertEnabled(caller);
  return transaction(caller, async (tx) => {
    await proveFactor(caller, tx, userId, { code: input.code }, { nowMs });
    const recoveryCodes = await replaceRecoveryCodes(tx, userId);
    audit(caller, tx, 'user.mfa_recovery_codes_regenerated');
    return { recoveryCodes };
  });
}

/** Proves a factor again in this session (a TOTP code): step-up for the procedures that need one. */
export async function stepUp(caller: SessionCaller, input: { code: string }, nowMs = Date.now()): Promise<void> {
  const { userId, sessionId } = caller.principal;
  await assertEnabled(caller);
  await transaction(caller, async (tx) => {
    await proveFactor(caller, tx, userId, { code: input.code }, { nowMs });
    await tx.nativeUpdate(Session, { id: sessionId }, { mfaVerifiedAt: new Date() });
  });
}

/**
 * Removes the user's second factor: needs a factor proven in this session within the last ten minutes
 * (step-up) and a fresh code, so a session left open somewhere cannot take it away.
 */
export async function disable(caller: SessionCaller, input: { code: string }, nowMs = Date.now()): Promise<void> {
  const { userId } = caller.principal;
  await assertEnabled(caller);
  await assertSteppedUp(caller);
  await transaction(caller, async (tx, after) => {
    await proveFactor(caller, tx, userId, { code: input.code }, { nowMs });
    await removeFactors(tx, userId);
    after.invalidate({ userId });
    audit(caller, tx, 'user.mfa_disabled');
  });
}
