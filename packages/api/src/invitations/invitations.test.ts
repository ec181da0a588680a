import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { describe, expect, it } from 'vitest';
import {
  callerAs,
  invitationToken,
  memberWithKey,
  ownerWithKey,
  refusalOf,
  rejectionOf,
  sessionFor,
  uniqueEmail,
  useMailTestRuntime,
} from '../testing/fixtures.js';

const env = useMailTestRuntime();

const fresh = (domain?: string) => uniqueEmail('invitee', domain);
const PASSWORD = 'violet-Tapir-74-orbit';

/** The token of the latest invitation email to `to`, read from what the SMTP server received. */
const tokenFromMail = (to: string, after = 0) => invitationToken(env.smtp, to, after);

async function invited(owner: { key: string; organizationId: string }, role = 'member', email = fresh()) {
  const before = env.smtp.messages.length;
  const invitation = await callerAs(env.runtime, owner.key).organizations.invite({
    organizationId: owner.organizationId,
    email,
    role,
  });
  return { invitation, email, token: await tokenFromMail(email, before) };
}

const sql = <T>(query: string, params: unknown[] = []) => env.db.orm.em.fork().execute<T[]>(query, params);

describe('invite → email → lookup → accept', () => {
  it('creates the account, joins with the invited role and signs the invitee in', async () => {
    const owner = await ownerWithKey(env.db.orm, 'Acme <Invites>');
    const { invitation, email, token } = await invited(owner, 'admin');
    expect(invitation).toMatchObject({ email, role: 'admin', status: 'pending', organizationId: owner.organizationId });
    expect(invitation.inviter?.id).toBe(owner.userId);
    expect(invitation.expiresAt.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    const mail = env.smtp.messages.findLast((m) => m.to.includes(email));
    expect(mail?.subject).toBe('Join Acme <Invites> on Gatehouse');
    expect(mail?.text).toContain(`http://gatehouse.test/invitations/accept?token=${token}`);

    // The invitee sees the organization's name, who invited, the role and the status, nothing else.
    const seen = await callerAs(env.runtime).invitations.lookup({ token });
    expect(seen).toEqual({
      organizationName: 'Acme <Invites>',
      inviterName: expect.any(String),
      role: 'admin',
      status: 'pending',
    });

    const accepted = await callerAs(env.runtime).invitations.accept({ token, name: 'Ada', password: PASSWORD });
    expect(accepted).toMatchObject({ organizationId: owner.organizationId, role: 'admin' });
    const me = await callerAs(env.runtime, accepted.sessionToken).auth.whoami();
    expect(me).toMatchObject({ email, name: 'Ada', roles: ['admin'], organization: { id: owner.organizationId } });
    expect((await callerAs(env.runtime).invitations.lookup({ token })).status).toBe('accepted');
    const [listed] = (
      await callerAs(env.runtime, owner.key).organizations.listInvitations({
        organizationId: owner.organizationId,
        status: 'accepted',
      })
    ).items;
    expect(listed).toMatchObject({ id: invitation.id, status: 'accepted', acceptedAt: expect.any(Date) });
    const actions = await sql<{ action: string }>(
      `select action from audit_events where organization_id = ? and action like 'invitation.%' order by id`,
      [owner.organizationId],
    );
    expect(actions.map((a) => a.action)).toEqual(['invitation.created', 'invitation.accepted']);
  });

  it('is single use, also under parallel accepts', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const { token } = await invited(owner);
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => callerAs(env.runtime).invitations.accept({ token, password: PASSWORD })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await refusalOf(callerAs(env.runtime).invitations.accept({ token, password: PASSWORD }))).toBe(
      'CONFLICT:INVITATION_ACCEPTED',
    );
    const [row] = await sql<{ count: number }>(
      `select count(*)::int as count from memberships where organization_id = ?`,
      [owner.organizationId],
    );
    expect(row?.count).toBe(2);
  });

  it('needs the signed-in account to be the invited email; an existing account must sign in', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const other = await ownerWithKey(env.db.orm);
    const { token } = await invited(owner, 'member', other.email);
    // Someone else signed in: refused, whoever they are.
    const stranger = await ownerWithKey(env.db.orm);
    expect(await refusalOf(callerAs(env.runtime, stranger.key).invitations.accept({ token }))).toBe(
      'FORBIDDEN:INVITATION_EMAIL_MISMATCH',
    );
    // Not signed in, for an account that has a password: UNAUTHORIZED (a token is not a login).
    await env.db.orm.em.fork().execute(`update users set password_hash = 'x' where id = ?`, [other.userId]);
    expect(await refusalOf(callerAs(env.runtime).invitations.accept({ token, password: PASSWORD }))).toBe(
      'UNAUTHORIZED:UNAUTHORIZED',
    );
    const accepted = await callerAs(env.runtime, other.key).invitations.accept({ token });
    expect(accepted).toEqual({ organizationId: owner.organizationId, userId: other.userId, role: 'member' });
    const [membership] = await sql<{ role: string }>(
      'select role from memberships where organization_id = ? and user_id = ?',
      [owner.organizationId, other.userId],
    );
    expect(membership?.role).toBe('member');
  });

  it('asks a new account for a password that passes the policy', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const { token, email } = await invited(owner);
    expect((await rejectionOf(callerAs(env.runtime).invitations.accept({ token }))).code).toBe('BAD_REQUEST');
    expect((await rejectionOf(callerAs(env.runtime).invitations.accept({ token, password: email }))).code).toBe(
      'BAD_REQUEST',
    );
    expect((await callerAs(env.runtime).invitations.lookup({ token })).status).toBe('pending');
  });
});

