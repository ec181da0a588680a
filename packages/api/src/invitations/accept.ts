// The invitee's side: an invitation found by its token is looked up, accepted or declined (issue.ts issues it).
import { Invitation, Membership, newId, User } from '@gatehouse/db';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { roleOrFail } from '../access/authority.js';
import { inviterStillAuthorized } from '../access/inviters.js';
import { claimAccount } from '../accounts/claim.js';
import { defaultName } from '../accounts/email.js';
import { asEmailTaken, insertUser } from '../accounts/insert-user.js';
import { assertPasswordAcceptable } from '../auth/password-policy.js';
import { hashPassword } from '../auth/passwords.js';
import type { AnonymousCaller } from '../auth/service.js';
import { type Actor, record } from '../core/audit.js';
import { sha256Hex } from '../core/crypto.js';
import { AppError } from '../core/errors.js';
import type { Principal } from '../core/principal.js';
import { transaction } from '../infra/transaction.js';
import { type Limit, takeAttempt } from '../limits/budgets.js';
import { createSession } from '../sessions/sessions.js';
import { assertDomainAllowed, organizationSettings } from '../settings/service.js';
import { assertPending, statusOf } from './issue.js';

const tokenLimit = (ip: string | null): Limit => ({
  bucket: `invitation-token:ip:${ip ?? '-'}`,
  max: 300,
  windowSeconds: 3600,
});

async function byToken(em: EntityManager, token: string, lock = false): Promise<Invitation> {
  const invitation = await em.findOne(
    Invitation,
    { tokenHash: sha256Hex(token) },
    lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {},
  );
  if (!invitation) throw new AppError('NOT_FOUND', 'This invitation link is not valid');
  return invitation;
}

/** What the invitee sees before accepting: the organization's name, who invited, the role, the status. */
export async function lookupInvitation(caller: AnonymousCaller, input: { token: string }) {
  await takeAttempt(caller.em, [tokenLimit(caller.ip)]);
  const invitation = await byToken(caller.em, input.token);
  const [row] = await caller.em.execute<{ organization_name: string; inviter_name: string | null }[]>(
    `select o.name as organization_name, u.name as inviter_name
       from organizations o left join users u on u.id = ? where o.id = ?`,
    [invitation.inviterId, invitation.organizationId],
  );
  return {
    organizationName: row?.organization_name ?? '',
    inviterName: row?.inviter_name ?? null,
    role: invitation.role,
    status: statusOf(invitation),
  };
}

function assertAcceptable(invitation: Invitation): void {
  assertPending(invitation);
  if (statusOf(invitation) === 'expired') {
    throw new AppError('INVITATION_EXPIRED', 'This invitation has expired; ask for a new one');
  }
}

const inviteeActor = (caller: AnonymousCaller, userId: string): Actor => ({
  type: 'user',
  id: userId,
  ip: caller.ip,
  requestId: caller.requestId,
});

/**
 * Accepts an invitation, once, while its inviter could still send it. Signed in, the account's email
 * must be the invitation's. Not signed in: an email without an account gets one (managed by the
 * organization) with `password`; an account whose address nobody has proved yet (pre-registered, or
 * signed up by whoever typed the address) is claimed: the token came by mail, so its holder owns the
 * address, sets the password, and every session and key made before is revoked. A verified account
 * with a password must sign in first. Accepting verifies the address; a session comes back when
 * the caller was not signed in.
 */
