import { newId, PasswordResetToken, Session, User } from '@gatehouse/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { claimAccount } from '../accounts/claim.js';
import { findUserByEmail, normalizeEmail } from '../accounts/email.js';
import { asEmailTaken, insertUser } from '../accounts/insert-user.js';
import { record } from '../core/audit.js';
import { randomString, sha256Hex } from '../core/crypto.js';
import { AppError } from '../core/errors.js';
import type { Principal } from '../core/principal.js';
import type { Runtime } from '../infra/caller.js';
import { actorOf, type Caller } from '../infra/caller.js';
import { type AfterCommit, transaction } from '../infra/transaction.js';
import { takeAttempt } from '../limits/budgets.js';
import { beginPasswordAttempt, signedInFrom } from '../limits/guards.js';
import { passwordResetEmail, setPasswordEmail, verificationEmail } from '../mail/templates.js';
import {
  createChallenge,
  hasFactor,
  liveChallenge,
  methodsOf,
  passkeyCount,
  proveFactor,
  recoveryCodesLeft,
  spendChallenge,
  totpOf,
} from '../mfa/factors.js';
import { authenticationOptions, verifyPasskeyAssertion } from '../mfa/passkeys.js';
import type { SessionCookieSink } from '../sessions/cookie-sink.js';
import { assertCookieSettable, createSession, csrfTokenFor, handOver, revokeSessions } from '../sessions/sessions.js';
import { assertPasswordAllowed, ssoRequiredFor } from '../sso/required.js';
import { assertPasswordAcceptable } from './password-policy.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { TWhoami } from './schema.js';

/**
 * Everything comes from the (cached) principal: a warm whoami runs no query. A caller with a session
 * cookie also learns its CSRF token (`cookieToken`: the cookie's session token, never sent back).
 */
export function whoami(principal: Principal, runtime: Runtime, cookieToken?: string): TWhoami {
  return {
    ...(cookieToken ? { csrfToken: csrfTokenFor(runtime, cookieToken) } : {}),
    userId: principal.userId,
    email: principal.email,
    name: principal.name,
    roles: principal.role ? [principal.role] : [],
    organization:
      principal.organizationId && principal.organizationName
        ? { id: principal.organizationId, name: principal.organizationName }
        : null,
    ...(principal.apiKey ? { apiKey: principal.apiKey } : {}),
    ...(principal.serviceAccount
      ? {
          serviceAccount: {
            id: principal.serviceAccount.id,
            clientId: principal.serviceAccount.clientId,
            scopes: principal.serviceAccount.scopes,
          },
        }
      : {}),
    principal: principal.kind,
    platform: principal.platformRole === 'admin' && (!principal.apiKey || principal.apiKey.platform),
  };
}

/** Anonymous requests: what the public auth procedures need of the request. */
export interface AnonymousCaller {
  em: EntityManager;
  runtime: Runtime;
  ip: string | null;
  userAgent?: string | null;
  requestId: string;
  sessionCookie?: SessionCookieSink | null;
}

/** Admits a password check for `email` from the caller's address (limits/guards.ts has the rules). */
function passwordAttempt(
  caller: { em: EntityManager; runtime: Runtime; ip: string | null },
  email: string,
  userId?: string,
) {
  return beginPasswordAttempt(caller.runtime.throttle, {
    account: email,
    address: caller.ip,
    // Asked only while the account is braked; the same query whether or not the account exists.
    knownAddress: () => signedInFrom(caller.em, userId, caller.ip),
  });
}

// Verified against when the email is unknown, so both failures take one argon2 verification.
let decoyHash: Promise<string> | undefined;
const decoy = () => {
  decoyHash ??= hashPassword(randomString(32));
  return decoyHash;
};

/** Audits what a not-yet-authenticated person did to their own account. */
function recordOwnAccount(em: EntityManager, caller: AnonymousCaller, userId: string, action: string): void {
  const actor = { type: 'user' as const, id: userId, ip: caller.ip, requestId: caller.requestId };
  record(em, actor, { organizationId: null, action, target: { type: 'user', id: userId } });
}

const invalidLogin = () => new AppError('UNAUTHORIZED', 'Invalid email or password');

