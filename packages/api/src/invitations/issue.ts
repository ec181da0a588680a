// The inviting side: an organization issues, lists, cancels and resends invitations (accept.ts is the invitee's).
import { Invitation, newId } from '@gatehouse/db';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { assertMayGrant, currentActor, lockActor, roleOrFail } from '../access/authority.js';
import { normalizeEmail } from '../accounts/email.js';
import { record } from '../core/audit.js';
import { assertHolds } from '../core/authorization.js';
import { randomString, sha256Hex } from '../core/crypto.js';
import { AppError } from '../core/errors.js';
import type { Page } from '../core/pagination.js';
import { isProjectRole, projectRoles } from '../core/permissions.js';
import type { Principal } from '../core/principal.js';
import type { Runtime } from '../infra/caller.js';
import { actorOf, type Caller } from '../infra/caller.js';
import { type AfterCommit, transaction } from '../infra/transaction.js';
import { inviteBudget, takeAttempt } from '../limits/budgets.js';
import { invitationEmail } from '../mail/templates.js';
import { assertDomainAllowed, organizationSettings } from '../settings/service.js';
import type { TInvitation, TInvitationStatus } from './schema.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The public status: a pending invitation past its expiry is expired (nothing rewrites the row). */
export function statusOf(row: { status: Invitation['status']; expiresAt: Date }, now = Date.now()): TInvitationStatus {
  return row.status === 'pending' && row.expiresAt.getTime() <= now ? 'expired' : row.status;
}

export const acceptInviteUrl = (runtime: Runtime, token: string) =>
  `${runtime.appUrl}/invitations/accept?token=${encodeURIComponent(token)}`;

interface Issue {
  organizationId: string;
  organizationName: string;
  email: string;
  role: string;
  inviter: { id: string; name: string };
  ttlDays: number;
  sendEmail: boolean;
  /** A project invitation: to collaborate on this project, not to join the organization. */
  projectId?: string;
}

/**
 * Gives the invitation (new or `existing`) a fresh token and expiry, in `tx`, and queues its email
 * there too: the email goes out if and only if the invitation commits. Returns the token, which is
 * stored only as its hash.
 */
export function issueInvitation(
  tx: EntityManager,
  after: AfterCommit,
  runtime: Runtime,
  issue: Issue,
  existing?: Invitation,
): { invitation: Invitation; token: string } {
  const token = `ghi_${randomString(43)}`;
  const fields = {
    role: issue.role,
    inviterId: issue.inviter.id,
    tokenHash: sha256Hex(token),
    expiresAt: new Date(Date.now() + issue.ttlDays * DAY_MS),
  };
  const invitation = existing
    ? Object.assign(existing, fields)
    : tx.create(Invitation, {
        id: newId('inv'),
        organizationId: issue.organizationId,
        projectId: issue.projectId ?? null,
        email: issue.email,
        ...fields,
      });
  // Every new invitation, whichever way it was made (invite, users.create, preRegister, a project's);
  // a refreshed or resent one is the same invitation with a new link.
  if (!existing) {
    after.emit(issue.organizationId, 'invitation.created', {
      invitationId: invitation.id,
      email: issue.email,
      role: issue.role,
    });
  }
  if (issue.sendEmail) {
    const message = invitationEmail({
      to: issue.email,
      organizationName: issue.organizationName,
      inviterName: issue.inviter.name,
      role: issue.role,
      link: acceptInviteUrl(runtime, token),
      expiresAt: fields.expiresAt,
    });
    after.mail('invitation', message);
  }
  return { invitation, token };
}

/** Who an invitation says invited: the person behind the session or key. */
/** Invitations need a member as inviter: their authority is checked again when the invitation is accepted. */
export const inviterOf = (principal: Principal) => {
  if (principal.serviceAccount) throw new AppError('USER_ONLY', 'A service account cannot send invitations');
  return { id: principal.userId, name: principal.name };
};

export async function organizationName(em: EntityManager, organizationId: string): Promise<string> {
  const [row] = await em.execute<{ name: string }[]>('select name from organizations where id = ?', [organizationId]);
  if (!row) throw new AppError('NOT_FOUND', 'Organization not found');
  return row.name;
}

/** The pending invitation of this email (to the organization, or to one project), locked; at most one exists (partial unique index). */
export async function pendingFor(
  tx: EntityManager,
  organizationId: string,
  email: string,
  projectId: string | null = null,
): Promise<Invitation | null> {
  const [row] = await tx.execute<{ id: string }[]>(
    `select id from invitations where organization_id = ? and project_id is not distinct from ? and lower(email) = lower(?)
        and status = 'pending' for update`,
    [organizationId, projectId, email],
  );
  return row ? tx.findOneOrFail(Invitation, row.id) : null;
}

