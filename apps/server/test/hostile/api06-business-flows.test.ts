// OWASP API6:2023 Unrestricted Access to Sensitive Business Flows: sign-up, password-reset mail and
// invitation links are flows a script would love to drive; each has its budget, and each refusal
// says when to come back.
import { createLogTransport } from '@gatehouse/api';
import { ownerWithKey, useTestRuntime } from '@gatehouse/api/testing';
import { describe, expect, it } from 'vitest';
import { appFor } from '../app.js';
import { bearer, call, expectRefused, PASSWORD, signup, uniqueEmail } from './http.js';

const mail = createLogTransport(() => {});
const env = useTestRuntime({ mail });

describe('sensitive flows', () => {
  it('sign-up: twenty accounts an hour from one address', async () => {
    const app = appFor(env.runtime);
    const farm = '203.0.113.60';
    for (let i = 0; i < 20; i++) {
      const answer = await call(
        app,
        'auth.signup',
        { email: uniqueEmail('farm'), password: PASSWORD, name: 'F' },
        { peer: farm },
      );
      expect(answer.error).toBeUndefined();
    }
    expectRefused(
      await call(app, 'auth.signup', { email: uniqueEmail('farm'), password: PASSWORD, name: 'F' }, { peer: farm }),
      'TOO_MANY_REQUESTS',
    );
    expect(
      (
        await call(
          app,
          'auth.signup',
          { email: uniqueEmail('real'), password: PASSWORD, name: 'R' },
          { peer: '198.51.100.61' },
        )
      ).error,
    ).toBeUndefined();
  });

  it('password reset: three mails an hour to one inbox whoever asks, twenty requests an hour per address', async () => {
    const app = appFor(env.runtime);
    const { email } = await signup(app, 'inbox');
    for (let i = 0; i < 5; i++) {
      const answer = await call(app, 'auth.requestPasswordReset', { email }, { peer: `198.51.100.${70 + i}` });
      expect(answer.result).toEqual({ ok: true }); // the same answer, mailed or not
    }
    const [row] = await env.db.orm.em
      .fork()
      .execute<{ count: number }[]>(
        `select count(*)::int as count from outbox_messages where kind = 'password_reset' and lower(to_address) = lower(?)`,
        [email],
      );
    expect(row?.count).toBe(3);
    const spray = '203.0.113.70';
    for (let i = 0; i < 20; i++)
      await call(app, 'auth.requestPasswordReset', { email: uniqueEmail('spray') }, { peer: spray });
    expectRefused(
      await call(app, 'auth.requestPasswordReset', { email: uniqueEmail('spray') }, { peer: spray }),
      'TOO_MANY_REQUESTS',
    );
  });

  it('invitation links: 300 token calls an hour per address, five resends an hour per invitation', async () => {
    const app = appFor(env.runtime);
    const owner = await ownerWithKey(env.db.orm);
    const scanner = '203.0.113.80';
    // 300 calls already made this hour (the counter set as the window would hold it).
    await env.db.orm.em
      .fork()
      .execute(`insert into rate_limits (bucket, count, reset_at) values (?, 300, now() + interval '59 minutes')`, [
        `invitation-token:ip:${scanner}`,
      ]);
    const refused = expectRefused(
      await call(app, 'invitations.lookup', { token: `ghi_${'q'.repeat(43)}` }, { query: true, peer: scanner }),
      'TOO_MANY_REQUESTS',
    );
    expect(refused.details?.retryAfterSeconds).toBeGreaterThan(58 * 60);

    const invitation = (
      await call(
        app,
        'organizations.invite',
        { organizationId: owner.organizationId, email: uniqueEmail('pest') },
        { headers: bearer(owner.key) },
      )
    ).result as { id: string };
    for (let i = 0; i < 5; i++) {
      expect(
        (await call(app, 'invitations.resend', { invitationId: invitation.id }, { headers: bearer(owner.key) })).error,
      ).toBeUndefined();
    }
    expectRefused(
      await call(app, 'invitations.resend', { invitationId: invitation.id }, { headers: bearer(owner.key) }),
      'TOO_MANY_REQUESTS',
    );
  });
});
