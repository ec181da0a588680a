// settings.enforceMfa (issue 29): a member's session without a confirmed factor acts in such an
// organization only to enrol and to see or end itself (FORBIDDEN MFA_REQUIRED elsewhere); keys are
// unaffected; enrolling lifts it at once (the user is invalidated); another organization's rule is not
// this one's. REST and GraphQL: apps/server/test/surfaces/same-decision.test.ts.
import { Membership, newId } from '@gatehouse/db';
import { describe, expect, it } from 'vitest';
import {
  callerFor,
  memberWithKey,
  ownerWithKey,
  refusalOf,
  seedTotp,
  sessionFor,
  useTestRuntime,
} from '../testing/fixtures.js';

const env = useTestRuntime();
let n = 0;
const as = (token: string, organization?: string) =>
  callerFor(
    env.runtime,
    { authorization: `Bearer ${token}`, ...(organization ? { 'x-gatehouse-organization': organization } : {}) },
    `10.30.0.${++n % 250}`,
  );

async function enforcing() {
  const owner = await ownerWithKey(env.db.orm);
  const member = await memberWithKey(env.db.orm, owner.organizationId, 'admin');
  await as(owner.key).organizations.update({ organizationId: owner.organizationId, settings: { enforceMfa: true } });
  return { owner, member, organizationId: owner.organizationId, session: await sessionFor(env.db.orm, member.userId) };
}

describe('settings.enforceMfa', () => {
  it("refuses a member's session without a factor everything but enrolling and itself", async () => {
    const { session, organizationId, member } = await enforcing();
    const c = as(session);
    expect(await refusalOf(c.organizations.members({ organizationId }))).toBe('FORBIDDEN:MFA_REQUIRED');
    expect(await refusalOf(c.organizations.retrieve({ organizationId }))).toBe('FORBIDDEN:MFA_REQUIRED');
    expect(await refusalOf(c.users.list({}))).toBe('FORBIDDEN:MFA_REQUIRED');
    // A key made now would act without the factor: minting one is refused too.
    expect(await refusalOf(c.auth.createKey({ name: 'around it' }))).toBe('FORBIDDEN:MFA_REQUIRED');
    expect(await refusalOf(c.auth.listKeys({}))).toBe('FORBIDDEN:MFA_REQUIRED');
    // What stays open: who am I, my profile, my sessions, enrolling, signing out.
    expect((await c.auth.whoami()).userId).toBe(member.userId);
    expect((await c.users.me()).id).toBe(member.userId);
    expect((await c.auth.sessions.list()).items).toHaveLength(1);
    expect((await c.auth.mfa.status()).enabled).toBe(false);
    const { code } = await seedTotp(env.runtime, env.db.orm, member.userId, { confirmed: false });
    await c.auth.mfa.totp.confirm({ code: await code() });
    // Enrolled: every process forgot the old answer, and the session acts.
    expect((await c.organizations.members({ organizationId })).items.length).toBeGreaterThan(1);
    expect((await c.users.list({})).items.length).toBeGreaterThan(1);
    await c.auth.logout();
  });

  it('leaves API keys alone: they are issued by someone signed in, and scoped', async () => {
    const { member, organizationId } = await enforcing();
    expect((await as(member.key).organizations.members({ organizationId })).items.length).toBeGreaterThan(1);
    expect((await as(member.key).users.list({})).items.length).toBeGreaterThan(1);
  });

  it('holds in the organization acted in, by header or input, not in the others', async () => {
    const { organizationId, member } = await enforcing();
    // The same person owns another organization that does not require a factor.
    const elsewhere = await ownerWithKey(env.db.orm);
    const em = env.db.orm.em.fork();
    em.create(Membership, {
      id: newId('mem'),
      organizationId: elsewhere.organizationId,
      userId: member.userId,
      role: 'admin',
    });
    await em.flush();
    const session = await sessionFor(env.db.orm, member.userId);
    expect((await as(session, elsewhere.organizationId).users.list({})).items.length).toBeGreaterThan(1);
    expect(
      (await as(session, elsewhere.organizationId).organizations.members({ organizationId: elsewhere.organizationId }))
        .items,
    ).not.toHaveLength(0);
    // Named by the input while the session acts elsewhere: still the enforcing organization's rule.
    expect(await refusalOf(as(session, elsewhere.organizationId).organizations.retrieve({ organizationId }))).toBe(
      'FORBIDDEN:MFA_REQUIRED',
    );
    expect(await refusalOf(as(session, organizationId).users.list({}))).toBe('FORBIDDEN:MFA_REQUIRED');
  });

  it('never locks out the owner who turns it on: they can still enrol, then act', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const session = await sessionFor(env.db.orm, owner.userId);
    const { organizationId } = owner;
    await as(session).organizations.update({ organizationId, settings: { enforceMfa: true } });
    expect(await refusalOf(as(session).organizations.retrieve({ organizationId }))).toBe('FORBIDDEN:MFA_REQUIRED');
    const { secret } = await as(session).auth.mfa.totp.enroll();
    expect(secret).toBeTruthy();
    const { code } = await seedTotp(env.runtime, env.db.orm, owner.userId, { confirmed: false });
    await as(session).auth.mfa.totp.confirm({ code: await code() });
    expect((await as(session).organizations.retrieve({ organizationId })).settings.enforceMfa).toBe(true);
  });

  it('shows mfaEnabled on organizations.members', async () => {
    const { owner, member, organizationId } = await enforcing();
    await seedTotp(env.runtime, env.db.orm, member.userId);
    const members = (await as(owner.key).organizations.members({ organizationId })).items;
    expect(members.find((m) => m.userId === member.userId)?.mfaEnabled).toBe(true);
    expect(members.find((m) => m.userId === owner.userId)?.mfaEnabled).toBe(false);
  });
});
