import { AuditEvent, Membership, User } from '@gatehouse/db';
import { describe, expect, it } from 'vitest';
import {
  bearer,
  callerFor,
  memberWithKey,
  ownerWithKey,
  refusalOf,
  rejectionOf,
  sessionFor,
  tokenOf,
  uniqueEmail,
  useMailTestRuntime,
} from '../testing/fixtures.js';
import { createContext } from '../trpc/context.js';
import { createCallerFactory, memberProcedure, router } from '../trpc/procedures.js';
import { preRegister, type TPreRegisterOutput, ZPreRegisterInput, ZPreRegisterOutput } from './pre-register.js';

const env = useMailTestRuntime();

// The procedure exactly as users.router mounts it, so input/output parsing and the permission gate are exercised.
const testRouter = router({
  preRegister: memberProcedure('members:invite')
    .input(ZPreRegisterInput)
    .output(ZPreRegisterOutput)
    .mutation(({ ctx, input }) => preRegister(ctx, input)),
});
const as = (key: string) =>
  createCallerFactory(testRouter)(
    createContext({ runtime: env.runtime, headers: new Headers(bearer(key)), requestId: 'test', ip: '127.0.0.1' }),
  );
const app = (key?: string) => callerFor(env.runtime, key ? bearer(key) : {});

/**
 * The account with a session: its person signed in. New accounts come out `created`, with their
 * acceptInviteUrl, only for a session; a key or a service account's token always mails the invitation
 * (see machine-credentials.test.ts).
 */
const signedIn = async <T extends { userId: string }>(account: T) => ({
  ...account,
  session: await sessionFor(env.db.orm, account.userId),
});

let n = 0;
const outcomes = (r: TPreRegisterOutput) => r.results.map((x) => x.outcome);

async function tableCounts() {
  const [row] = await env.db.orm.em.fork().execute<Record<string, number>[]>(
    `select (select count(*) from users)::int as users, (select count(*) from memberships)::int as memberships,
            (select count(*) from audit_events)::int as audit, (select count(*) from invitations)::int as invitations,
            (select count(*) from outbox_messages)::int as mail`,
  );
  return row;
}

const userByEmail = (email: string) => env.db.orm.em.fork().findOne(User, { email });
const membership = (organizationId: string, userId: string) =>
  env.db.orm.em.fork().findOne(Membership, { organizationId, userId });

/**
 * The mail received to any of these addresses (after the first `after` messages): mail other tests queued
 * may still arrive while this one runs, so "no mail" and "these mails" are read per address.
 */
const mailTo = (emails: readonly string[], after = 0) =>
  env.smtp.messages
    .slice(after)
    .filter((m) => m.to.some((to) => emails.some((e) => e.toLowerCase() === to.toLowerCase())));

