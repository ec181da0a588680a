import { Membership, newId, User } from '@gatehouse/db';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { defaultName, findUserByEmail } from '../accounts/email.js';
import { type Actor, record } from '../core/audit.js';
import { randomString, sha256Hex } from '../core/crypto.js';
import { AppError } from '../core/errors.js';
import { verifiedDomainOf } from '../domains/service.js';
import type { Runtime } from '../infra/caller.js';
import { transaction } from '../infra/transaction.js';
import { takeAttempt } from '../limits/budgets.js';
import type { SessionCookieSink } from '../sessions/cookie-sink.js';
import { assertCookieSettable, createSession, handOver } from '../sessions/sessions.js';
import type { ConnectionRow } from './service.js';

/** A sign-in under way (state → nonce, PKCE verifier, redirect_uri) lives this long, and is spent once. */
export const SIGN_IN_TTL_MS = 10 * 60_000;
/** The one-time code handed to the redirect_uri lives this long, and is spent once. */
export const SSO_CODE_TTL_MS = 60_000;

export interface SsoRequest {
  em: EntityManager;
  runtime: Runtime;
  ip: string | null;
  requestId: string;
  userAgent?: string | null;
  sessionCookie?: SessionCookieSink | null;
}

export const callbackUrlOf = (runtime: Runtime) => `${runtime.publicUrl}/sso/callback`;

export const signInRefused = (why: string) => new AppError('BAD_REQUEST', `SSO sign-in refused: ${why}`);

/** redirect_uri: an absolute http(s) URL on the server's own origin or one of GATEHOUSE_ALLOWED_REDIRECT_ORIGINS. */
export function checkedRedirectUri(runtime: Runtime, value: string | null): string {
  if (!value) throw signInRefused('redirect_uri is required');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw signInRefused('redirect_uri must be an absolute URL');
  }
  if (value.length > 2048 || url.hash || url.username || url.password || !/^https?:$/.test(url.protocol)) {
    throw signInRefused('redirect_uri must be an http(s) URL without credentials or fragment');
  }
  if (!runtime.sso.redirectOrigins.includes(url.origin)) {
    throw signInRefused(
      `redirect_uri's origin ${url.origin} is not allowed (the server's own, or GATEHOUSE_ALLOWED_REDIRECT_ORIGINS)`,
    );
  }
  return url.toString();
}

export interface LoginRow {
  connection_id: string;
  nonce: string;
  code_verifier_sealed: string;
  redirect_uri: string;
  expired: boolean;
}

/** What the IdP vouched for, once its answer was checked (openid-client for OIDC, node-saml for SAML). */
export interface Vouched {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
}

const emailNotAllowed = (why: string) =>
  new AppError('SSO_EMAIL_NOT_ALLOWED', `This organization's SSO does not admit this account: ${why}`);

/**
 * Who signs in, in `tx`: the account linked to (connection, issuer, sub) if any; else, just in time, an
 * account for an email the IdP verified on one of the organization's verified domains: a new one (no
 * password, managed by the organization), or an existing one the organization manages, linked. An
 * existing account the organization does not manage is never taken over by its email.
 */
async function provision(
  tx: EntityManager,
  actor: Actor,
  row: ConnectionRow,
  who: Vouched,
): Promise<{ userId: string }> {
  const organizationId = row.organization_id;
  const [linked] = await tx.execute<{ id: string; user_id: string }[]>(
    'select id, user_id from sso_identities where connection_id = ? and issuer = ? and subject = ? for update',
    [row.id, who.issuer, who.subject],
  );
  // Admission (JIT) asks the same of everyone not yet a member: an email the IdP verified, on a verified domain.
  const admissible = async () => {
    if (!who.email) throw emailNotAllowed('the identity provider sent no email');
    if (!who.emailVerified) throw emailNotAllowed(`the identity provider has not verified ${who.email}`);
    if (!(await verifiedDomainOf(tx, organizationId, who.email))) {
      throw emailNotAllowed(`${who.email} is not on one of the organization's verified domains`);
    }
    return who.email;
  };

  let user: User | null;
  if (linked) {
    user = await tx.findOne(User, linked.user_id);
    await tx.execute('update sso_identities set last_login_at = now(), email = ? where id = ?', [who.email, linked.id]);
  } else {
    const email = await admissible();
    user = await findUserByEmail(tx, email);
    if (user && user.managedBy !== organizationId) {
      throw new AppError(
        'SSO_ACCOUNT_NOT_LINKED',
        `An account with ${email} exists and this organization does not manage it: its owner signs in as before (or joins by invitation); SSO links only accounts the organization created`,
      );
    }
    // Linked to another subject of this IdP already: a new subject never takes over a linked account.
    if (user) {
      const [other] = await tx.execute<{ id: string }[]>(
        'select id from sso_identities where connection_id = ? and user_id = ?',
        [row.id, user.id],
      );
      if (other) {
        throw new AppError(
          'SSO_ACCOUNT_NOT_LINKED',
          `The account with ${email} is linked to another identity at this identity provider`,
        );
      }
    }
    if (!user) {
      user = tx.create(User, {
        id: newId('usr'),
        email,
        name: who.name ?? defaultName(email),
        managedBy: organizationId,
        emailVerified: true,
        organizationId,
      });
      record(tx, actor, {
        organizationId,
        action: 'user.created',
        target: { type: 'user', id: user.id },
        changes: { email: { from: null, to: email }, source: { from: null, to: 'sso' } },
      });
    }
    tx.persist(user);
    await tx.flush();
    await tx.execute(
      `insert into sso_identities (id, connection_id, issuer, subject, user_id, email, created_at, last_login_at)
       values (?, ?, ?, ?, ?, ?, now(), now())`,
      [newId('ssi'), row.id, who.issuer, who.subject, user.id, email],
    );
    record(tx, actor, {
      organizationId,
      action: 'sso.identity_linked',
      target: { type: 'user', id: user.id },
      changes: { issuer: { from: null, to: who.issuer }, subject: { from: null, to: who.subject } },
    });
  }
  if (!user || user.status === 'deactivated' || user.status === 'archived') {
    throw new AppError('FORBIDDEN', 'This account is deactivated');
  }
  // An account the organization made without a password (invited) becomes active by signing in.
  if (user.status === 'invited') user.status = 'active';
  user.emailVerified =
    user.emailVerified || (who.emailVerified && who.email?.toLowerCase() === user.email.toLowerCase());
  user.lastLoginAt = new Date();

  const membership = await tx.findOne(Membership, { organizationId, userId: user.id });
  if (membership && membership.status !== 'active') {
    throw new AppError('MEMBERSHIP_DEACTIVATED', 'Your membership of this organization is deactivated');
  }
  if (!membership) {
    await admissible();
    tx.create(Membership, { id: newId('mem'), organizationId, userId: user.id, role: row.default_role });
    if (!user.organizationId) user.organizationId = organizationId;
    record(tx, actor, {
      organizationId,
      action: 'member.added',
      target: { type: 'user', id: user.id },
      changes: { role: { from: null, to: row.default_role }, source: { from: null, to: 'sso' } },
    });
  }
  await tx.flush();
  return { userId: user.id };
}