export async function signup(
  caller: AnonymousCaller,
  input: { email: string; password: string; name: string; cookie?: boolean | undefined },
) {
  if (!caller.runtime.signupOpen) throw new AppError('FORBIDDEN', 'Sign-up is closed on this deployment');
  assertCookieSettable(caller, input.cookie);
  await takeAttempt(caller.em, [{ bucket: `signup:ip:${caller.ip ?? '-'}`, max: 20, windowSeconds: 3600 }]);
  const email = normalizeEmail(input.email);
  assertPasswordAcceptable(input.password, email);
  const passwordHash = await hashPassword(input.password);
  return transaction(caller, async (tx, after) => {
    // Unverified until the mailed link comes back: typing an address proves nothing about owning it.
    const user = await insertUser(tx, { email, name: input.name, passwordHash, lastLoginAt: new Date() });
    const session = createSession(tx, user.id, caller.ip, caller.userAgent);
    recordOwnAccount(tx, caller, user.id, 'user.signed_up');
    queueMailedToken(tx, after, caller.runtime, user, 'verify');
    return { userId: user.id, session };
  })
    .then(({ userId, session }) => ({ userId, ...handOver(caller, session, input.cookie) }))
    .catch(asEmailTaken);
}

export async function login(
  caller: AnonymousCaller,
  input: { email: string; password: string; cookie?: boolean | undefined },
) {
  assertCookieSettable(caller, input.cookie);
  const email = normalizeEmail(input.email);
  const [user] = await caller.em.execute<{ id: string; status: string; password_hash: string | null }[]>(
    'select id, status, password_hash from users where lower(email) = lower(?)',
    [email],
  );
  const attempt = await passwordAttempt(caller, email, user?.id);
  const ok = await verifyPassword(user?.password_hash ?? (await decoy()), input.password);
  if (!user?.password_hash || !ok || user.status !== 'active') {
    await attempt.failed();
    throw invalidLogin();
  }
  await attempt.succeeded();
  // Only once the password is right: a wrong one learns nothing about the account's organization.
  await assertPasswordAllowed(caller.em, user.id, email);
  if (await hasFactor(caller.em, user.id)) {
    // A second factor is owed: no session (and no cookie) until auth.verifyMfa.
    const totp = await totpOf(caller.em, user.id);
    const methods = methodsOf(
      Boolean(totp?.confirmed_at),
      await recoveryCodesLeft(caller.em, user.id),
      await passkeyCount(caller.em, user.id),
    );
    const challengeToken = await transaction(caller, async (tx) => createChallenge(tx, user.id, input.cookie ?? false));
    return { mfaRequired: true as const, challengeToken, methods };
  }
  const session = await transaction(caller, async (tx) => {
    const session = createSession(tx, user.id, caller.ip, caller.userAgent);
    await tx.nativeUpdate(User, { id: user.id }, { lastLoginAt: new Date() });
    return session;
  });
  return handOver(caller, session, input.cookie);
}

/**
 * The second step of a sign-in: the challenge auth.login handed out and a factor of the same user (a
 * TOTP code, or a recovery code), each spent once. Failures are throttled like passwords; a wrong code
 * leaves the challenge open for another try until it expires. The session (a cookie if login asked for
 * one) counts as having just proven a factor (step-up).
 */
export async function verifyMfa(
  caller: AnonymousCaller,
  input: {
    challengeToken: string;
    code?: string | undefined;
    recoveryCode?: string | undefined;
    passkeyResponse?: unknown;
  },
  nowMs = Date.now(),
) {
  const challenge = await liveChallenge(caller.em, input.challengeToken);
  assertCookieSettable(caller, challenge.cookie);
  const user = await caller.em.findOne(User, challenge.userId, { fields: ['status'] });
  if (user?.status !== 'active') throw invalidLogin();
  const session = await transaction(caller, async (tx) => {
    const passkeyResponse = input.passkeyResponse as AuthenticationResponseJSON | undefined;
    await proveFactor(caller, tx, challenge.userId, { ...input, passkeyResponse }, { nowMs });
    await spendChallenge(tx, challenge.id);
    const session = createSession(tx, challenge.userId, caller.ip, caller.userAgent);
    tx.getReference(Session, session.sessionId).mfaVerifiedAt = new Date();
    await tx.nativeUpdate(User, { id: challenge.userId }, { lastLoginAt: new Date() });
    return session;
  });
  return handOver(caller, session, challenge.cookie);
}