describe('users.preRegister outcomes', () => {
  it('creates, adds, skips and rejects per email in one mixed batch', async () => {
    const owner = await signedIn(await ownerWithKey(env.db.orm, 'Mixed'));
    const member = await memberWithKey(env.db.orm, owner.organizationId, 'viewer');
    const outsider = await ownerWithKey(env.db.orm); // an account in another organization
    const newcomer = uniqueEmail();
    const jane = `Jane${++n}@Example.com`;
    const result = await as(owner.session).preRegister({
      emails: [
        newcomer,
        member.email.toUpperCase(),
        outsider.email,
        'not an email',
        jane,
        jane.toLowerCase(),
        ` ${jane.toUpperCase()} `,
        '',
      ],
    });
    expect(result.dryRun).toBe(false);
    expect(outcomes(result)).toEqual([
      'created',
      'exists',
      'invited',
      'invalid',
      'created',
      'skipped',
      'skipped',
      'invalid',
    ]);
    expect(result.counts).toEqual({ created: 2, exists: 1, skipped: 2, invalid: 2, invited: 1, domainNotAllowed: 0 });
    const [created, existing, added, invalid, first, dup] = result.results;
    expect(result.results.map((r) => r.email)).toEqual([
      newcomer,
      member.email.toUpperCase(),
      outsider.email,
      'not an email',
      jane,
      jane.toLowerCase(),
      ` ${jane.toUpperCase()} `,
      '',
    ]);
    expect(existing).toMatchObject({
      userId: member.userId,
      normalizedEmail: member.email.toUpperCase().replace('EXAMPLE.COM', 'example.com'),
    });
    // An account the organization does not manage is invited (by mail only) and shown without id or link.
    expect(added).toMatchObject({ userId: null, acceptInviteUrl: null });
    expect(invalid).toMatchObject({ normalizedEmail: null, userId: null });
    // The local part keeps its case, the domain does not; the repeat is compared case-insensitively.
    expect(first?.normalizedEmail).toBe(jane.replace('Example.com', 'example.com'));
    expect(dup).toMatchObject({ normalizedEmail: jane.toLowerCase(), userId: null });

    const user = await userByEmail(newcomer);
    expect(user).toMatchObject({ id: created?.userId, status: 'active', organizationId: owner.organizationId });
    expect(user?.name).toBe(newcomer.split('@')[0]);
    expect((await membership(owner.organizationId, created?.userId as string))?.role).toBe('member');
    expect(await membership(owner.organizationId, outsider.userId)).toBeNull();
    const invitation = await app(owner.key).organizations.listInvitations({ organizationId: owner.organizationId });
    const toOutsider = invitation.items.filter((i) => i.email === outsider.email);
    expect(toOutsider.map((i) => i.status)).toEqual(['pending']);
    await env.smtp.waitFor((m) => m.to.includes(outsider.email) && m.subject.includes('Join'));
    // The existing member keeps their role; the outsider keeps their primary organization.
    expect((await membership(owner.organizationId, member.userId))?.role).toBe('viewer');
    expect((await env.db.orm.em.fork().findOne(User, outsider.userId))?.organizationId).toBe(outsider.organizationId);
    expect(await env.db.orm.em.fork().count(User, { email: { $ilike: jane } })).toBe(1);

    const audit = await env.db.orm.em
      .fork()
      .find(AuditEvent, { organizationId: owner.organizationId, requestId: 'test' }, { orderBy: { id: 'asc' } });
    expect(audit.map((e) => [e.action, e.targetId])).toEqual(
      expect.arrayContaining([
        ['user.created', created?.userId],
        ['user.created', first?.userId],
        ['invitation.created', toOutsider[0]?.id],
      ]),
    );
    expect(audit.filter((e) => e.action === 'user.created' || e.action === 'member.added')).toHaveLength(2);
    expect(audit.some((e) => e.targetId === outsider.userId)).toBe(false);

    // The new people are members like any other.
    expect((await app(owner.key).users.retrieve({ userId: created?.userId as string })).role).toBe('member');
  });

  it('skips accounts from outside the organization with skipIfUserExists, still reporting members as exists', async () => {
    const owner = await signedIn(await ownerWithKey(env.db.orm));
    const member = await memberWithKey(env.db.orm, owner.organizationId, 'member');
    const outsider = await ownerWithKey(env.db.orm);
    const result = await as(owner.session).preRegister({
      emails: [outsider.email, member.email, uniqueEmail()],
      skipIfUserExists: true,
    });
    expect(outcomes(result)).toEqual(['skipped', 'exists', 'created']);
    expect(result.results[0]?.userId).toBeNull();
    expect(await membership(owner.organizationId, outsider.userId)).toBeNull();
  });

  it('gives the asked role, the organization default otherwise, and makes a first organization primary', async () => {
    const owner = await signedIn(await ownerWithKey(env.db.orm));
    const viewer = await as(owner.session).preRegister({ emails: [uniqueEmail()], role: 'viewer' });
    expect((await membership(owner.organizationId, viewer.results[0]?.userId as string))?.role).toBe('viewer');
    const alias = await as(owner.session).preRegister({ emails: [uniqueEmail()], role: 'user' });
    expect((await membership(owner.organizationId, alias.results[0]?.userId as string))?.role).toBe('member');

    await app(owner.key).organizations.update({
      organizationId: owner.organizationId,
      settings: { defaultRole: 'viewer' },
    });
    // Someone who signed up on their own and belongs to no organization yet.
    const loner = uniqueEmail('loner');
    const { userId: lonerId } = await app().auth.signup({
      email: loner,
      password: 'a sturdy passphrase 42',
      name: 'L',
    });
    const byDefault = await as(owner.session).preRegister({ emails: [uniqueEmail(), loner] });
    // The loner manages their own account: invited, not added.
    expect(outcomes(byDefault)).toEqual(['created', 'invited']);
    expect((await membership(owner.organizationId, byDefault.results[0]?.userId as string))?.role).toBe('viewer');
    expect(await membership(owner.organizationId, lonerId)).toBeNull();
    // The first organization a pre-registered account joins is its primary one.
    const created = await env.db.orm.em.fork().findOne(User, byDefault.results[0]?.userId as string);
    expect(created).toMatchObject({ organizationId: owner.organizationId, managedBy: owner.organizationId });
  });

  it('validates the batch itself', async () => {
    const owner = await ownerWithKey(env.db.orm);
    expect(await refusalOf(as(owner.key).preRegister({ emails: [] }))).toBe('BAD_REQUEST:BAD_REQUEST');
    const tooMany = Array.from({ length: 1001 }, (_, i) => `x${i}@example.com`);
    expect(await refusalOf(as(owner.key).preRegister({ emails: tooMany }))).toBe('BAD_REQUEST:BAD_REQUEST');
    // @ts-expect-error: not an input field
    expect(await refusalOf(as(owner.key).preRegister({ emails: [uniqueEmail()], status: 'active' }))).toBe(
      'BAD_REQUEST:BAD_REQUEST',
    );
    expect(await refusalOf(as(owner.key).preRegister({ emails: [uniqueEmail()], role: 'Not A Role' }))).toBe(
      'BAD_REQUEST:BAD_REQUEST',
    );
    expect(await refusalOf(as(owner.key).preRegister({ emails: [uniqueEmail()], role: 'no-such-role' }))).toBe(
      'NOT_FOUND:NOT_FOUND',
    );
    // Longer than an address can be: invalid, not a database error.
    const long = `${'a'.repeat(250)}@example.com`;
    expect(outcomes(await as(owner.key).preRegister({ emails: [long], dryRun: true }))).toEqual(['invalid']);
  });
});