export async function acceptInvitation(
  caller: AnonymousCaller & { principal: Principal | null },
  input: { token: string; name?: string | undefined; password?: string | undefined },
) {
  await takeAttempt(caller.em, [tokenLimit(caller.ip)]);
  const peek = await byToken(caller.em, input.token);
  assertAcceptable(peek);
  const { principal } = caller;
  if (principal && principal.email.toLowerCase() !== peek.email.toLowerCase()) {
    throw new AppError('INVITATION_EMAIL_MISMATCH', 'This invitation is for another email address');
  }
  const [existing] = await caller.em.execute<
    { id: string; status: User['status']; has_password: boolean; email_verified: boolean }[]
  >(
    'select id, status, password_hash is not null as has_password, email_verified from users where lower(email) = lower(?)',
    [peek.email],
  );
  if (!principal && existing?.has_password && existing.email_verified) {
    throw new AppError('UNAUTHORIZED', 'An account with this email exists: sign in as it to accept');
  }
  // Hashed before any lock is taken: argon2 is deliberately slow.
  let passwordHash: string | undefined;
  if (!principal) {
    if (!input.password) throw new AppError('BAD_REQUEST', 'Choose a password', { field: 'password' });
    if (existing && existing.status !== 'active' && existing.status !== 'invited') {
      throw new AppError('FORBIDDEN', 'This account is disabled');
    }
    assertPasswordAcceptable(input.password, peek.email);
    passwordHash = await hashPassword(input.password);
  }

  const invalidateUser = principal?.userId ?? existing?.id;
  const outcome = await transaction(caller, async (tx, after) => {
    if (invalidateUser) after.invalidate({ userId: invalidateUser });
    const settings = await organizationSettings(tx, peek.organizationId);
    const invitation = await byToken(tx, input.token, true);
    assertAcceptable(invitation);
    const organizationId = invitation.organizationId;
    if (!(await inviterStillAuthorized(tx, invitation.id))) {
      // Cancelled for good (and the refusal reported after this commits): the authority behind it is gone.
      invitation.status = 'cancelled';
      record(
        tx,
        { type: 'system', id: null, ip: caller.ip, requestId: caller.requestId },
        {
          organizationId,
          action: 'invitation.cancelled',
          target: { type: 'invitation', id: invitation.id },
          changes: { status: { from: 'pending', to: 'cancelled' }, inviterAuthority: { from: true, to: false } },
        },
      );
      return null;
    }
    const projectId = invitation.projectId ?? null;
    // A project invitation makes a collaborator, not a member: the organization's domains are for members.
    if (!projectId) assertDomainAllowed(settings, invitation.email);
    const role = projectId ? { key: invitation.role } : await roleOrFail(tx, organizationId, invitation.role);

    let userId: string;
    let session: ReturnType<typeof createSession> | undefined;
    if (principal) {
      userId = principal.userId;
      await claimAccount(
        tx,
        { id: userId, emailVerified: existing?.email_verified ?? true },
        principal.sessionId ?? undefined,
      );
    } else if (existing) {
      userId = existing.id;
      await claimAccount(tx, { id: userId, emailVerified: existing.email_verified });
      await tx.nativeUpdate(User, { id: userId }, { passwordHash, status: 'active', lastLoginAt: new Date() });
      session = createSession(tx, userId, caller.ip, caller.userAgent);
    } else {
      const user = await insertUser(tx, {
        email: invitation.email,
        name: input.name ?? defaultName(invitation.email),
        passwordHash: passwordHash ?? null,
        organizationId: projectId ? null : organizationId,
        managedBy: organizationId,
        emailVerified: true,
        lastLoginAt: new Date(),
      });
      userId = user.id;
      session = createSession(tx, userId, caller.ip, caller.userAgent);
      record(tx, inviteeActor(caller, userId), {
        organizationId: null,
        action: 'user.signed_up',
        target: { type: 'user', id: userId },
      });
    }

    if (projectId) {
      await collaborate(tx, inviteeActor(caller, userId), { organizationId, projectId, userId, role: role.key });
    }
    // A pre-registered account is already a member: accepting then only claims it.
    const membership = projectId ? null : await tx.findOne(Membership, { organizationId, userId });
    if (!membership && !projectId) {
      tx.create(Membership, { id: newId('mem'), organizationId, userId, role: role.key });
      await tx.nativeUpdate(User, { id: userId, organizationId: null }, { organizationId });
      record(tx, inviteeActor(caller, userId), {
        organizationId,
        action: 'member.added',
        target: { type: 'user', id: userId },
        changes: { role: { from: null, to: role.key } },
      });
      after.emit(organizationId, 'organization.member_added', { userId, role: role.key });
    }
    Object.assign(invitation, { status: 'accepted', acceptedAt: new Date(), acceptedBy: userId });
    record(tx, inviteeActor(caller, userId), {
      organizationId,
      action: 'invitation.accepted',
      target: { type: 'invitation', id: invitation.id },
      changes: { status: { from: 'pending', to: 'accepted' } },
    });
    after.emit(organizationId, 'invitation.accepted', { invitationId: invitation.id, userId });
    return {
      organizationId,
      userId,
      role: membership?.role ?? role.key,
      ...(session ? { sessionToken: session.sessionToken, expiresAt: session.expiresAt } : {}),
    };
  }).catch(asEmailTaken);
  if (!outcome) {
    throw new AppError(
      'INVITER_LACKS_AUTHORITY',
      'Whoever sent this invitation can no longer grant it; ask for a new one',
    );
  }
  return outcome;
}

/** The invitee says no: the invitation is cancelled (with declinedAt) and the link stops working. */
export async function declineInvitation(caller: AnonymousCaller, input: { token: string }) {
  await takeAttempt(caller.em, [tokenLimit(caller.ip)]);
  await transaction(caller, async (tx) => {
    const invitation = await byToken(tx, input.token, true);
    assertAcceptable(invitation);
    Object.assign(invitation, { status: 'cancelled', declinedAt: new Date() });
    // The invitee may have no account: the trail keeps where the decline came from.
    record(
      tx,
      { type: 'system', id: null, ip: caller.ip, requestId: caller.requestId },
      {
        organizationId: invitation.organizationId,
        action: 'invitation.declined',
        target: { type: 'invitation', id: invitation.id },
        changes: { status: { from: 'pending', to: 'cancelled' } },
      },
    );
  });
  return { ok: true as const };
}

/**
 * An accepted project invitation: the invitee holds its role on the project (replacing any they held).
 * Their cached bindings go with the user's invalidation that accepting announces.
 */
async function collaborate(
  tx: EntityManager,
  actor: Actor,
  input: { organizationId: string; projectId: string; userId: string; role: string },
): Promise<void> {
  // A new invitee's account is still in the unit of work: written first, for the foreign key.
  await tx.flush();
  await tx.execute(
    `insert into role_bindings (id, organization_id, user_id, project_id, role, created_at, updated_at)
     values (?, ?, ?, ?, ?, now(), now())
     on conflict (organization_id, coalesce(team_id, ''), coalesce(user_id, ''), coalesce(project_id, ''))
     do update set role = excluded.role, updated_at = now()`,
    [newId('rbd'), input.organizationId, input.userId, input.projectId, input.role],
  );
  record(tx, actor, {
    organizationId: input.organizationId,
    action: 'role_binding.granted',
    target: { type: 'user', id: input.userId },
    changes: {
      role: { from: null, to: input.role },
      resource: { from: null, to: { type: 'project', id: input.projectId } },
    },
  });
}
