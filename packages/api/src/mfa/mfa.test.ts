// Second factors (issue 29): TOTP enrolment and confirmation, a code working once (also under two
// requests at once), the ±1 step window, recovery codes (single use under concurrency), the two-step
// login with its challenge (expiry, single use, bound to its user, throttled), disable with step-up.
// Time: Date is frozen in the middle of a TOTP step (`frozen`), codes are made with otplib for chosen
// times, and database times are moved by backdating rows. Nothing sleeps.
import { MfaChallenge, MfaRecoveryCode, Session } from '@gatehouse/db';
import { generate } from 'otplib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { STEP_UP_MS } from '../access/step-up.js';
import { callerFor, ownerWithKey, refusalOf, tokenOf, uniqueEmail, useTestRuntime } from '../testing/fixtures.js';

const env = useTestRuntime();
const PASSWORD = 'a sturdy passphrase 42';
const STEP = 30_000;

let n = 0;
/** A fresh address per caller: the failure throttle counts per address, and tests must not share one. */
const nextIp = () => `10.29.${Math.floor(++n / 250)}.${n % 250}`;
const as = (token: string, ip = nextIp()) => callerFor(env.runtime, { authorization: `Bearer ${token}` }, ip);
const anon = (ip = nextIp()) => callerFor(env.runtime, {}, ip);

// The clock the server reads: frozen in the middle of a time step, so a code made "now" stays in its step.
let now = 0;
beforeEach(() => {
  now = Math.floor(Date.now() / STEP) * STEP + STEP / 2;
  vi.useFakeTimers({ toFake: ['Date'], now });
});
afterEach(() => vi.useRealTimers());

/** The TOTP code of `secret` at `offsetSteps` steps from the frozen now. */
const codeAt = (secret: string, offsetSteps = 0) =>
  generate({ secret, epoch: Math.floor((now + offsetSteps * STEP) / 1000) });

async function account() {
  const email = uniqueEmail('mfa');
  const { sessionToken, userId } = tokenOf(await anon().auth.signup({ email, password: PASSWORD, name: 'M' }));
  return { email, userId, sessionToken };
}

/** An account with TOTP confirmed (in the step before now, so "now" is still unused). */
async function enrolled() {
  const a = await account();
  const { secret } = await as(a.sessionToken).auth.mfa.totp.enroll();
  const { recoveryCodes } = await as(a.sessionToken).auth.mfa.totp.confirm({ code: await codeAt(secret, -1) });
  return { ...a, secret, recoveryCodes };
}

const challengeOf = async (email: string, cookie?: boolean) => {
  const answer = await anon().auth.login({ email, password: PASSWORD, ...(cookie ? { cookie } : {}) });
  if (!('mfaRequired' in answer)) throw new Error('Expected a second-factor challenge');
  return answer;
};