/** Ends the calling session; a browser's session cookie is cleared with it. */
export async function logout(caller: Caller & { sessionCookie?: SessionCookieSink | null }): Promise<void> {
  const { sessionId } = caller.principal;
  if (!sessionId) throw new AppError('BAD_REQUEST', 'Logout ends a session; revoke an API key with auth.revokeKey');
  await transaction(caller, async (tx, after) => {
    after.invalidate({ sessionId });
    await tx.nativeUpdate(Session, { id: sessionId, revokedAt: null }, { revokedAt: new Date() });
  });
  caller.sessionCookie?.clear();
}

/** A new password makes every outstanding reset link useless: one leaked from an old mail must not undo it. */
async function voidResetTokens(tx: EntityManager, userId: string): Promise<void> {
  await tx.nativeUpdate(PasswordResetToken, { userId, purpose: 'reset', usedAt: null }, { usedAt: new Date() });
}

/**
 * Changes the password with the old one; every other session of the user ends (whoever knew the old
 * password is signed out everywhere), in every process at once.
 */
export async function changePassword(caller: Caller, input: { oldPassword: string; newPassword: string }) {
  const { userId, sessionId } = caller.principal;
  const user = await caller.em.findOne(User, userId, { fields: ['email', 'passwordHash'] });
  if (!user) throw new AppError('UNAUTHORIZED', 'Unknown user');
  const attempt = await passwordAttempt(caller, user.email, userId);
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, input.oldPassword))) {
    await attempt.failed();
    throw new AppError('FORBIDDEN', 'The current password is wrong');
  }
  await attempt.succeeded();
  assertPasswordAcceptable(input.newPassword, user.email);
  const passwordHash = await hashPassword(input.newPassword);
  await transaction(caller, async (tx, after) => {
    after.invalidate({ userId });
    await tx.nativeUpdate(User, { id: userId }, { passwordHash });
    await voidResetTokens(tx, userId);
    await revokeSessions(tx, userId, sessionId ?? undefined);
    record(tx, actorOf(caller), {
      organizationId: caller.principal.organizationId,
      action: 'user.password_changed',
      target: { type: 'user', id: userId },
    });
  });
}

export const RESET_TTL_MINUTES = 60;

/**
 * Sends a reset link when the email has an account. The answer is the same either way, so the
 * endpoint cannot be used to learn who has an account.
 */
export async function requestPasswordReset(caller: AnonymousCaller, input: { email: string }): Promise<void> {
  const email = normalizeEmail(input.email);
  await takeAttempt(caller.em, [{ bucket: `reset:ip:${caller.ip ?? '-'}`, max: 20, windowSeconds: 3600 }]);
  const user = await findUserByEmail(caller.em, email);
  // Invited users (created without a password) claim their account through this link too.
  if (user?.status !== 'active' && user?.status !== 'invited') return;
  // Nothing to mail to an account that must use SSO (the answer stays the same: no account oracle).
  if (await ssoRequiredFor(caller.em, user.id, user.email)) return;
  // At most a few emails an hour to one inbox, whoever asks.
  const [row] = await caller.em.execute<{ count: number }[]>(
    `select count(*)::int as count from password_reset_tokens where user_id = ? and purpose = 'reset' and created_at > now() - interval '1 hour'`,
    [user.id],
  );
  if ((row?.count ?? 0) >= 3) return;
  await sendResetEmail(caller, user);
}

export const VERIFY_TTL_MINUTES = 24 * 60;

/** A single-use mailed token of `purpose`, stored hashed in `tx`; the token itself goes into the link. */
function issueMailedToken(tx: EntityManager, userId: string, purpose: 'reset' | 'verify', expiresAt: Date): string {
  const token = randomString(43);
  tx.create(PasswordResetToken, { id: newId('prt'), tokenHash: sha256Hex(token), userId, purpose, expiresAt });
  return token;
}

/**
 * Issues a single-use mailed token (a password reset, or an address verification) in `tx` and queues
 * the email with its link there: the mail goes out if and only if the token commits.
 */