describe('dry runs', () => {
  it('writes and sends nothing, and predicts the real run exactly', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const member = await memberWithKey(env.db.orm, owner.organizationId, 'member');
    const outsider = await ownerWithKey(env.db.orm);
    const a = uniqueEmail();
    const input = {
      emails: [a, a.toUpperCase(), member.email, outsider.email, 'nope@', uniqueEmail()],
      sendInviteEmail: true,
    };
    const before = await tableCounts();
    const mailsBefore = env.smtp.messages.length;
    const dry = await as(owner.key).preRegister({ ...input, dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(outcomes(dry)).toEqual(['invited', 'skipped', 'exists', 'invited', 'invalid', 'invited']);
    // New accounts have no id until they exist; an account the organization does not manage shows none.
    expect(dry.results.map((r) => r.userId)).toEqual([null, null, member.userId, null, null, null]);
    expect(await tableCounts()).toEqual(before);
    expect(mailTo(input.emails, mailsBefore)).toEqual([]);
    expect(await membership(owner.organizationId, outsider.userId)).toBeNull();

    const real = await as(owner.key).preRegister(input);
    expect(real.dryRun).toBe(false);
    expect(real.counts).toEqual(dry.counts);
    // Ids and invitation links exist only once written.
    const plain = (r: TPreRegisterOutput) => r.results.map(({ userId: _, acceptInviteUrl: __, ...rest }) => rest);
    expect(plain(real)).toEqual(plain(dry));
    // A second dry run sees what the first real one did.
    const again = await as(owner.key).preRegister({ ...input, dryRun: true });
    expect(outcomes(again)).toEqual(['exists', 'skipped', 'exists', 'invited', 'invalid', 'exists']);
  });

  it('refuses on a dry run what a real run would refuse', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const admin = await memberWithKey(env.db.orm, owner.organizationId, 'admin');
    expect(await refusalOf(as(admin.key).preRegister({ emails: [uniqueEmail()], role: 'owner', dryRun: true }))).toBe(
      'FORBIDDEN:FORBIDDEN',
    );
  });
});