describe('refusals', () => {
  it('an expired, cancelled or declined invitation cannot be accepted', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const expired = await invited(owner);
    await sql(`update invitations set expires_at = now() - interval '1 second' where id = ?`, [expired.invitation.id]);
    expect((await callerAs(env.runtime).invitations.lookup({ token: expired.token })).status).toBe('expired');
    expect(
      await refusalOf(callerAs(env.runtime).invitations.accept({ token: expired.token, password: PASSWORD })),
    ).toBe('CONFLICT:INVITATION_EXPIRED');

    const cancelled = await invited(owner);
    const after = await callerAs(env.runtime, owner.key).organizations.cancelInvitation({
      organizationId: owner.organizationId,
      invitationId: cancelled.invitation.id,
    });
    expect(after.status).toBe('cancelled');
    expect(
      await refusalOf(callerAs(env.runtime).invitations.accept({ token: cancelled.token, password: PASSWORD })),
    ).toBe('CONFLICT:INVITATION_CANCELLED');

    const declined = await invited(owner);
    expect(await callerAs(env.runtime).invitations.decline({ token: declined.token })).toEqual({ ok: true });
    expect(
      await refusalOf(callerAs(env.runtime).invitations.accept({ token: declined.token, password: PASSWORD })),
    ).toBe('CONFLICT:INVITATION_CANCELLED');
    const page = await callerAs(env.runtime, owner.key).organizations.listInvitations({
      organizationId: owner.organizationId,
      status: 'cancelled',
    });
    expect(page.items.find((i) => i.id === declined.invitation.id)?.declinedAt).toBeInstanceOf(Date);
    expect(page.items.find((i) => i.id === cancelled.invitation.id)?.declinedAt).toBeNull();

    expect(await refusalOf(callerAs(env.runtime).invitations.lookup({ token: 'ghi_nope' }))).toBe(
      'NOT_FOUND:NOT_FOUND',
    );
  });

  it('never reaches into another organization', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const outsider = await ownerWithKey(env.db.orm);
    const { invitation } = await invited(owner);
    expect(
      await refusalOf(
        callerAs(env.runtime, outsider.key).organizations.invite({
          organizationId: owner.organizationId,
          email: fresh(),
        }),
      ),
    ).toBe('NOT_FOUND:NOT_FOUND');
    // An invitation id of one organization named with another (the caller's own): NOT_FOUND.
    expect(
      await refusalOf(
        callerAs(env.runtime, outsider.key).organizations.cancelInvitation({
          organizationId: outsider.organizationId,
          invitationId: invitation.id,
        }),
      ),
    ).toBe('NOT_FOUND:NOT_FOUND');
    expect(
      await refusalOf(callerAs(env.runtime, outsider.key).invitations.resend({ invitationId: invitation.id })),
    ).toBe('NOT_FOUND:NOT_FOUND');
    const theirs = await callerAs(env.runtime, outsider.key).organizations.listInvitations({
      organizationId: outsider.organizationId,
    });
    expect(theirs.items).toEqual([]);
  });

  it('nobody invites above their own role', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const admin = await memberWithKey(env.db.orm, owner.organizationId, 'admin');
    const member = await memberWithKey(env.db.orm, owner.organizationId, 'member');
    const organizationId = owner.organizationId;
    expect(
      await refusalOf(
        callerAs(env.runtime, admin.key).organizations.invite({ organizationId, email: fresh(), role: 'owner' }),
      ),
    ).toBe('FORBIDDEN:FORBIDDEN');
    expect(
      (await callerAs(env.runtime, admin.key).organizations.invite({ organizationId, email: fresh(), role: 'admin' }))
        .role,
    ).toBe('admin');
    expect(
      await refusalOf(callerAs(env.runtime, member.key).organizations.invite({ organizationId, email: fresh() })),
    ).toBe('FORBIDDEN:FORBIDDEN');
    // An owner's invitation is not the admin's to cancel or resend either.
    const { invitation } = await invited(owner, 'owner');
    expect(
      await refusalOf(
        callerAs(env.runtime, admin.key).organizations.cancelInvitation({
          organizationId,
          invitationId: invitation.id,
        }),
      ),
    ).toBe('FORBIDDEN:FORBIDDEN');
    expect(await refusalOf(callerAs(env.runtime, admin.key).invitations.resend({ invitationId: invitation.id }))).toBe(
      'FORBIDDEN:FORBIDDEN',
    );
  });

  it('refuses an email that is already a member, and domains outside allowedEmailDomains', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const organizationId = owner.organizationId;
    const member = await memberWithKey(env.db.orm, organizationId, 'member');
    expect(
      await refusalOf(
        callerAs(env.runtime, owner.key).organizations.invite({ organizationId, email: member.email.toUpperCase() }),
      ),
    ).toBe('CONFLICT:ALREADY_MEMBER');

    await callerAs(env.runtime, owner.key).organizations.update({
      organizationId,
      settings: { allowedEmailDomains: ['acme.test'] },
    });
    expect(
      await refusalOf(callerAs(env.runtime, owner.key).organizations.invite({ organizationId, email: fresh() })),
    ).toBe('FORBIDDEN:EMAIL_DOMAIN_NOT_ALLOWED');
    expect(
      (await callerAs(env.runtime, owner.key).organizations.invite({ organizationId, email: fresh('ACME.test') }))
        .status,
    ).toBe('pending');
    // The same rule on every way in.
    const outsider = await ownerWithKey(env.db.orm);
    expect(
      await refusalOf(
        callerAs(env.runtime, owner.key).organizations.addMember({ organizationId, email: outsider.email }),
      ),
    ).toBe('FORBIDDEN:EMAIL_DOMAIN_NOT_ALLOWED');
    expect(await refusalOf(callerAs(env.runtime, owner.key).users.create({ email: fresh(), name: 'X' }))).toBe(
      'FORBIDDEN:EMAIL_DOMAIN_NOT_ALLOWED',
    );
    // (A key's new accounts are always invited by mail.)
    const pre = await callerAs(env.runtime, owner.key).users.preRegister({
      emails: [fresh(), fresh('acme.test')],
      dryRun: true,
    });
    expect(pre.results.map((r) => r.outcome)).toEqual(['domainNotAllowed', 'invited']);
  });
});