describe('auth.mfa.totp', () => {
  it('enrols with a secret, an otpauth URI and a QR code, and turns on with a first code', async () => {
    const { sessionToken, email } = await account();
    expect(await as(sessionToken).auth.mfa.status()).toMatchObject({ enabled: false, methods: [] });
    const enrolment = await as(sessionToken).auth.mfa.totp.enroll();
    expect(enrolment.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(enrolment.otpauthUri).toBe(
      `otpauth://totp/Gatehouse:${encodeURIComponent(email)}?secret=${enrolment.secret}&issuer=Gatehouse`,
    );
    expect(enrolment.qrSvg).toMatch(/^<svg[^>]*viewBox/);
    // Until confirmed, sign-in asks nothing more.
    expect('sessionToken' in (await anon().auth.login({ email, password: PASSWORD }))).toBe(true);

    expect(await refusalOf(as(sessionToken).auth.mfa.totp.confirm({ code: await codeAt(enrolment.secret, 5) }))).toBe(
      'FORBIDDEN:MFA_CODE_INVALID',
    );
    const { recoveryCodes } = await as(sessionToken).auth.mfa.totp.confirm({ code: await codeAt(enrolment.secret) });
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[0-9a-z]{4}(-[0-9a-z]{4}){3}$/);
    expect(await as(sessionToken).auth.mfa.status()).toMatchObject({
      enabled: true,
      recoveryCodesLeft: 10,
      methods: ['totp', 'recoveryCode'],
    });
    // Another enrolment would replace the factor: only after disabling it.
    expect(await refusalOf(as(sessionToken).auth.mfa.totp.enroll())).toBe('CONFLICT:MFA_ALREADY_ENABLED');
  });

  it('keeps the secret sealed at rest and the recovery codes as SHA-256 only', async () => {
    const { userId, secret, recoveryCodes } = await enrolled();
    const em = env.db.orm.em.fork();
    const [row] = await em.execute<{ secret_sealed: string }[]>(
      'select secret_sealed from mfa_totp where user_id = ?',
      [userId],
    );
    expect(row?.secret_sealed).toMatch(/^v1\./);
    expect(row?.secret_sealed).not.toContain(secret);
    const hashes = await em.find(MfaRecoveryCode, { userId });
    expect(hashes).toHaveLength(10);
    const stored = JSON.stringify(await em.execute('select * from mfa_recovery_codes where user_id = ?', [userId]));
    for (const code of recoveryCodes) expect(stored).not.toContain(code.replace(/-/g, ''));
    // Copied to another user, the sealed secret opens for nobody: codes of it are refused.
    const other = await enrolled();
    await em.execute('update mfa_totp set secret_sealed = ? where user_id = ?', [row?.secret_sealed, other.userId]);
    expect(await refusalOf(as(other.sessionToken).auth.mfa.stepUp({ code: await codeAt(secret) }))).toBe(
      'FORBIDDEN:MFA_CODE_INVALID',
    );
  });

  it('accepts one step either side of now, not two, and each code once', async () => {
    const { sessionToken, secret } = await enrolled();
    // Confirmed with the step before now: that code, and anything older, is spent.
    expect(await refusalOf(as(sessionToken).auth.mfa.stepUp({ code: await codeAt(secret, -1) }))).toBe(
      'FORBIDDEN:MFA_CODE_INVALID',
    );
    expect(await refusalOf(as(sessionToken).auth.mfa.stepUp({ code: await codeAt(secret, 2) }))).toBe(
      'FORBIDDEN:MFA_CODE_INVALID',
    );
    await as(sessionToken).auth.mfa.stepUp({ code: await codeAt(secret) });
    expect(await refusalOf(as(sessionToken).auth.mfa.stepUp({ code: await codeAt(secret) }))).toBe(
      'FORBIDDEN:MFA_CODE_INVALID',
    );
    await as(sessionToken).auth.mfa.stepUp({ code: await codeAt(secret, 1) });
    // After the next step's code, now's is older than the last accepted step: refused too.
    expect(await refusalOf(as(sessionToken).auth.mfa.stepUp({ code: await codeAt(secret) }))).toBe(
      'FORBIDDEN:MFA_CODE_INVALID',
    );
  });

  it('lets one of two concurrent uses of a code win', async () => {
    const { email, secret } = await enrolled();
    const [first, second] = await Promise.all([challengeOf(email), challengeOf(email)]);
    const code = await codeAt(secret);
    const results = await Promise.allSettled([
      anon().auth.verifyMfa({ challengeToken: first.challengeToken, code }),
      anon().auth.verifyMfa({ challengeToken: second.challengeToken, code }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected');
    expect(await refusalOf(Promise.reject((lost as PromiseRejectedResult).reason))).toBe('FORBIDDEN:MFA_CODE_INVALID');
  });

  it('is for a session only, and only its own user', async () => {
    const owner = await ownerWithKey(env.db.orm);
    expect(await refusalOf(as(owner.key).auth.mfa.totp.enroll())).toBe('FORBIDDEN:SESSION_ONLY');
    expect(await refusalOf(as(owner.key).auth.mfa.status())).toBe('FORBIDDEN:SESSION_ONLY');
    expect(await refusalOf(anon().auth.mfa.status())).toBe('UNAUTHORIZED:UNAUTHORIZED');
  });
});

describe('recovery codes', () => {
  it('each signs in once, also when two requests use one at the same time', async () => {
    const { email, recoveryCodes, sessionToken } = await enrolled();
    const [first, second] = await Promise.all([challengeOf(email), challengeOf(email)]);
    const recoveryCode = (recoveryCodes[0] as string).toUpperCase();
    const results = await Promise.allSettled([
      anon().auth.verifyMfa({ challengeToken: first.challengeToken, recoveryCode }),
      anon().auth.verifyMfa({ challengeToken: second.challengeToken, recoveryCode }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(await refusalOf(Promise.reject(lost.reason))).toBe('FORBIDDEN:MFA_CODE_INVALID');
    expect((await as(sessionToken).auth.mfa.status()).recoveryCodesLeft).toBe(9);
  });

  it('are replaced by regenerate with a fresh code; the old ones stop working', async () => {
    const { email, recoveryCodes, sessionToken, secret } = await enrolled();
    expect(
      await refusalOf(as(sessionToken).auth.mfa.recoveryCodes.regenerate({ code: await codeAt(secret, -1) })),
    ).toBe('FORBIDDEN:MFA_CODE_INVALID');
    const fresh = await as(sessionToken).auth.mfa.recoveryCodes.regenerate({ code: await codeAt(secret) });
    expect(fresh.recoveryCodes).toHaveLength(10);
    const { challengeToken } = await challengeOf(email);
    expect(await refusalOf(anon().auth.verifyMfa({ challengeToken, recoveryCode: recoveryCodes[1] as string }))).toBe(
      'FORBIDDEN:MFA_CODE_INVALID',
    );
    expect(
      'sessionToken' in
        (await anon().auth.verifyMfa({ challengeToken, recoveryCode: fresh.recoveryCodes[1] as string })),
    ).toBe(true);
  });
});

describe('two-step login', () => {
  it('answers a challenge instead of a session, and verifyMfa gives the session', async () => {
    const { email, secret, userId } = await enrolled();
    const challenge = await challengeOf(email);
    expect(challenge).toEqual({
      mfaRequired: true,
      challengeToken: expect.stringMatching(/^ghm_[0-9A-Za-z]{43}$/),
      methods: ['totp', 'recoveryCode'],
    });
    // Only the hash is stored.
    const stored = await env.db.orm.em.fork().find(MfaChallenge, { userId });
    expect(JSON.stringify(await env.db.orm.em.fork().execute('select * from mfa_challenges'))).not.toContain(
      challenge.challengeToken,
    );
    expect(stored.length).toBeGreaterThan(0);
    const session = tokenOf(
      await anon().auth.verifyMfa({ challengeToken: challenge.challengeToken, code: await codeAt(secret) }),
    );
    expect((await as(session.sessionToken).auth.whoami()).userId).toBe(userId);
    // Single use.
    expect(
      await refusalOf(
        anon().auth.verifyMfa({ challengeToken: challenge.challengeToken, code: await codeAt(secret, 1) }),
      ),
    ).toBe('UNAUTHORIZED:MFA_CHALLENGE_INVALID');
  });

  it('keeps the challenge open after a wrong code, and refuses it after 5 minutes', async () => {
    const { email, secret } = await enrolled();
    const { challengeToken } = await challengeOf(email);
    expect(await refusalOf(anon().auth.verifyMfa({ challengeToken, code: '000000' }))).toBe(
      'FORBIDDEN:MFA_CODE_INVALID',
    );
    await env.db.orm.em
      .fork()
      .nativeUpdate(MfaChallenge, { tokenHash: { $ne: '' }, usedAt: null }, { expiresAt: new Date(now - 1) });
    expect(await refusalOf(anon().auth.verifyMfa({ challengeToken, code: await codeAt(secret) }))).toBe(
      'UNAUTHORIZED:MFA_CHALLENGE_INVALID',
    );
    expect(await refusalOf(anon().auth.verifyMfa({ challengeToken: 'ghm_nothing', code: '123456' }))).toBe(
      'UNAUTHORIZED:MFA_CHALLENGE_INVALID',
    );
  });

  it("binds the challenge to its user: another account's code or recovery code does not complete it", async () => {
    const victim = await enrolled();
    const attacker = await enrolled();
    const { challengeToken } = await challengeOf(victim.email);
    expect(await refusalOf(anon().auth.verifyMfa({ challengeToken, code: await codeAt(attacker.secret) }))).toBe(
      'FORBIDDEN:MFA_CODE_INVALID',
    );
    expect(
      await refusalOf(anon().auth.verifyMfa({ challengeToken, recoveryCode: attacker.recoveryCodes[0] as string })),
    ).toBe('FORBIDDEN:MFA_CODE_INVALID');
    // The attacker's code was not spent on the victim's challenge, nor the victim's session made.
    expect(await env.db.orm.em.fork().count(Session, { userId: victim.userId })).toBe(1);
  });

  it('throttles wrong codes per account and address like passwords', async () => {
    const { email, secret } = await enrolled();
    const { challengeToken } = await challengeOf(email);
    const ip = nextIp();
    for (let i = 0; i < 5; i++) {
      expect(await refusalOf(anon(ip).auth.verifyMfa({ challengeToken, code: '000000' }))).toBe(
        'FORBIDDEN:MFA_CODE_INVALID',
      );
    }
    expect(await refusalOf(anon(ip).auth.verifyMfa({ challengeToken, code: await codeAt(secret) }))).toBe(
      'TOO_MANY_REQUESTS:TOO_MANY_REQUESTS',
    );
    // The person elsewhere is not locked out by that address's failures.
    expect('sessionToken' in (await anon().auth.verifyMfa({ challengeToken, code: await codeAt(secret) }))).toBe(true);
  });

  it('needs an answer or the other, not both', async () => {
    expect(
      await refusalOf(anon().auth.verifyMfa({ challengeToken: 'ghm_x', code: '123456', recoveryCode: 'abcd' })),
    ).toBe('BAD_REQUEST:BAD_REQUEST');
    expect(await refusalOf(anon().auth.verifyMfa({ challengeToken: 'ghm_x' }))).toBe('BAD_REQUEST:BAD_REQUEST');
  });
});

describe('auth.mfa.disable', () => {
  it('needs a factor proven in the last 10 minutes and a fresh code', async () => {
    const { sessionToken, secret, email } = await enrolled();
    // A minute past the window: the frozen clock may be up to 15 s off the database's.
    const [session] = await env.db.orm.em
      .fork()
      .find(Session, { userId: (await as(sessionToken).auth.whoami()).userId });
    await env.db.orm.em
      .fork()
      .nativeUpdate(Session, { id: session?.id as string }, { mfaVerifiedAt: new Date(now - STEP_UP_MS - 60_000) });
    expect(await refusalOf(as(sessionToken).auth.mfa.disable({ code: await codeAt(secret) }))).toBe(
      'FORBIDDEN:MFA_STEP_UP_REQUIRED',
    );
    await as(sessionToken).auth.mfa.stepUp({ code: await codeAt(secret) });
    expect(await refusalOf(as(sessionToken).auth.mfa.disable({ code: await codeAt(secret) }))).toBe(
      'FORBIDDEN:MFA_CODE_INVALID',
    );
    await as(sessionToken).auth.mfa.disable({ code: await codeAt(secret, 1) });
    expect(await as(sessionToken).auth.mfa.status()).toMatchObject({ enabled: false, recoveryCodesLeft: 0 });
    expect('sessionToken' in (await anon().auth.login({ email, password: PASSWORD }))).toBe(true);
  });
});