/**
 * Invites an email into the organization. A second invite to a pending email returns that
 * invitation (its role updated if another is asked for) without mailing again; an expired one is
 * refreshed with a new token and mailed. The organization row lock serialises this with membership
 * changes, and the partial unique index holds "one pending per email" whatever else happens.
 */
export async function invite(
  caller: Caller,
  input: { organizationId: string; email: string; role?: string | undefined },
) {
  const { organizationId } = input;
  const email = normalizeEmail(input.email);
  await takeAttempt(caller.em, [inviteBudget(caller.runtime, organizationId)]);
  const inviter = inviterOf(caller.principal);
  const id = await transaction(caller, async (tx, after) => {
    const settings = await organizationSettings(tx, organizationId);
    assertDomainAllowed(settings, email);
    const role = await roleOrFail(tx, organizationId, input.role ?? settings.defaultRole);
    assertMayGrant(await currentActor(tx, caller, organizationId), role, 'invite');
    const [member] = await tx.execute<{ id: string }[]>(
      `select u.id from users u join memberships m on m.user_id = u.id
        where lower(u.email) = lower(?) and m.organization_id = ?`,
      [email, organizationId],
    );
    if (member) throw new AppError('ALREADY_MEMBER', 'This email already belongs to a member');

    const existing = await pendingFor(tx, organizationId, email);
    if (existing && statusOf(existing) === 'pending') {
      if (existing.role !== role.key) {
        record(tx, actorOf(caller), {
          organizationId,
          action: 'invitation.updated',
          target: { type: 'invitation', id: existing.id },
          changes: { role: { from: existing.role, to: role.key } },
        });
        existing.role = role.key;
      }
      return existing.id;
    }
    const { invitation } = issueInvitation(
      tx,
      after,
      caller.runtime,
      {
        organizationId,
        organizationName: await organizationName(tx, organizationId),
        email,
        role: role.key,
        inviter,
        ttlDays: settings.invitationTtlDays,
        sendEmail: true,
      },
      existing ?? undefined,
    );
    record(tx, actorOf(caller), {
      organizationId,
      action: existing ? 'invitation.refreshed' : 'invitation.created',
      target: { type: 'invitation', id: invitation.id },
      changes: { email: { from: null, to: email }, role: { from: null, to: role.key } },
    });
    return invitation.id;
  });
  return retrieve(caller.em, organizationId, id);
}

interface InvitationRow {
  id: string;
  organization_id: string;
  email: string;
  role: string;
  status: Invitation['status'];
  inviter_id: string | null;
  inviter_name: string | null;
  expires_at: Date;
  accepted_at: Date | null;
  declined_at: Date | null;
  created_at: Date;
}

const SELECT = `select i.id, i.organization_id, i.email, i.role, i.status, i.inviter_id, u.name as inviter_name,
                       i.expires_at, i.accepted_at, i.declined_at, i.created_at
                  from invitations i left join users u on u.id = i.inviter_id`;

function toInvitation(row: InvitationRow): TInvitation {
  const date = (v: Date | string) => new Date(v);
  const expiresAt = date(row.expires_at);
  return {
    id: row.id,
    organizationId: row.organization_id,
    email: row.email,
    role: row.role,
    status: statusOf({ status: row.status, expiresAt }),
    inviter: row.inviter_id ? { id: row.inviter_id, name: row.inviter_name ?? '' } : null,
    expiresAt,
    acceptedAt: row.accepted_at ? date(row.accepted_at) : null,
    declinedAt: row.declined_at ? date(row.declined_at) : null,
    createdAt: date(row.created_at),
  };
}

async function retrieve(em: EntityManager, organizationId: string, id: string): Promise<TInvitation> {
  const [row] = await em.execute<InvitationRow[]>(`${SELECT} where i.id = ? and i.organization_id = ?`, [
    id,
    organizationId,
  ]);
  if (!row) throw new AppError('NOT_FOUND', 'Invitation not found');
  return toInvitation(row);
}

// `expired` and `pending` are both stored as pending, told apart by the expiry.
const STATUS_FILTER: Record<TInvitationStatus, string> = {
  pending: `i.status = 'pending' and i.expires_at > now()`,
  expired: `i.status = 'pending' and i.expires_at <= now()`,
  accepted: `i.status = 'accepted'`,
  cancelled: `i.status = 'cancelled'`,
};