describe('one pending invitation per email', () => {
  it('parallel and case-variant invites give one invitation and one email', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const email = fresh();
    const variants = [email, email.toUpperCase(), email.replace('invitee', 'INVITEE')];
    const before = env.smtp.messages.length;
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        callerAs(env.runtime, owner.key).organizations.invite({
          organizationId: owner.organizationId,
          email: variants[i % variants.length] as string,
        }),
      ),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    const [row] = await sql<{ count: number }>(
      `select count(*)::int as count from invitations where organization_id = ? and status = 'pending'`,
      [owner.organizationId],
    );
    expect(row?.count).toBe(1);
    await tokenFromMail(email, before);
    // One mail: every mail is queued in the transaction that decides it, so the outbox has all there will be.
    const [mails] = await sql<{ count: number }>(
      'select count(*)::int as count from outbox_messages where lower(to_address) = lower(?)',
      [email],
    );
    expect(mails?.count).toBe(1);
    // The index holds even if a code path forgot to look first.
    const error = await env.db.orm.em
      .fork()
      .execute(
        `insert into invitations (id, organization_id, email, role, token_hash, expires_at, created_at, updated_at)
         values ('inv_dup', ?, ?, 'member', 'h', now() + interval '1 day', now(), now())`,
        [owner.organizationId, email.toUpperCase()],
      )
      .catch((e: Error) => e);
    // The one-pending-per-email index (case-insensitive), not any other failure.
    expect(error).toBeInstanceOf(UniqueConstraintViolationException);
    expect(String(error)).toContain('invitations_pending_email_unique');
  });

  it('a second invite returns the pending one; an expired one is refreshed with a new token', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const organizationId = owner.organizationId;
    const first = await invited(owner, 'viewer');
    const again = await callerAs(env.runtime, owner.key).organizations.invite({
      organizationId,
      email: first.email,
      role: 'member',
    });
    expect(again).toMatchObject({ id: first.invitation.id, role: 'member', status: 'pending' });

    await sql(`update invitations set expires_at = now() - interval '1 second' where id = ?`, [first.invitation.id]);
    const refreshed = await invited(owner, 'member', first.email);
    expect(refreshed.invitation.id).toBe(first.invitation.id);
    expect(refreshed.invitation.status).toBe('pending');
    expect(refreshed.token).not.toBe(first.token);
    expect(await refusalOf(callerAs(env.runtime).invitations.lookup({ token: first.token }))).toBe(
      'NOT_FOUND:NOT_FOUND',
    );
    expect((await callerAs(env.runtime).invitations.accept({ token: refreshed.token, password: PASSWORD })).role).toBe(
      'member',
    );
  });

  it('resend mails a new token and kills the old one; the TTL follows the settings', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const organizationId = owner.organizationId;
    await callerAs(env.runtime, owner.key).organizations.update({ organizationId, settings: { invitationTtlDays: 2 } });
    const { invitation, email, token } = await invited(owner);
    expect(invitation.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(2 * 86_400_000);
    expect(invitation.expiresAt.getTime() - Date.now()).toBeGreaterThan(1.9 * 86_400_000);

    const before = env.smtp.messages.length;
    const resent = await callerAs(env.runtime, owner.key).invitations.resend({ invitationId: invitation.id });
    expect(resent.id).toBe(invitation.id);
    const newToken = await tokenFromMail(email, before);
    expect(newToken).not.toBe(token);
    expect(await refusalOf(callerAs(env.runtime).invitations.lookup({ token }))).toBe('NOT_FOUND:NOT_FOUND');
    expect((await callerAs(env.runtime).invitations.lookup({ token: newToken })).status).toBe('pending');
  });
});

