// Accounts, consent and authority (contract): who manages an account, consent to join, email ownership,
// the hierarchy under concurrency, no borrowed identity, the inviter's authority, and the platform's scope.
import { ApiKey, AuditEvent, Invitation, Membership, newId, User } from '@gatehouse/db';
import { describe, expect, it } from 'vitest';
import { createSession } from '../sessions/sessions.js';
import {
  bearer,
  callerFor,
  memberWithKey,
  ownerWithKey,
  platformAdminWithKey,
  rejectionOf,
  tokenOf,
  uniqueEmail,
  useMailTestRuntime,
} from '../testing/fixtures.js';

const env = useMailTestRuntime();
const as = (credential: string, organizationId?: string) =>
  callerFor(env.runtime, {
    ...bearer(credential),
    ...(organizationId ? { 'x-gatehouse-organization': organizationId } : {}),
  });
const anon = () => callerFor(env.runtime, {}, `10.9.${Math.floor(Math.random() * 250)}.1`);
const PASSWORD = 'a sturdy passphrase 42';

/** `CODE:reason` of a refusal; fails the test if the call succeeds or throws anything else. */
const refusal = async (p: Promise<unknown>) => {
  const error = await rejectionOf(p);
  return `${error.code}:${(error.cause as { reason?: string } | undefined)?.reason ?? error.code}`;
};

const fresh = (label = 'person') => uniqueEmail(label, 'corp.test');

async function signUp(email = fresh()) {
  const { userId, sessionToken } = tokenOf(await anon().auth.signup({ email, password: PASSWORD, name: 'Signed Up' }));
  return { email, userId, session: sessionToken };
}

/** The token of the newest mail to `email` whose link has `path`. */
async function mailedToken(email: string, path: string): Promise<string> {
  const mail = await env.smtp.waitFor((m) => m.to.includes(email) && m.text.includes(path));
  const token = new RegExp(`${path}\\?token=([\\w-]+)`).exec(mail.text)?.[1];
  expect(token).toBeTruthy();
  return token as string;
}

const db = () => env.db.orm.em.fork();
const sessionOf = (userId: string) => db().transactional(async (tx) => createSession(tx, userId, null).sessionToken);

/**
 * Runs `calls` together once each has reached the lock `barrier` holds: both wait on the same lock, so
 * which one goes first is up to PostgreSQL, not to who was scheduled first.
 */
async function onBarrier<T>(
  barrier: string,
  waiters: number,
  calls: () => Promise<T>[],
): Promise<PromiseSettledResult<T>[]> {
  let runs: Promise<T>[] = [];
  await db().transactional(async (tx) => {
    await tx.execute(barrier);
    runs = calls();
    const deadline = Date.now() + 10_000;
    for (let waiting = 0; waiting < waiters; ) {
      await new Promise((r) => setTimeout(r, 10));
      if (Date.now() > deadline) throw new Error('the callers did not all reach the barrier');
      const [row] = await db().execute<{ n: number }[]>(
        `select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock' and state = 'active'`,
      );
      waiting = row?.n ?? 0;
    }
  });
  return Promise.allSettled(runs);
}

