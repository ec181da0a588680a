import { MfaPasskey, MfaTotp, Session } from '@gatehouse/db';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import QRCode from 'qrcode';
import { assertSteppedUp } from '../access/step-up.js';
import { record } from '../core/audit.js';
import { AppError } from '../core/errors.js';
import { actorOf, type Caller } from '../infra/caller.js';
import { transaction } from '../infra/transaction.js';
import {
  hasFactor,
  methodsOf,
  newTotpSecret,
  passkeyCount,
  proveFactor,
  recoveryCodesLeft,
  removeFactors,
  replaceRecoveryCodes,
  totpOf,
} from './factors.js';
import { registerPasskey as addPasskey, registrationOptions } from './passkeys.js';

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

/**
 * A factor is added to an account that has one only with a factor proven lately (step-up): a stolen
 * session alone must not add the thief's authenticator, or mint recovery codes through it.
 */
async function assertMayAddFactor(caller: SessionCaller): Promise<void> {
  if (await hasFactor(caller.em, caller.principal.userId)) await assertSteppedUp(caller);
}

export async function status(caller: SessionCaller) {
  const { userId } = caller.principal;
  const totp = await totpOf(caller.em, userId);
  const confirmed = Boolean(totp?.confirmed_at);
  const passkeys = await passkeyCount(caller.em, userId);
  const left = confirmed || passkeys ? await recoveryCodesLeft(caller.em, userId) : 0;
  return {
    enabled: confirmed || passkeys > 0,
    passkeys,
    totp: {
      enrolled: Boolean(totp),
      confirmed,
      confirmedAt: totp?.confirmed_at ? new Date(totp.confirmed_at) : null,
    },
    recoveryCodesLeft: left,
    methods: methodsOf(confirmed, left, passkeys),
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
  await assertMayAddFactor(caller);
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

/** Options for adding a passkey (navigator.credentials.create); answer with auth.mfa.passkeys.register. */
export async function passkeyRegistrationOptions(caller: SessionCaller) {
  const { userId, email, name } = caller.principal;
  const options = await transaction(caller, (tx) =>
    registrationOptions(tx, caller.runtime, { id: userId, email, name }),
  );
  // Handed to the browser as it is: plain JSON (base64url strings), typed by WebAuthn, not by us.
  return options as unknown as Record<string, unknown>;
}

/**
 * Adds a passkey from the browser's response to the options. A user's first factor, when it is the
 * first: their sessions then need it at sign-in, and every process learns it.
 */
export async function registerPasskey(
  caller: SessionCaller,
  input: { response: RegistrationResponseJSON; name?: string | undefined },
) {
  const { userId } = caller.principal;
  await assertMayAddFactor(caller);
  return transaction(caller, async (tx, after) => {
    const passkey = await addPasskey(tx, caller.runtime, userId, input.response, input.name ?? 'Passkey');
    after.invalidate({ userId });
    audit(caller, tx, 'user.passkey_added');
    return toPasskey(passkey);
  });
}

const toPasskey = (k: MfaPasskey) => ({
  id: k.id,
  name: k.name,
  backedUp: k.backedUp,
  createdAt: k.createdAt,
  lastUsedAt: k.lastUsedAt ?? null,
});

export async function listPasskeys(caller: SessionCaller) {
  const rows = await caller.em.find(MfaPasskey, { userId: caller.principal.userId }, { orderBy: { id: 'asc' } });
  return { items: rows.map(toPasskey) };
}

/**
 * Removes one of the caller's passkeys (another user's is NOT_FOUND). Removing the last factor needs a
 * factor proven in the last 10 minutes (step-up), as auth.mfa.disable does.
 */
export async function removePasskey(caller: SessionCaller, passkeyId: string): Promise<void> {
  const { userId } = caller.principal;
  const passkey = await caller.em.findOne(MfaPasskey, { id: passkeyId, userId });
  if (!passkey) throw new AppError('NOT_FOUND', 'Passkey not found');
  const totp = await totpOf(caller.em, userId);
  if (!totp?.confirmed_at && (await passkeyCount(caller.em, userId)) === 1) await assertSteppedUp(caller);
  await transaction(caller, async (tx, after) => {
    await tx.nativeDelete(MfaPasskey, { id: passkeyId, userId });
    after.invalidate({ userId });
    audit(caller, tx, 'user.passkey_removed');
  });
}
