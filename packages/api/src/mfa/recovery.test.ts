// Recovery without takeover (issue 29): a password reset never removes a factor; users.resetMfa lets an
// admin of the organization managing an account remove a member's factor (audited, the member mailed),
// and nobody else: not for an account that manages itself, not above oneself, not one's own.
import { AuditEvent, OutboxMessage, User } from '@gatehouse/db';
import { describe, expect, it } from 'vitest';
import {
  callerFor,
  memberWithKey,
  ownerWithKey,
  refusalOf,
  seedMailedToken,
  seedTotp,
  sessionFor,
  tokenOf,
  uniqueEmail,
  useTestRuntime,
} from '../testing/fixtures.js';

const env = useTestRuntime();
const PASSWORD = 'a sturdy passphrase 42';
let n = 0;
const as = (token: string) => callerFor(env.runtime, { authorization: `Bearer ${token}` }, `10.31.0.${++n % 250}`);
const anon = () => callerFor(env.runtime, {}, `10.31.1.${++n % 250}`);
const factorOf = async (userId: string) => (await as(await sessionFor(env.db.orm, userId)).auth.mfa.status()).enabled;

describe('recovery of a second factor', () => {
  it('survives a password reset: the new password still asks for the factor', async () => {
    const email = uniqueEmail('reset');
    const { userId } = tokenOf(await anon().auth.signup({ email, password: PASSWORD, name: 'R' }));
    await env.db.orm.em.fork().nativeUpdate(User, { id: userId }, { emailVerified: true });
    await seedTotp(env.runtime, env.db.orm, userId);
    const token = await seedMailedToken(env.db.orm, userId, 'reset');
    await anon().auth.resetPassword({ token, newPassword: `${PASSWORD} anew` });
    const answer = await anon().auth.login({ email, password: `${PASSWORD} anew` });
    expect(answer).toMatchObject({ mfaRequired: true });
    expect(await factorOf(userId)).toBe(true);
  });

  it('goes when the address is claimed from whoever made the account unverified (their factor, not the owner’s)', async () => {
    const email = uniqueEmail('squat');
    const { userId } = tokenOf(await anon().auth.signup({ email, password: PASSWORD, name: 'Squatter' }));
    await seedTotp(env.runtime, env.db.orm, userId);
    const token = await seedMailedToken(env.db.orm, userId, 'reset');
    await anon().auth.resetPassword({ token, newPassword: `${PASSWORD} owner` });
    expect('sessionToken' in (await anon().auth.login({ email, password: `${PASSWORD} owner` }))).toBe(true);
  });

  it("lets an admin of the managing organization reset a managed member's factor: audited, mailed", async () => {
    const owner = await ownerWithKey(env.db.orm);
    const admin = await memberWithKey(env.db.orm, owner.organizationId, 'admin');
    const member = await memberWithKey(env.db.orm, owner.organizationId, 'member');
    await seedTotp(env.runtime, env.db.orm, member.userId);
    await as(admin.key).users.resetMfa({ userId: member.userId });
    expect(await factorOf(member.userId)).toBe(false);
    const em = env.db.orm.em.fork();
    expect(
      await em.count(AuditEvent, {
        organizationId: owner.organizationId,
        action: 'user.mfa_reset',
        targetId: member.userId,
        actorId: admin.keyId,
      }),
    ).toBe(1);
    const mails = await em.find(OutboxMessage, { kind: 'mfa_reset', toAddress: member.email });
    expect(mails).toHaveLength(1);
  });

  it('refuses everyone else, each for its reason', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const { organizationId } = owner;
    const admin = await memberWithKey(env.db.orm, organizationId, 'admin');
    const member = await memberWithKey(env.db.orm, organizationId, 'member');
    const selfManaged = await memberWithKey(env.db.orm, organizationId, 'member', undefined, { managed: false });
    const other = await memberWithKey(env.db.orm, organizationId, 'viewer');
    for (const u of [owner, admin, member, selfManaged, other]) await seedTotp(env.runtime, env.db.orm, u.userId);
    // An account that manages itself recovers with its own recovery codes, not through an organization.
    expect(await refusalOf(as(admin.key).users.resetMfa({ userId: selfManaged.userId }))).toBe(
      'FORBIDDEN:ACCOUNT_NOT_MANAGED',
    );
    // Not above oneself.
    expect(await refusalOf(as(admin.key).users.resetMfa({ userId: owner.userId }))).toBe('FORBIDDEN:OUTRANKED');
    // Not without members:update.
    expect(await refusalOf(as(member.key).users.resetMfa({ userId: other.userId }))).toBe('FORBIDDEN:FORBIDDEN');
    // Not one's own: that is auth.mfa.disable, with its step-up.
    expect(await refusalOf(as(admin.key).users.resetMfa({ userId: admin.userId }))).toBe('FORBIDDEN:FORBIDDEN');
    // Not another organization's member.
    const stranger = await ownerWithKey(env.db.orm);
    expect(await refusalOf(as(stranger.key).users.resetMfa({ userId: member.userId }))).toBe('NOT_FOUND:NOT_FOUND');
    for (const u of [owner, admin, member, selfManaged, other]) expect(await factorOf(u.userId)).toBe(true);
    expect(await env.db.orm.em.fork().count(User, { id: member.userId })).toBe(1);
  });
});