describe('email ownership', () => {
  it('a squatter who signed up with someone else’s address loses the account to its owner', async () => {
    const corp = await ownerWithKey(env.db.orm, 'Corp');
    const email = fresh('ceo');
    const squatter = await signUp(email);
    expect(await refusal(as(squatter.session).organizations.create({ name: 'Squat' }))).toBe(
      'FORBIDDEN:EMAIL_NOT_VERIFIED',
    );
    expect((await as(squatter.session).users.me()).emailVerified).toBe(false);

    // Corp pre-registers the address: the unverified account is not matched, it is invited by mail.
    const pre = await as(corp.key).users.preRegister({ emails: [email], role: 'admin' });
    expect(pre.results[0]).toMatchObject({ outcome: 'invited', userId: null, acceptInviteUrl: null });
    expect(await db().findOne(Membership, { organizationId: corp.organizationId, userId: squatter.userId })).toBeNull();

    // The mailbox's owner claims the account with the mailed token.
    const token = await mailedToken(email, 'invitations/accept');
    const claimed = await anon().invitations.accept({ token, password: 'the real owner passphrase' });
    expect(claimed).toMatchObject({ userId: squatter.userId, organizationId: corp.organizationId, role: 'admin' });
    expect(await refusal(as(squatter.session).auth.whoami())).toBe('UNAUTHORIZED:UNAUTHORIZED');
    expect(await refusal(anon().auth.login({ email, password: PASSWORD }))).toBe('UNAUTHORIZED:UNAUTHORIZED');
    const owner = as(claimed.sessionToken as string, corp.organizationId);
    expect(await owner.users.me()).toMatchObject({ emailVerified: true, role: 'admin' });
  });

  it('a claimed account comes with nothing the squatter built: no organization, co-owner or audit trail', async () => {
    // The accomplice: a real account with an organization of its own.
    const accomplice = await signUp(fresh('accomplice'));
    await as(accomplice.session).auth.verifyEmail({ token: await mailedToken(accomplice.email, 'verify-email') });
    const theirs = await as(accomplice.session).organizations.create({ name: 'Accomplice' });
    const accompliceAs = as(accomplice.session, theirs.id);

    // The squatter signs up with the victim's address and tries to build something for the accomplice.
    const email = fresh('victim');
    const squatter = await signUp(email);
    const squatterAs = as(squatter.session);
    expect(await refusal(squatterAs.organizations.create({ name: 'Squat' }))).toBe('FORBIDDEN:EMAIL_NOT_VERIFIED');
    expect(await refusal(squatterAs.auth.createKey({ name: 'squat' }))).toBe('BAD_REQUEST:BAD_REQUEST');
    // Made co-owner of the accomplice's organization: not by id (not theirs to manage), only by invitation,
    // which goes to the victim's mailbox.
    expect(
      await refusal(
        accompliceAs.organizations.addMember({ organizationId: theirs.id, userId: squatter.userId, role: 'owner' }),
      ),
    ).toBe('NOT_FOUND:NOT_FOUND');
    expect(
      await accompliceAs.organizations.addMember({ organizationId: theirs.id, email, role: 'owner' }),
    ).toMatchObject({ status: 'invited', userId: null });
    const memberships = () =>
      db().execute<{ organization_id: string }[]>('select organization_id from memberships where user_id = ?', [
        squatter.userId,
      ]);
    expect(await memberships()).toEqual([]);

    // The victim claims the account with the verification link mailed at sign-up.
    const claimedAt = new Date();
    const { sessionToken } = await anon().auth.verifyEmail({
      token: await mailedToken(email, 'verify-email'),
      password: 'the real owner passphrase',
    });
    const owner = as(sessionToken as string);
    expect(await refusal(squatterAs.auth.whoami())).toBe('UNAUTHORIZED:UNAUTHORIZED');
    expect(await memberships()).toEqual([]);
    const [account] = await db().execute<{ organization_id: string | null; email_verified: boolean }[]>(
      'select organization_id, email_verified from users where id = ?',
      [squatter.userId],
    );
    expect(account).toEqual({ organization_id: null, email_verified: true });
    // No key lands in anyone's organization until the owner has one of their own.
    expect(await refusal(owner.auth.createKey({ name: 'first' }))).toBe('BAD_REQUEST:BAD_REQUEST');
    const mine = await owner.organizations.create({ name: 'Mine' });
    const key = await as(sessionToken as string, mine.id).auth.createKey({ name: 'first' });
    await as(key.key).users.me();
    expect((await db().findOneOrFail(ApiKey, key.id)).organizationId).toBe(mine.id);
    expect((await memberships()).map((m) => m.organization_id)).toEqual([mine.id]);
    // The accomplice's audit trail shows nothing of what the owner has done since.
    const trail = await accompliceAs.audit.list({ organizationId: theirs.id, since: claimedAt });
    expect(trail.items).toEqual([]);
  });

  it('verifies the address: signed in it is confirmed; signed out the link claims the account', async () => {
    const legit = await signUp();
    const token = await mailedToken(legit.email, 'verify-email');
    expect(await as(legit.session).auth.verifyEmail({ token })).toEqual({ ok: true });
    expect((await as(legit.session).users.me()).emailVerified).toBe(true);
    expect(await refusal(as(legit.session).auth.verifyEmail({ token }))).toBe('BAD_REQUEST:BAD_REQUEST');

    const squatter = await signUp();
    const claim = await mailedToken(squatter.email, 'verify-email');
    expect(await refusal(anon().auth.verifyEmail({ token: claim }))).toBe('BAD_REQUEST:BAD_REQUEST');
    const { sessionToken } = await anon().auth.verifyEmail({ token: claim, password: 'the real owner passphrase' });
    expect(await refusal(as(squatter.session).auth.whoami())).toBe('UNAUTHORIZED:UNAUTHORIZED');
    expect((await as(sessionToken as string).users.me()).emailVerified).toBe(true);

    // A new link on request, none for a verified address.
    const late = await signUp();
    await as(late.session).auth.requestEmailVerification();
    const queued = await db().execute<{ n: number }[]>(
      `select count(*)::int as n from outbox_messages where to_address = ? and kind = 'email_verification'`,
      [late.email],
    );
    expect(queued[0]?.n).toBe(2);
    await as(legit.session).auth.requestEmailVerification();
    const none = await db().execute<{ n: number }[]>(
      `select count(*)::int as n from outbox_messages where to_address = ? and kind = 'email_verification'`,
      [legit.email],
    );
    expect(none[0]?.n).toBe(1);
  });
});