function queueMailedToken(
  tx: EntityManager,
  after: AfterCommit,
  runtime: Runtime,
  user: { id: string; email: string },
  purpose: 'reset' | 'verify',
): void {
  const ttl = purpose === 'reset' ? RESET_TTL_MINUTES : VERIFY_TTL_MINUTES;
  const token = issueMailedToken(tx, user.id, purpose, new Date(Date.now() + ttl * 60_000));
  if (purpose === 'reset') {
    const link = `${runtime.appUrl}/reset-password?token=${token}`;
    after.mail('password_reset', passwordResetEmail({ to: user.email, link, expiresInMinutes: ttl }));
  } else {
    const link = `${runtime.appUrl}/verify-email?token=${token}`;
    after.mail('email_verification', verificationEmail({ to: user.email, link, expiresInMinutes: ttl }));
  }
}

/**
 * Mails an account an organization created without a password a link to choose one, in `tx` (see
 * users.create). It is a reset token, so auth.resetPassword spends it and proves the address as any
 * reset does; it lasts as long as the organization's invitations.
 */
export function queueSetPasswordMail(
  tx: EntityManager,
  after: AfterCommit,
  runtime: Runtime,
  user: { id: string; email: string },
  organization: { name: string; ttlDays: number },
): void {
  const expiresAt = new Date(Date.now() + organization.ttlDays * 86_400_000);
  const token = issueMailedToken(tx, user.id, 'reset', expiresAt);
  const link = `${runtime.appUrl}/reset-password?token=${token}`;
  after.mail(
    'set_password',
    setPasswordEmail({ to: user.email, organizationName: organization.name, link, expiresAt }),
  );
}

/** Issues a single-use reset token and queues the email with its link. Shared with users.resetPassword. */
export async function sendResetEmail(caller: { em: EntityManager; runtime: Runtime }, user: User): Promise<void> {
  await transaction(caller, async (tx, after) => {
    queueMailedToken(tx, after, caller.runtime, user, 'reset');
  });
}

/** Mails the signed-in user a new verification link (a few an hour at most); a verified address needs none. */
export async function requestEmailVerification(caller: Caller): Promise<void> {
  const { userId } = caller.principal;
  const user = await caller.em.findOne(User, userId);
  if (!user) throw new AppError('UNAUTHORIZED', 'Unknown user');
  if (user.emailVerified) return;
  await takeAttempt(caller.em, [{ bucket: `verify-mail:${userId}`, max: 5, windowSeconds: 3600 }]);
  await transaction(caller, async (tx, after) => {
    queueMailedToken(tx, after, caller.runtime, user, 'verify');
  });
}

const invalidToken = () => new AppError('BAD_REQUEST', 'This link is invalid or has expired', { field: 'token' });

/** The unused, unexpired mailed token of `purpose`, or BAD_REQUEST. */
async function liveToken(em: EntityManager, token: string, purpose: 'reset' | 'verify') {
  const row = await em.findOne(PasswordResetToken, { tokenHash: sha256Hex(token), purpose });
  if (!row || row.usedAt || row.expiresAt.getTime() <= Date.now()) throw invalidToken();
  return row;
}

/** Single use even under a double submit: only one update finds usedAt still null. */
async function spend(tx: EntityManager, tokenId: string): Promise<void> {
  const claimed = await tx.nativeUpdate(PasswordResetToken, { id: tokenId, usedAt: null }, { usedAt: new Date() });
  if (claimed !== 1) throw invalidToken();
}

/**
 * Confirms the address with the mailed token. Signed in as the account, that is all. Otherwise the
 * token's holder owns the address and may not be whoever created the account: they claim it, choosing
 * its password (`password` is required then), and every session and key made before is revoked; a
 * session comes back.
 */