/** Where a sign-in is kept: its state and the starting browser's secret, hashed together. */
export const signInKey = (state: string, browser: string) => sha256Hex(`${state}.${browser}`);

/**
 * The sign-in `state` names, started by this browser, deleted (once, within 10 minutes), with its
 * connection. Another browser's callback finds nothing and spends nothing.
 */
export async function spendSignIn(
  em: EntityManager,
  state: string,
  browser: string | null,
): Promise<{ login: LoginRow & { id: string }; row: ConnectionRow }> {
  if (!browser) throw signInRefused('this browser did not start the sign-in (no sign-in cookie); start again');
  const [login] = await em.execute<(LoginRow & { id: string })[]>(
    `delete from sso_logins where id = ?
     returning id, connection_id, nonce, code_verifier_sealed, redirect_uri, expires_at < now() as expired`,
    [signInKey(state, browser)],
  );
  if (!login || login.expired) throw signInRefused('this sign-in is unknown, already used or expired; start again');
  const [row] = await em.execute<(ConnectionRow & { label: string; organization_status: string })[]>(
    `select s.*, o.label, o.status as organization_status from sso_connections s
      join organizations o on o.id = s.organization_id where s.id = ?`,
    [login.connection_id],
  );
  if (!row) throw signInRefused('the SSO connection was disabled meanwhile');
  // As start refuses: an organization suspended since the sign-in began admits nobody (and provisions nothing).
  if (row.organization_status !== 'active') {
    throw new AppError('ORGANIZATION_SUSPENDED', 'The organization is suspended');
  }
  return { login, row };
}

/** Finds or provisions the account and hands the redirect_uri a one-time code (both protocols). */
export async function finishSignIn(
  request: SsoRequest,
  row: ConnectionRow,
  login: LoginRow,
  who: Vouched,
): Promise<string> {
  const { em, runtime } = request;
  const actor: Actor = { type: 'system', id: null, ip: request.ip, requestId: request.requestId };
  const code = `ghc_${randomString(43)}`;
  await transaction({ em, runtime }, async (tx, after) => {
    const { userId } = await provision(tx, actor, row, who);
    after.invalidate({ userId });
    await tx.execute(
      `insert into sso_codes (code_hash, user_id, organization_id, expires_at, created_at) values (?, ?, ?, ?, now())`,
      [sha256Hex(code), userId, row.organization_id, new Date(Date.now() + SSO_CODE_TTL_MS)],
    );
  }).catch((error) => {
    // Two callbacks of one new person at once: one made the account; the other starts again.
    throw error instanceof UniqueConstraintViolationException
      ? new AppError('CONFLICT', 'This account was being signed in concurrently; start again')
      : error;
  });
  const target = new URL(login.redirect_uri);
  target.searchParams.set('code', code);
  return target.href;
}

/**
 * auth.exchangeSsoCode: the one-time code from the redirect, for a session (once, within a minute). With
 * `cookie` (a browser on the server's origin) the session is set as its HttpOnly cookie, as auth.login does.
 */
export async function exchangeSsoCode(request: SsoRequest, input: { code: string; cookie?: boolean | undefined }) {
  assertCookieSettable(request, input.cookie);
  await takeAttempt(request.em, [{ bucket: `sso-code:ip:${request.ip ?? '-'}`, max: 60, windowSeconds: 600 }]);
  const session = await transaction(request, async (tx) => {
    await tx.execute("delete from sso_codes where expires_at < now() - interval '1 hour'");
    const [spent] = await tx.execute<{ user_id: string; expired: boolean }[]>(
      `delete from sso_codes c using users u where c.code_hash = ? and u.id = c.user_id
       returning c.user_id, (c.expires_at < now() or u.status <> 'active') as expired`,
      [sha256Hex(input.code)],
    );
    if (!spent || spent.expired) throw new AppError('UNAUTHORIZED', 'Invalid, used or expired sign-in code');
    return createSession(tx, spent.user_id, request.ip, request.userAgent);
  });
  return handOver(request, session, input.cookie);
}