describe('listInvitations', () => {
  it('filters by status (expired from expiresAt) and pages by keyset', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const organizationId = owner.organizationId;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await callerAs(env.runtime, owner.key).organizations.invite({ organizationId, email: fresh() })).id);
    }
    await sql(`update invitations set expires_at = now() - interval '1 second' where id = ?`, [ids[0]]);
    const list = (status?: 'pending' | 'expired', cursor?: string) =>
      callerAs(env.runtime, owner.key).organizations.listInvitations({
        organizationId,
        limit: 2,
        ...(status ? { status } : {}),
        cursor,
      });
    const expired = await list('expired');
    expect(expired.items.map((i) => i.id)).toEqual([ids[0]]);
    const seen: string[] = [];
    let page = await list('pending');
    seen.push(...page.items.map((i) => i.id));
    while (page.pageInfo.hasNextPage) {
      page = await list('pending', page.pageInfo.endCursor ?? undefined);
      seen.push(...page.items.map((i) => i.id));
    }
    expect(seen).toEqual(ids.slice(1).reverse());
    // A cursor of one filter is no good for another.
    const first = await list('pending');
    expect((await rejectionOf(list('expired', first.pageInfo.endCursor ?? undefined))).code).toBe('BAD_REQUEST');
  });
});

describe('users.preRegister and users.create', () => {
  it('invite through the same path: an email with the accept link, and acceptInviteUrl', async () => {
    const owner = await ownerWithKey(env.db.orm);
    // The link is shown to a person signed in only (a key's invitations all go by mail).
    const session = await sessionFor(env.db.orm, owner.userId);
    const email = fresh();
    const before = env.smtp.messages.length;
    const result = await callerAs(env.runtime, session).users.preRegister({
      emails: [email],
      sendInviteEmail: true,
      role: 'viewer',
    });
    const [row] = result.results;
    expect(row?.outcome).toBe('invited');
    const token = await tokenFromMail(email, before);
    expect(row?.acceptInviteUrl).toBe(`http://gatehouse.test/invitations/accept?token=${token}`);
    expect((await callerAs(env.runtime).invitations.lookup({ token })).role).toBe('viewer');
    // The pre-registered account (no password yet) is claimed by accepting.
    const accepted = await callerAs(env.runtime).invitations.accept({ token, password: PASSWORD });
    expect(accepted).toMatchObject({ userId: row?.userId, role: 'viewer', sessionToken: expect.any(String) });
    expect((await callerAs(env.runtime, accepted.sessionToken).users.me()).status).toBe('active');

    // Without sendInviteEmail nothing is mailed, but the link is there to deliver.
    const quiet = fresh();
    const silent = await callerAs(env.runtime, session).users.preRegister({ emails: [quiet] });
    expect(silent.results[0]?.acceptInviteUrl).toMatch(/\/invitations\/accept\?token=ghi_/);
    const created = await callerAs(env.runtime, owner.key).users.create({
      email: fresh(),
      name: 'New',
      sendInviteEmail: true,
    });
    expect(created.status).toBe('invited');
    await tokenFromMail(created.email, before);
    expect(env.smtp.messages.some((m) => m.to.includes(quiet))).toBe(false);
  });
});