/** Newest first; keyset on (organization_id, status, id) or (organization_id, id). */
export async function listInvitations(
  caller: Caller,
  input: { organizationId: string; status?: TInvitationStatus | undefined; limit: number; cursor?: string | undefined },
): Promise<Page<TInvitation>> {
  const { cursors } = caller.runtime;
  const scope = `invitations:${input.organizationId}:${input.status ?? ''}`;
  const params: unknown[] = [input.organizationId];
  // Project invitations are the project's (see projects.addCollaborator), not invitations to join.
  let where = 'i.organization_id = ? and i.project_id is null';
  if (input.status) where += ` and ${STATUS_FILTER[input.status]}`;
  if (input.cursor) {
    where += ' and i.id < ?';
    params.push(cursors.decode(scope, input.cursor));
  }
  const rows = await caller.em.execute<InvitationRow[]>(`${SELECT} where ${where} order by i.id desc limit ?`, [
    ...params,
    input.limit + 1,
  ]);
  return cursors.page(scope, rows, input.limit, (r) => r.id, toInvitation);
}

/** Loads an invitation of the organization for a change by its members, locked. */
async function lockedInOrganization(tx: EntityManager, organizationId: string, invitationId: string) {
  const invitation = await tx.findOne(
    Invitation,
    { id: invitationId, organizationId },
    { lockMode: LockMode.PESSIMISTIC_WRITE },
  );
  if (!invitation) throw new AppError('NOT_FOUND', 'Invitation not found');
  return invitation;
}

export function assertPending(invitation: Invitation): void {
  if (invitation.status === 'accepted') throw new AppError('INVITATION_ACCEPTED', 'This invitation was accepted');
  if (invitation.status === 'cancelled') throw new AppError('INVITATION_CANCELLED', 'This invitation was cancelled');
}

/** Cancels a pending (or expired) invitation; cancelling a cancelled one changes nothing. */
export async function cancelInvitation(caller: Caller, input: { organizationId: string; invitationId: string }) {
  const { organizationId, invitationId } = input;
  await transaction(caller, async (tx) => {
    const invitation = await lockedInOrganization(tx, organizationId, invitationId);
    if (invitation.status === 'cancelled') return;
    assertPending(invitation);
    const actor = await lockActor(tx, caller, organizationId);
    if (invitation.projectId) {
      // A project invitation's role is a project role: whoever could grant it on that project takes it back.
      const granted = isProjectRole(invitation.role) ? [...projectRoles[invitation.role]] : [];
      assertHolds(actor, granted, `cancel an invitation to ${invitation.role}`, invitation.projectId);
    } else {
      assertMayGrant(actor, await roleOrFail(tx, organizationId, invitation.role), 'cancel an invitation to');
    }
    invitation.status = 'cancelled';
    record(tx, actorOf(caller), {
      organizationId,
      action: 'invitation.cancelled',
      target: { type: 'invitation', id: invitation.id },
      changes: { status: { from: 'pending', to: 'cancelled' } },
    });
  });
  return retrieve(caller.em, organizationId, invitationId);
}

/**
 * A new token and expiry for a pending (or expired) invitation, mailed again; the old link stops
 * working. The organization is the invitation's, found and authorized (members:invite) by the procedure chain.
 */
export async function resendInvitation(caller: Caller, organizationId: string, input: { invitationId: string }) {
  await takeAttempt(caller.em, [
    inviteBudget(caller.runtime, organizationId),
    { bucket: `invite:resend:${input.invitationId}`, max: 5, windowSeconds: 3600 },
  ]);
  await transaction(caller, async (tx, after) => {
    // The organization first, then the invitation: the order every other path takes them in.
    const actor = await lockActor(tx, caller, organizationId);
    const settings = await organizationSettings(tx, organizationId, { lock: false });
    const invitation = await lockedInOrganization(tx, organizationId, input.invitationId);
    assertPending(invitation);
    assertMayGrant(actor, await roleOrFail(tx, organizationId, invitation.role), 'invite');
    issueInvitation(
      tx,
      after,
      caller.runtime,
      {
        organizationId,
        organizationName: await organizationName(tx, organizationId),
        email: invitation.email,
        role: invitation.role,
        inviter: inviterOf(caller.principal),
        ttlDays: settings.invitationTtlDays,
        sendEmail: true,
      },
      invitation,
    );
    record(tx, actorOf(caller), {
      organizationId,
      action: 'invitation.resent',
      target: { type: 'invitation', id: invitation.id },
    });
  });
  return retrieve(caller.em, organizationId, input.invitationId);
}

// Tokens carry 256 bits and cannot be guessed; the limit only keeps a client from trying. It is
// generous because a whole office may accept its invitations from one address.
