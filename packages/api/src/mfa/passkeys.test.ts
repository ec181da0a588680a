// Passkeys (issue 29), with a software authenticator (ES256, attestation "none", counter always 0 as
// synced passkeys report): registration by a session, as a second factor (auth.verifyMfa) with user
// verification on or off, as a sign-in of its own (auth.passkeys.login, user verification required),
// challenges spent once, a passkey bound to its user, removal of the last factor behind step-up.
import { Session } from '@gatehouse/db';
import { describe, expect, it } from 'vitest';
import { STEP_UP_MS } from '../access/step-up.js';
import { sha256Hex } from '../core/crypto.js';
import {
  callerFor,
  refusalOf,
  softwareAuthenticator,
  tokenOf,
  uniqueEmail,
  useTestRuntime,
} from '../testing/fixtures.js';

const env = useTestRuntime();
const PASSWORD = 'a sturdy passphrase 42';
let n = 0;
const as = (token: string) => callerFor(env.runtime, { authorization: `Bearer ${token}` }, `10.33.0.${++n % 250}`);
const anon = () => callerFor(env.runtime, {}, `10.33.1.${++n % 250}`);
const device = () => softwareAuthenticator({ origin: 'http://gatehouse.test', rpID: 'gatehouse.test' });

const provenNow = (sessionToken: string) =>
  env.db.orm.em.fork().nativeUpdate(Session, { tokenHash: sha256Hex(sessionToken) }, { mfaVerifiedAt: new Date() });

async function withPasskey(options: { userVerification?: boolean } = {}) {
  const email = uniqueEmail('passkey');
  const { sessionToken, userId } = tokenOf(await anon().auth.signup({ email, password: PASSWORD, name: 'P' }));
  const authenticator = device();
  const creation = await as(sessionToken).auth.mfa.passkeys.registrationOptions();
  const passkey = await as(sessionToken).auth.mfa.passkeys.register({
    response: authenticator.register(creation, options),
    name: 'Laptop',
  });
  return { email, userId, sessionToken, authenticator, passkey };
}