export async function verifyEmail(
  caller: AnonymousCaller & { principal: Principal | null },
  input: { token: string; password?: string | undefined },
): Promise<{ ok: true; sessionToken?: string; expiresAt?: Date }> {
  await takeAttempt(caller.em, [{ bucket: `verify-confirm:ip:${caller.ip ?? '-'}`, max: 30, windowSeconds: 3600 }]);
  const row = await liveToken(caller.em, input.token, 'verify');
  const user = await caller.em.findOneOrFail(User, row.userId);
  const own = caller.principal?.userId === user.id;
  let passwordHash: string | undefined;
  if (!own && !user.emailVerified) {
    if (!input.password) {
      throw new AppError('BAD_REQUEST', 'Choose a password to claim this account', { field: 'password' });
    }
    assertPasswordAcceptable(input.password, user.email);
    passwordHash = await hashPassword(input.password);
  }
  return transaction(caller, async (tx, after) => {
    after.invalidate({ userId: user.id });
    await spend(tx, row.id);
    await claimAccount(tx, user, own ? (caller.principal?.sessionId ?? undefined) : undefined);
    recordOwnAccount(tx, caller, user.id, 'user.email_verified');
    if (!passwordHash) return { ok: true as const };
    await tx.nativeUpdate(User, { id: user.id }, { passwordHash, lastLoginAt: new Date() });
    const session = createSession(tx, user.id, caller.ip, caller.userAgent);
    return { ok: true as const, sessionToken: session.sessionToken, expiresAt: session.expiresAt };
  });
}

export async function resetPassword(caller: AnonymousCaller, input: { token: string; newPassword: string }) {
  await takeAttempt(caller.em, [{ bucket: `reset-confirm:ip:${caller.ip ?? '-'}`, max: 30, windowSeconds: 3600 }]);
  const reset = await liveToken(caller.em, input.token, 'reset');
  const user = await caller.em.findOneOrFail(User, reset.userId);
  await assertPasswordAllowed(caller.em, user.id, user.email);
  assertPasswordAcceptable(input.newPassword, user.email);
  const passwordHash = await hashPassword(input.newPassword);
  await transaction(caller, async (tx, after) => {
    after.invalidate({ userId: user.id });
    await spend(tx, reset.id);
    // The link came by mail: the address is proven (an unproven account's earlier keys go too).
    await claimAccount(tx, user);
    // Setting a password is how an invited user accepts their account.
    await tx.nativeUpdate(
      User,
      { id: user.id },
      { passwordHash, ...(user.status === 'invited' ? { status: 'active' as const } : {}) },
    );
    await voidResetTokens(tx, user.id);
    await revokeSessions(tx, user.id);
    recordOwnAccount(tx, caller, user.id, 'user.password_reset');
  });
}

/** Options for a passkey sign-in (or a passkey as the second factor of auth.verifyMfa). */
export async function passkeyLoginOptions(caller: AnonymousCaller) {
  await takeAttempt(caller.em, [{ bucket: `passkey-options:ip:${caller.ip ?? '-'}`, max: 60, windowSeconds: 600 }]);
  const options = await transaction(caller, (tx) => authenticationOptions(tx, caller.runtime));
  // Handed to the browser as it is: plain JSON (base64url strings), typed by WebAuthn, not by us.
  return options as unknown as Record<string, unknown>;
}

/**
 * Signs in with a passkey alone: it replaces the password, so the authenticator must have verified the
 * user (a PIN, a fingerprint). The session counts as having proven a factor. Failures are throttled
 * like passwords, by the passkey's id and the address.
 */
export async function loginWithPasskey(
  caller: AnonymousCaller,
  input: { response: unknown; cookie?: boolean | undefined },
) {
  assertCookieSettable(caller, input.cookie);
  const response = input.response as AuthenticationResponseJSON;
  const attempt = await beginPasswordAttempt(caller.runtime.throttle, {
    account: `passkey:${response.id}`,
    address: caller.ip,
    knownAddress: async () => false,
  });
  const session = await transaction(caller, async (tx) => {
    const userId = await verifyPasskeyAssertion(tx, caller.runtime, response, { requireUserVerification: true });
    const user = await tx.findOne(User, userId, { fields: ['status'] });
    if (user?.status !== 'active') throw new AppError('MFA_CODE_INVALID', 'The passkey response is not valid');
    const session = createSession(tx, userId, caller.ip, caller.userAgent);
    tx.getReference(Session, session.sessionId).mfaVerifiedAt = new Date();
    await tx.nativeUpdate(User, { id: userId }, { lastLoginAt: new Date() });
    return session;
  }).catch(async (error: unknown) => {
    if (error instanceof AppError && error.reason === 'MFA_CODE_INVALID') await attempt.failed();
    throw error;
  });
  await attempt.succeeded();
  return handOver(caller, session, input.cookie);
}
