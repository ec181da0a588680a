// The two-step sign-in over HTTP (issue 29): with a second factor, auth.login sets no cookie and answers
// a challenge; auth.verifyMfa sets the cookie (when login asked for one) or answers the token. Over
// /trpc and /api/v1 alike.
import { callerFor, seedTotp, uniqueEmail, useTestRuntime } from '@gatehouse/api/testing';
import { describe, expect, it } from 'vitest';
import { appFor, fromPeer } from './app.js';

const env = useTestRuntime();
const PASSWORD = 'a sturdy passphrase 42';
let n = 0;
const peer = () => fromPeer(`198.51.100.${++n % 250}`);

async function withFactor() {
  const email = uniqueEmail('mfa-http');
  const { userId } = (await callerFor(env.runtime).auth.signup({ email, password: PASSWORD, name: 'M' })) as {
    userId: string;
  };
  const totp = await seedTotp(env.runtime, env.db.orm, userId);
  return { email, userId, totp };
}

const post = (path: string, body: unknown) =>
  appFor(env.runtime).request(
    path,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    peer(),
  );

describe('two-step sign-in over HTTP', () => {
  it('sets the cookie only once the second step succeeds (tRPC)', async () => {
    const { email, totp } = await withFactor();
    const login = await post('http://localhost/trpc/auth.login', { json: { email, password: PASSWORD, cookie: true } });
    expect(login.status).toBe(200);
    expect(login.headers.getSetCookie()).toEqual([]);
    const challenge = ((await login.json()) as { result: { data: { json: Record<string, unknown> } } }).result.data
      .json;
    expect(challenge).toEqual({
      mfaRequired: true,
      challengeToken: expect.stringMatching(/^ghm_/),
      // A seeded factor without recovery codes: TOTP only.
      methods: ['totp'],
    });
    const wrong = await post('http://localhost/trpc/auth.verifyMfa', {
      json: { challengeToken: challenge.challengeToken, code: '000000' },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.headers.getSetCookie()).toEqual([]);
    const verified = await post('http://localhost/trpc/auth.verifyMfa', {
      json: { challengeToken: challenge.challengeToken, code: await totp.code() },
    });
    expect(verified.status).toBe(200);
    expect(verified.headers.getSetCookie()[0]).toMatch(/^gatehouse_session=ghs_\w{43}; Path=\/; HttpOnly/);
    const session = ((await verified.json()) as { result: { data: { json: Record<string, unknown> } } }).result.data
      .json;
    expect(Object.keys(session).sort()).toEqual(['cookie', 'csrfToken', 'expiresAt']);
  });

  it('answers the challenge and then the token over REST', async () => {
    const { email, totp } = await withFactor();
    const login = await post('http://localhost/api/v1/auth/login', { email, password: PASSWORD });
    expect(login.status).toBe(200);
    const challenge = (await login.json()) as { mfa_required: boolean; challenge_token: string; methods: string[] };
    expect(challenge).toMatchObject({ mfa_required: true, methods: ['totp'] });
    const verified = await post('http://localhost/api/v1/auth/mfa-verification', {
      challenge_token: challenge.challenge_token,
      code: await totp.code(),
    });
    expect(verified.status).toBe(200);
    expect(((await verified.json()) as { session_token: string }).session_token).toMatch(/^ghs_/);
  });
});