describe('large batches', () => {
  it('registers 1000 emails in one call, and finds all 1000 on the next', async () => {
    const owner = await signedIn(await ownerWithKey(env.db.orm));
    const stamp = Date.now();
    const emails = Array.from({ length: 1000 }, (_, i) => `bulk${i}.${stamp}@example.com`);
    const before = await tableCounts();
    const first = await as(owner.session).preRegister({ emails });
    expect(first.counts).toEqual({ created: 1000, exists: 0, skipped: 0, invalid: 0, invited: 0, domainNotAllowed: 0 });
    expect(new Set(first.results.map((r) => r.userId)).size).toBe(1000);
    const after = await tableCounts();
    expect(after?.users).toBe((before?.users ?? 0) + 1000);
    expect(after?.memberships).toBe((before?.memberships ?? 0) + 1000);
    expect(after?.audit).toBe((before?.audit ?? 0) + 1000);

    const second = await as(owner.session).preRegister({ emails: emails.map((e) => e.toUpperCase()) });
    expect(second.counts).toEqual({
      created: 0,
      exists: 1000,
      skipped: 0,
      invalid: 0,
      invited: 0,
      domainNotAllowed: 0,
    });
    expect(second.results.map((r) => r.userId)).toEqual(first.results.map((r) => r.userId));
    expect(await tableCounts()).toEqual(after);
  });
});

describe('all or nothing', () => {
  it('writes nothing and sends nothing when any row fails', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const outsider = await ownerWithKey(env.db.orm);
    const doomed = uniqueEmail('doomed');
    const em = env.db.orm.em.fork();
    // The audit trail is written last: failing there proves the users and memberships before it roll back.
    await em.execute(`create function fail_doomed() returns trigger language plpgsql as $$
      begin
        if new.changes -> 'email' ->> 'to' like 'doomed%' then raise exception 'provoked failure'; end if;
        return new;
      end $$`);
    await em.execute(
      'create trigger fail_doomed before insert on audit_events for each row execute function fail_doomed()',
    );
    try {
      const before = await tableCounts();
      const mailsBefore = env.smtp.messages.length;
      const emails = [uniqueEmail(), outsider.email, uniqueEmail(), doomed, uniqueEmail()];
      const error = await rejectionOf(as(owner.key).preRegister({ emails, sendInviteEmail: true }));
      expect(error.code).toBe('INTERNAL_SERVER_ERROR');
      expect(await tableCounts()).toEqual(before);
      expect(await membership(owner.organizationId, outsider.userId)).toBeNull();
      expect(await userByEmail(emails[0] as string)).toBeNull();
      expect(mailTo(emails, mailsBefore)).toEqual([]);
    } finally {
      await em.execute('drop trigger fail_doomed on audit_events');
      await em.execute('drop function fail_doomed()');
    }
  });
});

