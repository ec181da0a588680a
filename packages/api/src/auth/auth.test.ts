import { AuditEvent } from '@gatehouse/db';
import type { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { callerAs, callerFor, rejectionOf, tokenOf, uniqueEmail, useMailTestRuntime } from '../testing/fixtures.js';

const env = useMailTestRuntime();

let n = 0;
const anon = (ip = '127.0.0.1') => callerFor(env.runtime, {}, ip);
const PASSWORD = 'a sturdy passphrase 42';

async function signup(ip = `10.1.0.${++n}`) {
  const email = `person${++n}@Example.COM`;
  const result = tokenOf(await anon(ip).auth.signup({ email, password: PASSWORD, name: 'Person' }));
  return { ...result, email };
}

describe('sign-up and sessions', () => {
  it('signs up into no organization and authenticates with the session token', async () => {
    const { sessionToken, userId, expiresAt } = await signup();
    expect(sessionToken).toMatch(/^ghs_[0-9A-Za-z]{43}$/);
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now());
    const me = await callerAs(env.runtime, sessionToken).auth.whoami();
    expect(me).toMatchObject({ userId, organization: null, roles: [], principal: 'user' });
    expect(me.email).toMatch(/@example\.com$/);
  });

  it('refuses a second account for the same email in another case', async () => {
    const { email } = await signup();
    const error = await rejectionOf(
      anon().auth.signup({ email: email.toUpperCase(), password: PASSWORD, name: 'Twin' }),
    );
    expect(error.code).toBe('CONFLICT');
    expect((error.cause as { reason?: string }).reason).toBe('EMAIL_TAKEN');
  });

  it('explains a weak password', async () => {
    for (const password of ['short', 'Password123456!', 'aaaaaaaaaaaaaaaa', 'person99@example.com!!']) {
      const error = await rejectionOf(anon().auth.signup({ email: 'person99@example.com', password, name: 'W' }));
      expect(error.code).toBe('BAD_REQUEST');
    }
  });

  it('logs in, logs out, and the session is dead', async () => {
    const { email } = await signup();
    const { sessionToken } = tokenOf(await anon().auth.login({ email, password: PASSWORD }));
    expect((await callerAs(env.runtime, sessionToken).auth.whoami()).email).toBe(
      email.replace('Example.COM', 'example.com'),
    );
    await callerAs(env.runtime, sessionToken).auth.logout();
    expect((await rejectionOf(callerAs(env.runtime, sessionToken).auth.whoami())).code).toBe('UNAUTHORIZED');
  });

  it('answers an unknown email and a wrong password the same way', async () => {
    const { email } = await signup();
    const unknown = await rejectionOf(anon('10.9.9.1').auth.login({ email: 'nobody@example.com', password: PASSWORD }));
    const wrong = await rejectionOf(anon('10.9.9.1').auth.login({ email, password: `${PASSWORD}x` }));
    expect([unknown.code, unknown.message]).toEqual([wrong.code, wrong.message]);
    expect(wrong.code).toBe('UNAUTHORIZED');
  });
});

describe('login throttle', () => {
  it('stops one source after a few failures, says when to retry, and does not lock the owner out', async () => {
    const { email } = await signup();
    const attacker = anon('203.0.113.5');
    for (let i = 0; i < 5; i++) {
      expect((await rejectionOf(attacker.auth.login({ email, password: 'wrong password 123' }))).code).toBe(
        'UNAUTHORIZED',
      );
    }
    const blocked = await rejectionOf(attacker.auth.login({ email, password: PASSWORD }));
    expect(blocked.code).toBe('TOO_MANY_REQUESTS');
    expect((blocked.cause as { details?: { retryAfterSeconds: number } }).details?.retryAfterSeconds).toBeGreaterThan(
      0,
    );
    // The account's owner, from elsewhere, still gets in.
    expect(tokenOf(await anon('198.51.100.7').auth.login({ email, password: PASSWORD })).sessionToken).toBeTruthy();
  });
});

describe('passwords', () => {
  it('changes the password with the old one and ends the other sessions', async () => {
    const { email, sessionToken: current } = await signup();
    const { sessionToken: other } = tokenOf(await anon().auth.login({ email, password: PASSWORD }));
    expect(
      (
        await rejectionOf(
          callerAs(env.runtime, current).auth.changePassword({ oldPassword: 'not it at all!', newPassword: 'x' }),
        )
      ).code,
    ).toBe('FORBIDDEN');
    await callerAs(env.runtime, current).auth.changePassword({
      oldPassword: PASSWORD,
      newPassword: 'an even sturdier passphrase',
    });
    expect((await callerAs(env.runtime, current).auth.whoami()).email).toBeTruthy();
    expect((await rejectionOf(callerAs(env.runtime, other).auth.whoami())).code).toBe('UNAUTHORIZED');
    await anon().auth.login({ email, password: 'an even sturdier passphrase' });
  });

  it('resets a forgotten password through a single-use emailed link', async () => {
    const { email, userId } = await signup();
    const { sessionToken: before } = tokenOf(await anon().auth.login({ email, password: PASSWORD }));
    await anon().auth.requestPasswordReset({ email });
    const mail = await env.smtp.waitFor(
      (m) => m.to.includes(email.replace('Example.COM', 'example.com')) && m.subject.includes('Reset'),
    );
    const token = /reset-password\?token=([0-9A-Za-z]+)/.exec(mail.text)?.[1];
    expect(token).toBeTruthy();
    await anon().auth.resetPassword({ token: token as string, newPassword: 'brand new passphrase here' });
    expect((await rejectionOf(callerAs(env.runtime, before).auth.whoami())).code).toBe('UNAUTHORIZED');
    expect(
      (await rejectionOf(anon().auth.resetPassword({ token: token as string, newPassword: 'another new passphrase' })))
        .code,
    ).toBe('BAD_REQUEST');
    await anon().auth.login({ email, password: 'brand new passphrase here' });
    const audit = await env.db.orm.em.fork().find(AuditEvent, { targetId: userId, action: 'user.password_reset' });
    expect(audit).toHaveLength(1);
  });

  it('answers a reset request for an unknown email the same, and sends nothing', async () => {
    expect(await anon().auth.requestPasswordReset({ email: 'ghost@example.com' })).toEqual({ ok: true });
    // Mail is queued in the request's own transaction: none was, so none will be sent.
    const queued = await env.db.orm.em
      .fork()
      .execute(`select id from outbox_messages where to_address = 'ghost@example.com'`);
    expect(queued).toEqual([]);
  });
});

describe('concurrent sign-ups', () => {
  it('give one account per email, and the same CONFLICT to every loser', async () => {
    const email = uniqueEmail('race');
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) =>
        anon(`10.7.0.${i}`).auth.signup({ email, password: PASSWORD, name: 'Racer' }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
      expect((r.reason as TRPCError).code).toBe('CONFLICT');
    }
  });
});