describe('who manages an account', () => {
  it('another organization changes only the membership of a self-managed account', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const organizationId = owner.organizationId;
    const guest = await signUp();
    // The guest joins by accepting an invitation (which proves the address: it may then found its own).
    await as(owner.key).organizations.invite({ organizationId, email: guest.email, role: 'member' });
    const token = await mailedToken(guest.email, 'invitations/accept');
    await as(guest.session).invitations.accept({ token });
    const home = await as(guest.session).organizations.create({ name: 'Home' });
    const guestKey = await as(guest.session, organizationId).auth.createKey({ name: 'in corp' });

    const seen = await as(owner.key).users.retrieve({ userId: guest.userId });
    expect(seen).toMatchObject({ managedBy: null, status: 'active', lastLoginAt: null, platformRole: 'user' });
    expect(await refusal(as(owner.key).users.update({ userId: guest.userId, name: 'Renamed' }))).toBe(
      'FORBIDDEN:ACCOUNT_NOT_MANAGED',
    );
    expect(await refusal(as(owner.key).users.resetPassword({ userId: guest.userId }))).toBe(
      'FORBIDDEN:ACCOUNT_NOT_MANAGED',
    );

    // Deactivate: the membership here, not the account.
    expect((await as(owner.key).users.deactivate({ userId: guest.userId })).status).toBe('deactivated');
    expect((await db().findOneOrFail(User, guest.userId)).status).toBe('active');
    expect(await refusal(as(guestKey.key).auth.whoami())).toBe('FORBIDDEN:MEMBERSHIP_DEACTIVATED');
    expect(await refusal(as(guest.session, organizationId).users.me())).toBe('FORBIDDEN:MEMBERSHIP_DEACTIVATED');
    expect((await as(guest.session, home.id).auth.whoami()).organization?.id).toBe(home.id);
    await as(owner.key).users.activate({ userId: guest.userId });
    expect((await as(guestKey.key).auth.whoami()).userId).toBe(guest.userId);

    // Delete: the membership here; the account lives on.
    await as(owner.key).users.delete({ userId: guest.userId });
    expect(await db().findOne(Membership, { organizationId, userId: guest.userId })).toBeNull();
    expect(await db().findOne(User, guest.userId)).not.toBeNull();
    expect(await refusal(as(owner.key).users.retrieve({ userId: guest.userId }))).toBe('NOT_FOUND:NOT_FOUND');
  });

  it('the managing organization changes the account itself, but never says which other organizations it owns', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const managed = await as(owner.key).users.create({ email: fresh(), name: 'Managed', role: 'member' });
    expect(managed).toMatchObject({ managedBy: owner.organizationId, emailVerified: false });
    await as(owner.key).users.update({ userId: managed.id, name: 'Renamed' });
    expect((await as(owner.key).users.deactivate({ userId: managed.id })).status).toBe('deactivated');
    expect((await db().findOneOrFail(User, managed.id)).status).toBe('deactivated');
    await as(owner.key).users.activate({ userId: managed.id });

    // The managed account owns another organization (made by a platform admin's doing, say).
    const other = await ownerWithKey(env.db.orm);
    await db().insert(Membership, {
      id: newId('mem'),
      organizationId: other.organizationId,
      userId: managed.id,
      role: 'owner',
      status: 'active',
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    const refused = await rejectionOf(as(owner.key).users.delete({ userId: managed.id }));
    expect((refused.cause as { reason?: string }).reason).toBe('HAS_DEPENDENCIES');
    expect(JSON.stringify((refused.cause as { details?: unknown }).details)).not.toContain(other.organizationId);
  });
});