describe('authority', () => {
  it('needs members:invite', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const member = await memberWithKey(env.db.orm, owner.organizationId, 'member');
    const viewer = await memberWithKey(env.db.orm, owner.organizationId, 'viewer');
    const readOnlyKey = await memberWithKey(env.db.orm, owner.organizationId, 'admin', ['members:read']);
    const before = await tableCounts();
    for (const key of [member.key, viewer.key, readOnlyKey.key]) {
      expect(await refusalOf(as(key).preRegister({ emails: [uniqueEmail()] }))).toBe('FORBIDDEN:FORBIDDEN');
      expect(await refusalOf(as(key).preRegister({ emails: [uniqueEmail()], dryRun: true }))).toBe(
        'FORBIDDEN:FORBIDDEN',
      );
    }
    expect(await tableCounts()).toEqual(before);
  });

  it('never grants a role stronger than the caller holds, nor ownership', async () => {
    const owner = await ownerWithKey(env.db.orm);
    await app(owner.key).roles.create({
      organizationId: owner.organizationId,
      key: 'recruiter',
      name: 'Recruiter',
      permissions: ['members:invite', 'members:read'],
    });
    const recruiter = await signedIn(await memberWithKey(env.db.orm, owner.organizationId, 'recruiter'));
    const admin = await signedIn(await memberWithKey(env.db.orm, owner.organizationId, 'admin'));
    // A key scoped to members:invite alone cannot hand out the member role's reads.
    const narrowKey = await memberWithKey(env.db.orm, owner.organizationId, 'admin', ['members:invite']);
    const outsider = await ownerWithKey(env.db.orm);
    const before = await tableCounts();
    for (const role of ['admin', 'member', 'viewer']) {
      expect(
        await refusalOf(as(recruiter.session).preRegister({ emails: [uniqueEmail(), outsider.email], role })),
      ).toBe('FORBIDDEN:FORBIDDEN');
    }
    expect(await refusalOf(as(narrowKey.key).preRegister({ emails: [uniqueEmail()], role: 'member' }))).toBe(
      'FORBIDDEN:FORBIDDEN',
    );
    expect(await refusalOf(as(admin.session).preRegister({ emails: [uniqueEmail()], role: 'owner' }))).toBe(
      'FORBIDDEN:FORBIDDEN',
    );
    expect(await refusalOf(as(owner.key).preRegister({ emails: [uniqueEmail()], role: 'owner' }))).toBe(
      'FORBIDDEN:FORBIDDEN',
    );
    expect(await tableCounts()).toEqual(before);
    expect(await membership(owner.organizationId, outsider.userId)).toBeNull();

    // Within their own permissions they may.
    const ok = await as(recruiter.session).preRegister({ emails: [uniqueEmail()], role: 'recruiter' });
    expect(ok.counts.created).toBe(1);
    // The organization's default (member) is checked the same way.
    expect(await refusalOf(as(recruiter.session).preRegister({ emails: [uniqueEmail()] }))).toBe('FORBIDDEN:FORBIDDEN');
    expect((await as(admin.session).preRegister({ emails: [uniqueEmail()], role: 'admin' })).counts.created).toBe(1);
  });
});

describe('invitation emails', () => {
  it('emails each new user their invitation once, after the commit; accepting it sets their password', async () => {
    const owner = await signedIn(await ownerWithKey(env.db.orm));
    const member = await memberWithKey(env.db.orm, owner.organizationId, 'member');
    const outsider = await ownerWithKey(env.db.orm);
    const [a, b] = [uniqueEmail('invitee'), uniqueEmail('invitee')] as [string, string];
    const mailsBefore = env.smtp.messages.length;
    const call = as(owner.session).preRegister({
      emails: [a, member.email, outsider.email, b, b.toUpperCase()],
      sendInviteEmail: true,
    });
    // When the first email arrives, the accounts are already visible to everyone else: committed.
    const firstMail = await env.smtp.waitFor((m) => m.to.includes(a) || m.to.includes(b));
    expect(await userByEmail(a)).not.toBeNull();
    expect(await userByEmail(b)).not.toBeNull();
    expect(firstMail.subject).toBeTruthy();
    const result = await call;
    // The outsider, whose account manages itself, is invited too (by mail, never by a returned link).
    expect(outcomes(result)).toEqual(['invited', 'exists', 'invited', 'invited', 'skipped']);
    expect(result.counts).toEqual({ created: 0, exists: 1, skipped: 1, invalid: 0, invited: 3, domainNotAllowed: 0 });
    expect(result.results[2]).toMatchObject({ userId: null, acceptInviteUrl: null });
    await env.smtp.waitFor((m) => m.to.includes(a));
    await env.smtp.waitFor((m) => m.to.includes(b));
    await env.smtp.waitFor((m) => m.to.includes(outsider.email));
    const sent = mailTo([a, b, member.email, outsider.email], mailsBefore);
    expect(sent.map((m) => m.to).sort()).toEqual([[a], [b], [outsider.email]].sort());

    // The link is the invitation of result.acceptInviteUrl; accepting sets a password, and the account can then sign in.
    const mail = sent.find((m) => m.to.includes(a));
    const token = /invitations\/accept\?token=([\w-]+)/.exec(mail?.text ?? '')?.[1];
    expect(result.results[0]?.acceptInviteUrl).toBe(`http://gatehouse.test/invitations/accept?token=${token}`);
    await app().invitations.accept({ token: token as string, password: 'a brand new passphrase' });
    const { sessionToken } = tokenOf(await app().auth.login({ email: a, password: 'a brand new passphrase' }));
    const me = await app(sessionToken).users.me();
    expect(me).toMatchObject({ id: result.results[0]?.userId, role: 'member', organizationId: owner.organizationId });
  });

  it('sends nothing without sendInviteEmail', async () => {
    const owner = await signedIn(await ownerWithKey(env.db.orm));
    const emails = [uniqueEmail(), uniqueEmail()];
    const result = await as(owner.session).preRegister({ emails });
    expect(outcomes(result)).toEqual(['created', 'created']);
    // Mail is queued in the run's own transaction: none was, so none will go out.
    const queued = await env.db.orm.em
      .fork()
      .execute('select id from outbox_messages where to_address in (select jsonb_array_elements_text(?::jsonb))', [
        JSON.stringify(emails),
      ]);
    expect(queued).toEqual([]);
  });
});