describe('passkeys', () => {
  it('registers for a session, lists, and becomes a factor sign-in asks for', async () => {
    const { email, sessionToken, passkey } = await withPasskey();
    expect(passkey).toMatchObject({ id: expect.stringMatching(/^pky_/), name: 'Laptop', backedUp: true });
    expect((await as(sessionToken).auth.mfa.passkeys.list()).items.map((k) => k.id)).toEqual([passkey.id]);
    expect(await as(sessionToken).auth.mfa.status()).toMatchObject({
      enabled: true,
      passkeys: 1,
      methods: ['passkey'],
    });
    expect(await anon().auth.login({ email, password: PASSWORD })).toMatchObject({
      mfaRequired: true,
      methods: ['passkey'],
    });
  });

  it('refuses a registration answering no options of this user, or twice', async () => {
    const a = await withPasskey();
    const b = await withPasskey();
    // Adding a second factor needs one proven lately: both sessions just did.
    for (const token of [a.sessionToken, b.sessionToken]) await provenNow(token);
    const options = await as(a.sessionToken).auth.mfa.passkeys.registrationOptions();
    const response = device().register(options);
    // B answers A's challenge: not theirs.
    expect(await refusalOf(as(b.sessionToken).auth.mfa.passkeys.register({ response }))).toBe(
      'FORBIDDEN:MFA_CODE_INVALID',
    );
    await as(a.sessionToken).auth.mfa.passkeys.register({ response });
    expect(await refusalOf(as(a.sessionToken).auth.mfa.passkeys.register({ response }))).toBe(
      'FORBIDDEN:MFA_CODE_INVALID',
    );
  });

  it('completes a sign-in as the second factor, with user verification off too, and a counter of 0 again', async () => {
    const { email, authenticator, userId } = await withPasskey({ userVerification: false });
    for (let i = 0; i < 2; i++) {
      const { challengeToken } = (await anon().auth.login({ email, password: PASSWORD })) as { challengeToken: string };
      const options = await anon().auth.passkeys.loginOptions();
      const session = tokenOf(
        await anon().auth.verifyMfa({
          challengeToken,
          passkeyResponse: authenticator.assert(options, { userVerification: false }),
        }),
      );
      expect((await as(session.sessionToken).auth.whoami()).userId).toBe(userId);
    }
  });

  it("does not complete another user's sign-in, nor answer one challenge twice", async () => {
    const victim = await withPasskey();
    const attacker = await withPasskey();
    const { challengeToken } = (await anon().auth.login({ email: victim.email, password: PASSWORD })) as {
      challengeToken: string;
    };
    const options = await anon().auth.passkeys.loginOptions();
    expect(
      await refusalOf(
        anon().auth.verifyMfa({ challengeToken, passkeyResponse: attacker.authenticator.assert(options) }),
      ),
    ).toBe('FORBIDDEN:MFA_CODE_INVALID');
    const answer = victim.authenticator.assert(options);
    tokenOf(await anon().auth.verifyMfa({ challengeToken, passkeyResponse: answer }));
    const again = (await anon().auth.login({ email: victim.email, password: PASSWORD })) as { challengeToken: string };
    expect(
      await refusalOf(anon().auth.verifyMfa({ challengeToken: again.challengeToken, passkeyResponse: answer })),
    ).toBe('FORBIDDEN:MFA_CODE_INVALID');
  });

  it('lets one of two concurrent uses of one assertion sign in', async () => {
    const { authenticator } = await withPasskey();
    const answer = authenticator.assert(await anon().auth.passkeys.loginOptions());
    const results = await Promise.allSettled([
      anon().auth.passkeys.login({ response: answer }),
      anon().auth.passkeys.login({ response: answer }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(await refusalOf(Promise.reject(lost.reason))).toBe('FORBIDDEN:MFA_CODE_INVALID');
  });

  it('signs in without a password only with user verification', async () => {
    const { authenticator, userId } = await withPasskey();
    const options = await anon().auth.passkeys.loginOptions();
    const session = tokenOf(await anon().auth.passkeys.login({ response: authenticator.assert(options) }));
    expect((await as(session.sessionToken).auth.whoami()).userId).toBe(userId);
    // A passkey sign-in proves a factor: step-up is satisfied.
    const row = await env.db.orm.em.fork().findOneOrFail(Session, { tokenHash: sha256Hex(session.sessionToken) });
    expect(row.mfaVerifiedAt).not.toBeNull();
    const presence = await anon().auth.passkeys.loginOptions();
    expect(
      await refusalOf(
        anon().auth.passkeys.login({ response: authenticator.assert(presence, { userVerification: false }) }),
      ),
    ).toBe('FORBIDDEN:MFA_CODE_INVALID');
  });

  it('adds a factor to an account that has one only with a factor proven lately', async () => {
    const { sessionToken } = await withPasskey();
    const options = await as(sessionToken).auth.mfa.passkeys.registrationOptions();
    expect(await refusalOf(as(sessionToken).auth.mfa.passkeys.register({ response: device().register(options) }))).toBe(
      'FORBIDDEN:MFA_STEP_UP_REQUIRED',
    );
    await as(sessionToken).auth.mfa.totp.enroll();
    expect(await refusalOf(as(sessionToken).auth.mfa.totp.confirm({ code: '123456' }))).toBe(
      'FORBIDDEN:MFA_STEP_UP_REQUIRED',
    );
    await provenNow(sessionToken);
    const again = await as(sessionToken).auth.mfa.passkeys.registrationOptions();
    await as(sessionToken).auth.mfa.passkeys.register({ response: device().register(again), name: 'Phone' });
    expect((await as(sessionToken).auth.mfa.passkeys.list()).items.map((k) => k.name)).toEqual(['Laptop', 'Phone']);
  });

  it('removes the last factor only with a factor proven in the last 10 minutes', async () => {
    const { sessionToken, passkey } = await withPasskey();
    await env.db.orm.em
      .fork()
      .nativeUpdate(
        Session,
        { tokenHash: sha256Hex(sessionToken) },
        { mfaVerifiedAt: new Date(Date.now() - STEP_UP_MS - 60_000) },
      );
    expect(await refusalOf(as(sessionToken).auth.mfa.passkeys.remove({ passkeyId: passkey.id }))).toBe(
      'FORBIDDEN:MFA_STEP_UP_REQUIRED',
    );
    await env.db.orm.em
      .fork()
      .nativeUpdate(Session, { tokenHash: sha256Hex(sessionToken) }, { mfaVerifiedAt: new Date() });
    await as(sessionToken).auth.mfa.passkeys.remove({ passkeyId: passkey.id });
    expect((await as(sessionToken).auth.mfa.status()).enabled).toBe(false);
    // Another user's passkey is not found.
    await provenNow(sessionToken);
    const other = await withPasskey();
    expect(await refusalOf(as(sessionToken).auth.mfa.passkeys.remove({ passkeyId: other.passkey.id }))).toBe(
      'NOT_FOUND:NOT_FOUND',
    );
  });
});