describe('hierarchy', () => {
  it('two admins demoting each other at once: one wins, the other is outranked by then', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const organizationId = owner.organizationId;
    const a = await memberWithKey(env.db.orm, organizationId, 'admin');
    const b = await memberWithKey(env.db.orm, organizationId, 'admin');
    const results = await onBarrier(`lock table organizations in exclusive mode`, 2, () => [
      as(a.key).organizations.updateMemberRole({ organizationId, userId: b.userId, role: 'member' }),
      as(b.key).organizations.updateMemberRole({ organizationId, userId: a.userId, role: 'member' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect((lost?.reason as { cause?: { reason?: string } } | undefined)?.cause?.reason).toBe('OUTRANKED');
    const roles = await db().find(Membership, { organizationId, userId: { $in: [a.userId, b.userId] } });
    expect(roles.map((m) => m.role).sort()).toEqual(['admin', 'member']);
  });

  it('a custom role holding members:remove cannot delete an admin', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const organizationId = owner.organizationId;
    await as(owner.key).roles.create({
      organizationId,
      key: 'remover',
      name: 'Remover',
      permissions: ['members:read', 'members:remove'],
    });
    const remover = await memberWithKey(env.db.orm, organizationId, 'remover');
    const admin = await memberWithKey(env.db.orm, organizationId, 'admin');
    const viewer = await memberWithKey(env.db.orm, organizationId, 'viewer');
    expect(await refusal(as(remover.key).users.delete({ userId: admin.userId }))).toBe('FORBIDDEN:OUTRANKED');
    expect(await refusal(as(remover.key).users.delete({ userId: viewer.userId }))).toBe('FORBIDDEN:OUTRANKED');
    expect(await db().findOne(User, admin.userId)).not.toBeNull();
  });

  it('deleting a user and making them an owner elsewhere at once never leaves an organization without owner', async () => {
    const a = await ownerWithKey(env.db.orm);
    const b = await ownerWithKey(env.db.orm);
    const target = await memberWithKey(env.db.orm, a.organizationId, 'member');
    await db().insert(Membership, {
      id: newId('mem'),
      organizationId: b.organizationId,
      userId: target.userId,
      role: 'admin',
      status: 'active',
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    const [deleted, transferred] = await onBarrier<unknown>(`lock table memberships in exclusive mode`, 2, () => [
      as(a.key).users.delete({ userId: target.userId }),
      as(b.key).organizations.transferOwnership({ organizationId: b.organizationId, userId: target.userId }),
    ]);
    const [{ owners } = { owners: -1 }] = await db().execute<{ owners: number }[]>(
      `select count(*)::int as owners from memberships where organization_id = ? and role = 'owner'`,
      [b.organizationId],
    );
    expect(owners).toBe(1);
    if (deleted?.status === 'fulfilled') {
      expect(transferred?.status).toBe('rejected');
      expect(await db().findOne(User, target.userId)).toBeNull();
    } else {
      expect((deleted?.reason as { cause?: { reason?: string } } | undefined)?.cause?.reason).toBe('HAS_DEPENDENCIES');
      expect(transferred?.status).toBe('fulfilled');
    }
  });
});

describe('no borrowed identity', () => {
  it('only the holder rotates a key; an admin may revoke a member’s but not an owner’s', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const admin = await memberWithKey(env.db.orm, owner.organizationId, 'admin');
    const member = await memberWithKey(env.db.orm, owner.organizationId, 'member');
    const scoped = await as(owner.key).auth.createKey({ name: 'scoped', scopes: ['members:read'] });
    expect(await refusal(as(admin.key).auth.rotateKey({ keyId: scoped.id }))).toBe('FORBIDDEN:OUTRANKED');
    expect(await refusal(as(admin.key).auth.revokeKey({ keyId: scoped.id }))).toBe('FORBIDDEN:OUTRANKED');
    expect(await refusal(as(admin.key).auth.rotateKey({ keyId: member.keyId }))).toBe('FORBIDDEN:NOT_KEY_HOLDER');
    expect((await as(admin.key).auth.revokeKey({ keyId: member.keyId })).status).toBe('revoked');
    expect((await as(owner.key).auth.rotateKey({ keyId: scoped.id })).keyPrefix).toMatch(/^gh_/);
  });

  it('a key made with a key never outlives it nor exceeds its scopes, and is revoked with it', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const parent = await as(owner.key).auth.createKey({
      name: 'parent',
      scopes: ['members:read', 'apiKeys:write'],
      expiresInDays: 1,
    });
    const child = await as(parent.key).auth.createKey({ name: 'child', expiresInDays: 365 });
    expect(child.scopes).toEqual(['members:read', 'apiKeys:write']);
    expect(child.expiresAt?.getTime()).toBe(parent.expiresAt?.getTime());
    expect(await refusal(as(parent.key).auth.createKey({ name: 'wider', scopes: ['members:update'] }))).toBe(
      'FORBIDDEN:FORBIDDEN',
    );
    const grandchild = await as(child.key).auth.createKey({ name: 'grandchild' });
    await as(owner.key).auth.revokeKey({ keyId: parent.id });
    expect(await refusal(as(child.key).auth.whoami())).toBe('UNAUTHORIZED:UNAUTHORIZED');
    expect(await refusal(as(grandchild.key).auth.whoami())).toBe('UNAUTHORIZED:UNAUTHORIZED');
  });
});

describe('authority ends with the inviter’s', () => {
  it('removing or demoting the inviter cancels what they could no longer send; accept re-checks', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const organizationId = owner.organizationId;
    const admin = await memberWithKey(env.db.orm, organizationId, 'admin');
    const email = fresh('invitee');
    const sent = await as(admin.key).organizations.invite({ organizationId, email, role: 'admin' });
    const token = await mailedToken(email, 'invitations/accept');
    await as(owner.key).organizations.removeMember({ organizationId, userId: admin.userId });
    expect((await db().findOneOrFail(Invitation, sent.id)).status).toBe('cancelled');
    expect(await refusal(anon().invitations.accept({ token, password: PASSWORD }))).toBe(
      'CONFLICT:INVITATION_CANCELLED',
    );

    // Demoted to member: invitations to admin go; one the member could still send stays.
    const inviter = await memberWithKey(env.db.orm, organizationId, 'admin');
    const toAdmin = await as(inviter.key).organizations.invite({ organizationId, email: fresh(), role: 'admin' });
    const toViewer = await as(inviter.key).organizations.invite({ organizationId, email: fresh(), role: 'viewer' });
    await as(owner.key).organizations.updateMemberRole({ organizationId, userId: inviter.userId, role: 'viewer' });
    expect((await db().findOneOrFail(Invitation, toAdmin.id)).status).toBe('cancelled');
    expect((await db().findOneOrFail(Invitation, toViewer.id)).status).toBe('cancelled'); // a viewer invites nobody

    // Authority lost behind the sweep's back (a direct change) is caught at accept.
    const third = await memberWithKey(env.db.orm, organizationId, 'admin');
    const late = fresh('late');
    await as(third.key).organizations.invite({ organizationId, email: late, role: 'admin' });
    const lateToken = await mailedToken(late, 'invitations/accept');
    await db().nativeUpdate(Membership, { organizationId, userId: third.userId }, { role: 'member' });
    expect(await refusal(anon().invitations.accept({ token: lateToken, password: PASSWORD }))).toBe(
      'CONFLICT:INVITER_LACKS_AUTHORITY',
    );
    expect(await db().findOne(User, { email: late })).toBeNull();

    // A custom role loses members:invite: what its holders sent goes.
    const role = await as(owner.key).roles.create({
      organizationId,
      key: 'recruiter',
      name: 'Recruiter',
      permissions: ['members:read', 'members:invite'],
    });
    const recruiter = await memberWithKey(env.db.orm, organizationId, 'recruiter');
    const hire = await as(recruiter.key).organizations.invite({ organizationId, email: fresh(), role: 'recruiter' });
    await as(owner.key).roles.update({ organizationId, roleId: role.id, permissions: ['members:read'] });
    expect((await db().findOneOrFail(Invitation, hire.id)).status).toBe('cancelled');
  });
});

describe('platform scope', () => {
  it('grants and refunds for any organization with platform credentials; no organization refunds itself', async () => {
    const platformAdmin = await platformAdminWithKey(env.db.orm);
    const customer = await signUp();
    await as(customer.session).auth.verifyEmail({ token: await mailedToken(customer.email, 'verify-email') });
    const org = await as(customer.session).organizations.create({ name: 'Customer' });

    // A platform key, bound to no organization.
    const adminSession = await sessionOf(platformAdmin.userId);
    const billing = await as(adminSession).platform.createKey({
      name: 'billing',
      scopes: ['credits:grant', 'credits:refund'],
    });
    expect(await as(billing.key).auth.whoami()).toMatchObject({ organization: null, platform: true });

    const granted = await as(billing.key).credits.grant({
      organizationId: org.id,
      amount: 10,
      type: 'purchase',
      idempotencyKey: 'p1',
    });
    expect(granted.balanceAfter).toBe(10);
    const used = await as(customer.session).credits.consume({
      organizationId: org.id,
      amount: 3,
      reason: 'x',
      idempotencyKey: 'u1',
    });
    expect(await refusal(as(customer.session).credits.refund({ transactionId: used.id, idempotencyKey: 'r1' }))).toBe(
      'FORBIDDEN:PLATFORM_ONLY',
    );
    expect(
      await refusal(
        as(customer.session).credits.grant({ organizationId: org.id, amount: 1, type: 'grant', idempotencyKey: 'g' }),
      ),
    ).toBe('FORBIDDEN:PLATFORM_ONLY');
    expect((await as(adminSession).credits.refund({ transactionId: used.id, idempotencyKey: 'r1' })).balanceAfter).toBe(
      10,
    );
    // The platform key reaches platform permissions only.
    expect(await refusal(as(billing.key).organizations.retrieve({ organizationId: org.id }))).toBe(
      'NOT_FOUND:NOT_FOUND',
    );
    expect(await refusal(as(billing.key).platform.organizations.list({}))).toBe('FORBIDDEN:FORBIDDEN');
    expect(
      await db().count(AuditEvent, { organizationId: org.id, actorPlatform: true, actorId: billing.id }),
    ).toBeGreaterThan(0);
    // Its holder lists it (with a platform key) and revokes it (with any credential of theirs); nobody else sees it.
    expect((await as(billing.key).auth.listKeys({})).items.map((k) => k.id)).toEqual([
      billing.id,
      platformAdmin.platformKeyId,
    ]);
    expect(await refusal(as(customer.session, org.id).auth.getKey({ keyId: billing.id }))).toBe('NOT_FOUND:NOT_FOUND');
    await as(adminSession).auth.revokeKey({ keyId: billing.id });
    expect(await refusal(as(billing.key).auth.whoami())).toBe('UNAUTHORIZED:UNAUTHORIZED');
  });

  it('suspends an organization: every credential of it is refused at once, and comes back with unsuspend', async () => {
    const platformAdmin = await platformAdminWithKey(env.db.orm);
    const adminKey = await as(platformAdmin.key).auth.whoami(); // warm
    expect(adminKey.userId).toBe(platformAdmin.userId);
    const session = await sessionOf(platformAdmin.userId);
    const victim = await ownerWithKey(env.db.orm);
    const member = await memberWithKey(env.db.orm, victim.organizationId, 'member');
    expect((await as(member.key).auth.whoami()).organization?.id).toBe(victim.organizationId); // cached now
    const suspended = await as(session).platform.organizations.suspend({
      organizationId: victim.organizationId,
      reason: 'unpaid',
    });
    expect(suspended).toMatchObject({ status: 'suspended', suspendedReason: 'unpaid' });
    expect(await refusal(as(member.key).auth.whoami())).toBe('FORBIDDEN:ORGANIZATION_SUSPENDED');
    expect(await refusal(as(victim.key).organizations.members({ organizationId: victim.organizationId }))).toBe(
      'FORBIDDEN:ORGANIZATION_SUSPENDED',
    );
    const trail = await db().findOneOrFail(AuditEvent, {
      organizationId: victim.organizationId,
      action: 'organization.suspended',
    });
    expect(trail).toMatchObject({ actorPlatform: true, actorId: platformAdmin.userId });
    await as(session).platform.organizations.unsuspend({ organizationId: victim.organizationId });
    expect((await as(member.key).auth.whoami()).userId).toBe(member.userId);
    // Not a platform admin: the platform router is closed.
    expect(await refusal(as(member.key).platform.organizations.list({}))).toBe('FORBIDDEN:FORBIDDEN');
  });
});