describe('concurrency', () => {
  it('never creates an account twice when two organizations register the same emails at once', async () => {
    const a = await signedIn(await ownerWithKey(env.db.orm));
    const b = await signedIn(await ownerWithKey(env.db.orm));
    const emails = Array.from({ length: 50 }, () => uniqueEmail('race'));
    let runs: Promise<TPreRegisterOutput>[] = [];
    // Hold inserts into users back until both runs have planned (neither sees the other's accounts) and
    // are about to insert: one then wins the unique index, the other collides, plans again and adds members.
    await env.db.orm.em.fork().transactional(async (tx) => {
      await tx.execute('lock table users in share row exclusive mode');
      runs = [as(a.session).preRegister({ emails }), as(b.session).preRegister({ emails: [...emails].reverse() })];
      let settled = false;
      void Promise.allSettled(runs).then(() => {
        settled = true;
      });
      const deadline = Date.now() + 10_000;
      for (let waiting = 0; waiting < 2; ) {
        await new Promise((r) => setTimeout(r, 20));
        if (settled || Date.now() > deadline) throw new Error('the runs did not both reach their insert');
        // From another connection: pg_stat_activity is a snapshot for the length of a transaction.
        const [row] = await env.db.orm.em.fork().execute<{ n: number }[]>(
          `select count(*)::int as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock' and query like 'insert into users%'`,
        );
        waiting = row?.n ?? 0;
      }
    });
    const [ra, rb] = await Promise.all(runs);
    const [rows] = await env.db.orm.em
      .fork()
      .execute<{ users: number }[]>(`select count(*)::int as users from users where email like 'race%'`);
    expect(rows?.users).toBe(50);
    // The winner created (and manages) the accounts; the loser found them and, not managing them, invited them.
    expect([ra?.counts.created, rb?.counts.created].sort()).toEqual([0, 50]);
    expect([ra?.counts.invited, rb?.counts.invited].sort()).toEqual([0, 50]);
    const [winner, loser] = ra?.counts.created === 50 ? [a, b] : [b, a];
    const lost = (ra?.counts.created === 50 ? rb : ra) as TPreRegisterOutput;
    expect(lost.results.every((r) => r.userId === null)).toBe(true);
    expect(await env.db.orm.em.fork().count(Membership, { organizationId: winner.organizationId })).toBe(51);
    expect(await env.db.orm.em.fork().count(Membership, { organizationId: loser.organizationId })).toBe(1);
  });

  it('serialises runs in one organization', async () => {
    const owner = await signedIn(await ownerWithKey(env.db.orm));
    const emails = Array.from({ length: 20 }, () => uniqueEmail());
    const [r1, r2] = await Promise.all([
      as(owner.session).preRegister({ emails }),
      as(owner.session).preRegister({ emails: emails.slice(10) }),
    ]);
    expect((r1?.counts.created ?? 0) + (r2?.counts.created ?? 0)).toBe(20);
    expect(await env.db.orm.em.fork().count(Membership, { organizationId: owner.organizationId })).toBe(21);
  });
});
