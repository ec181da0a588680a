// Step-up (issue 29): for an account with a second factor, an owner-level (unscoped) API key,
// organizations.transferOwnership and auth.mfa.disable need a factor proven in this session within
// the last 10 minutes (auth.verifyMfa, auth.mfa.stepUp); time moves by backdating sessions.mfa_verified_at.
import { Session, User } from '@gatehouse/db';
import { describe, expect, it } from 'vitest';
import { STEP_UP_MS } from '../access/step-up.js';
import { hashPassword } from '../auth/passwords.js';
import { sha256Hex } from '../core/crypto.js';
import {
  callerFor,
  memberWithKey,
  ownerWithKey,
  refusalOf,
  seedTotp,
  sessionFor,
  tokenOf,
  useTestRuntime,
} from '../testing/fixtures.js';

const env = useTestRuntime();
const PASSWORD = 'a sturdy passphrase 42';
let n = 0;
const as = (token: string) => callerFor(env.runtime, { authorization: `Bearer ${token}` }, `10.32.0.${++n % 250}`);
const anon = () => callerFor(env.runtime, {}, `10.32.1.${++n % 250}`);

/** Moves when the session last proved a factor to `agoMs` ago (null: never). */
async function provenAgo(sessionToken: string, agoMs: number | null) {
  await env.db.orm.em
    .fork()
    .nativeUpdate(
      Session,
      { tokenHash: sha256Hex(sessionToken) },
      { mfaVerifiedAt: agoMs === null ? null : new Date(Date.now() - agoMs) },
    );
}

async function ownerWithFactor() {
  const owner = await ownerWithKey(env.db.orm);
  const totp = await seedTotp(env.runtime, env.db.orm, owner.userId);
  return { ...owner, totp, session: await sessionFor(env.db.orm, owner.userId) };
}

describe('step-up', () => {
  it('refuses an unscoped key to a session that has not proven its factor lately; a scoped key is fine', async () => {
    const owner = await ownerWithFactor();
    expect(await refusalOf(as(owner.session).auth.createKey({ name: 'everything' }))).toBe(
      'FORBIDDEN:MFA_STEP_UP_REQUIRED',
    );
    await provenAgo(owner.session, STEP_UP_MS + 1000);
    expect(await refusalOf(as(owner.session).auth.createKey({ name: 'everything' }))).toBe(
      'FORBIDDEN:MFA_STEP_UP_REQUIRED',
    );
    expect(await refusalOf(as(owner.session).users.createApiKey({ name: 'everything' }))).toBe(
      'FORBIDDEN:MFA_STEP_UP_REQUIRED',
    );
    const scoped = await as(owner.session).auth.createKey({ name: 'reader', scopes: ['members:read'] });
    expect(scoped.scopes).toEqual(['members:read']);
    await provenAgo(owner.session, STEP_UP_MS - 60_000);
    expect((await as(owner.session).auth.createKey({ name: 'everything' })).scopes).toBeNull();
  });

  it('counts auth.mfa.stepUp and the sign-in with auth.verifyMfa as a fresh factor', async () => {
    const { userId, email } = await ownerWithKey(env.db.orm);
    await env.db.orm.em.fork().nativeUpdate(User, { id: userId }, { passwordHash: await hashPassword(PASSWORD) });
    const { code } = await seedTotp(env.runtime, env.db.orm, userId);
    const challenge = await anon().auth.login({ email, password: PASSWORD });
    if (!('mfaRequired' in challenge)) throw new Error('Expected a challenge');
    const { sessionToken } = tokenOf(
      await anon().auth.verifyMfa({ challengeToken: challenge.challengeToken, code: await code() }),
    );
    expect((await as(sessionToken).auth.createKey({ name: 'right after sign-in' })).scopes).toBeNull();
    await provenAgo(sessionToken, STEP_UP_MS + 1000);
    expect(await refusalOf(as(sessionToken).auth.createKey({ name: 'later' }))).toBe('FORBIDDEN:MFA_STEP_UP_REQUIRED');
    await as(sessionToken).auth.mfa.stepUp({ code: await code(1) });
    expect((await as(sessionToken).auth.createKey({ name: 'after step-up' })).scopes).toBeNull();
  });

  it('guards organizations.transferOwnership the same way', async () => {
    const owner = await ownerWithFactor();
    const heir = await memberWithKey(env.db.orm, owner.organizationId, 'admin');
    const transfer = () =>
      as(owner.session).organizations.transferOwnership({ organizationId: owner.organizationId, userId: heir.userId });
    expect(await refusalOf(transfer())).toBe('FORBIDDEN:MFA_STEP_UP_REQUIRED');
    await as(owner.session).auth.mfa.stepUp({ code: await owner.totp.code() });
    expect((await transfer()).role).toBe('owner');
  });

  it('asks nothing of an account without a factor, nor of an API key', async () => {
    const plain = await ownerWithKey(env.db.orm);
    const session = await sessionFor(env.db.orm, plain.userId);
    expect((await as(session).auth.createKey({ name: 'everything' })).scopes).toBeNull();
    const owner = await ownerWithFactor();
    expect((await as(owner.key).auth.createKey({ name: 'made by a key' })).scopes).toBeNull();
  });
});
