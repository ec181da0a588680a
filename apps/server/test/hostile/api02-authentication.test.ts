// OWASP API2:2023 Broken Authentication: malformed credentials of every kind, throttles that stop
// guessing without locking anyone out, tokens that die when a password changes, and no answer or
// timing that tells an attacker which accounts or keys exist.
import { createLogTransport, createRuntime, generateKey } from '@gatehouse/api';
import { callerFor, ownerWithKey, useTestRuntime } from '@gatehouse/api/testing';
import { openOrm } from '@gatehouse/db';
import { afterAll, describe, expect, it } from 'vitest';
import { appFor } from '../app.js';
import { bearer, call, expectRefused, PASSWORD, signup, uniqueEmail } from './http.js';

const mail = createLogTransport(() => {});
const env = useTestRuntime({ mail });

const secret = (c: string) => c.repeat(43);

describe('malformed credentials', () => {
  it('are all the same UNAUTHORIZED, whatever their shape', async () => {
    const app = appFor(env.runtime);
    const owner = await ownerWithKey(env.db.orm);
    const [, prefixId = '', realSecret = ''] = owner.key.split('_');
    const other = await ownerWithKey(env.db.orm);
    const revoked = await ownerWithKey(env.db.orm);
    await call(app, 'auth.revokeKey', { keyId: revoked.keyId }, { headers: bearer(revoked.key) });

    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer' },
      { authorization: 'Bearer ' },
      { authorization: 'Basic dXNlcjpwYXNzd29yZA==' },
      { authorization: `Token ${owner.key}` },
      { authorization: 'Bearer gh_' },
      { authorization: 'Bearer gh__' },
      { authorization: `Bearer gh_${prefixId}` },
      { authorization: `Bearer gh_${prefixId}_` },
      { authorization: `Bearer gh_${prefixId.toUpperCase()}_${realSecret}` },
      { authorization: `Bearer gh_${prefixId}_${realSecret.slice(1)}` },
      { authorization: `Bearer gh_${prefixId}_${realSecret}x` },
      { authorization: `Bearer gh_${prefixId}_${realSecret}_extra` },
      { authorization: `Bearer gh_${prefixId}_${realSecret.slice(0, -1)}${realSecret.endsWith('A') ? 'B' : 'A'}` },
      { authorization: `Bearer gh_${prefixId}_${other.key.split('_')[2]}` },
      { authorization: `Bearer gh_zzzzzzzz_${secret('a')}` },
      { authorization: `Bearer gh_${"' or 1=1--"}_${secret('b')}` },
      { authorization: `Bearer gh_abcdefgh_${'\u00e9'.repeat(43)}` },
      { authorization: `Bearer ${'x'.repeat(8000)}` },
      { authorization: 'Bearer null' },
      { authorization: 'Bearer undefined' },
      { authorization: 'Bearer ghs_' },
      { authorization: `Bearer ghs_${secret('a')}` },
      { authorization: `Bearer ghs_${'!'.repeat(43)}` },
      { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c3JfeCJ9.' },
      { authorization: revoked.key },
      { authorization: `Bearer ${revoked.key}` },
      { 'x-api-key': `gh_${prefixId}` },
      { 'x-api-secret': realSecret },
      { 'x-api-key': `gh_${prefixId}`, 'x-api-secret': `${realSecret}x` },
      { 'x-api-key': owner.key, 'x-api-secret': realSecret },
      { 'x-api-key': `gh_${prefixId}`, 'x-api-secret': other.key.split('_')[2] as string },
      { 'x-api-key': 'gh_zzzzzzzz', 'x-api-secret': secret('c') },
    ];
    for (const [i, headers] of attempts.entries()) {
      const answer = await call(app, 'auth.whoami', undefined, { query: true, headers, peer: `203.0.113.${i}` });
      expectRefused(answer, 'UNAUTHORIZED');
      expect(answer.status).toBe(401);
      // Which kind of credential it looked like, nothing more (a three-part token is an access token).
      expect(answer.message).toMatch(
        /^(Missing credentials|Invalid API key|Invalid or expired session|Invalid access token)$/,
      );
    }
    // The genuine article, both ways, still works.
    expect(
      (await call(app, 'auth.whoami', undefined, { query: true, headers: bearer(owner.key) })).result,
    ).toMatchObject({
      userId: owner.userId,
    });
    const split = { 'x-api-key': `gh_${prefixId}`, 'x-api-secret': realSecret };
    expect((await call(app, 'auth.whoami', undefined, { query: true, headers: split })).result).toMatchObject({
      userId: owner.userId,
    });
  });
});

describe('throttles that count failures, not people', () => {
  it('never refuse a valid key because other calls from its address failed', async () => {
    const app = appFor(env.runtime);
    const owner = await ownerWithKey(env.db.orm);
    const { sessionToken } = await signup(app, 'nat');
    const nat = '198.18.0.1'; // one address for a whole office, one of whose services is misconfigured
    let refusedAt = 0;
    for (let i = 1; i <= 60 && !refusedAt; i++) {
      const answer = await call(app, 'auth.whoami', undefined, {
        query: true,
        headers: bearer(`gh_zzzzzzzz_${secret('d')}`),
        peer: nat,
      });
      if (answer.error?.code === 'TOO_MANY_REQUESTS') refusedAt = i;
      else expectRefused(answer, 'UNAUTHORIZED');
    }
    expect(refusedAt).toBe(51); // 50 failures a minute, then the failing caller is told to back off
    expectRefused(
      await call(app, 'auth.whoami', undefined, {
        query: true,
        headers: bearer(`gh_zzzzzzzz_${secret('d')}`),
        peer: nat,
      }),
      'TOO_MANY_REQUESTS',
    );
    // Every other service behind the same address carries on.
    for (const token of [owner.key, sessionToken]) {
      const answer = await call(app, 'auth.whoami', undefined, { query: true, headers: bearer(token), peer: nat });
      expect(answer.error).toBeUndefined();
    }
  });

  it('stop one address guessing one password after five tries, not the owner elsewhere', async () => {
    const app = appFor(env.runtime);
    const { email } = await signup(app, 'victim', '198.51.100.77');
    const attacker = '203.0.113.200';
    for (let i = 0; i < 5; i++) {
      expectRefused(
        await call(app, 'auth.login', { email, password: `wrong guess ${i}!!` }, { peer: attacker }),
        'UNAUTHORIZED',
      );
    }
    // The sixth try is refused before the password is looked at, even the right one.
    const refused = expectRefused(
      await call(app, 'auth.login', { email, password: PASSWORD }, { peer: attacker }),
      'TOO_MANY_REQUESTS',
    );
    expect(refused.details?.retryAfterSeconds).toBeGreaterThan(14 * 60);
    expect(
      (await call(app, 'auth.login', { email, password: PASSWORD }, { peer: '198.51.100.77' })).result,
    ).toMatchObject({
      sessionToken: expect.stringMatching(/^ghs_/),
    });
  });

  it('brake an account guessed at from sixty addresses, without locking its owner out', async () => {
    const app = appFor(env.runtime);
    const home = '198.51.100.88';
    const { email } = await signup(app, 'target', home); // signing up from home makes it a known address
    let braked = 0;
    for (let i = 0; i < 60; i++) {
      const answer = await call(
        app,
        'auth.login',
        { email, password: `botnet guess ${i}!` },
        { peer: `100.64.${i}.1` },
      );
      expect(['UNAUTHORIZED', 'TOO_MANY_REQUESTS']).toContain(answer.error?.reason);
      if (answer.error?.reason === 'TOO_MANY_REQUESTS') {
        braked++;
        expectRefused(answer, 'TOO_MANY_REQUESTS');
        expect(answer.error.details?.retryAfterSeconds).toBeLessThanOrEqual(60);
      }
    }
    // Ten guesses went through at full speed, then one per interval (5 s, then 10 s…): in a burst of
    // well under a second, 49 refused; a slow machine might let one or two more through.
    expect(braked).toBeGreaterThanOrEqual(45);
    // At home the owner goes straight to the password check: no wait, no lock.
    expect((await call(app, 'auth.login', { email, password: PASSWORD }, { peer: home })).result).toMatchObject({
      sessionToken: expect.stringMatching(/^ghs_/),
    });
    // From a new address during the attack: a wait of at most a minute, never a lock.
    const away = await call(app, 'auth.login', { email, password: PASSWORD }, { peer: '198.51.100.99' });
    if (away.error) expect(expectRefused(away, 'TOO_MANY_REQUESTS').details?.retryAfterSeconds).toBeLessThanOrEqual(60);
    else expect(away.result).toMatchObject({ sessionToken: expect.stringMatching(/^ghs_/) });
  });
});

describe('tokens die with the password they belonged to', () => {
  async function resetLinks(email: string, count: number): Promise<string[]> {
    const app = appFor(env.runtime);
    for (let i = 0; i < count; i++) await call(app, 'auth.requestPasswordReset', { email });
    for (let waited = 0; waited < 5000; waited += 20) {
      const links = mail
        .recent()
        .filter((m) => m.to === email && m.text.includes('reset-password'))
        .map((m) => /reset-password\?token=([0-9A-Za-z]+)/.exec(m.text)?.[1] as string);
      if (links.length >= count) return links;
      await new Promise((r) => setTimeout(r, 20)); // the queue's runner delivers after the commit
    }
    throw new Error('reset mail never arrived');
  }

  it('a completed reset voids the other reset links and ends every session', async () => {
    const app = appFor(env.runtime);
    const { email, sessionToken } = await signup(app, 'reset');
    const [first, second] = await resetLinks(email, 2);
    await call(app, 'auth.resetPassword', { token: second, newPassword: 'an entirely new passphrase' });
    expectRefused(
      await call(app, 'auth.resetPassword', { token: first, newPassword: 'the attacker passphrase 1' }),
      'BAD_REQUEST',
    );
    expectRefused(
      await call(app, 'auth.whoami', undefined, { query: true, headers: bearer(sessionToken) }),
      'UNAUTHORIZED',
    );
  });

  it('a password change voids reset links and ends the other sessions, keeping the current one', async () => {
    const app = appFor(env.runtime);
    const { email, sessionToken: current } = await signup(app, 'change');
    const other = (await call(app, 'auth.login', { email, password: PASSWORD })).result as { sessionToken: string };
    const [link] = await resetLinks(email, 1);
    const changed = await call(
      app,
      'auth.changePassword',
      { oldPassword: PASSWORD, newPassword: 'a changed passphrase 77' },
      { headers: bearer(current) },
    );
    expect(changed.error).toBeUndefined();
    expect(
      (await call(app, 'auth.whoami', undefined, { query: true, headers: bearer(current) })).error,
    ).toBeUndefined();
    expectRefused(
      await call(app, 'auth.whoami', undefined, { query: true, headers: bearer(other.sessionToken) }),
      'UNAUTHORIZED',
    );
    expectRefused(
      await call(app, 'auth.resetPassword', { token: link, newPassword: 'the attacker passphrase 2' }),
      'BAD_REQUEST',
    );
  });
});

describe('enumeration', () => {
  it('login: an unknown email and a wrong password answer alike, throttle included', async () => {
    const app = appFor(env.runtime);
    const { email } = await signup(app, 'enum');
    const unknown = uniqueEmail('nobody');
    const answers = { known: [] as string[], unknown: [] as string[] };
    for (let i = 0; i < 6; i++) {
      for (const [kind, address] of [
        ['known', email],
        ['unknown', unknown],
      ] as const) {
        const a = await call(
          app,
          'auth.login',
          { email: address, password: 'not the password!' },
          { peer: '203.0.113.150' },
        );
        answers[kind].push(`${a.status} ${a.error?.reason} ${a.message?.replace(/\d+ s$/, 'N s')}`);
      }
    }
    expect(answers.known).toEqual(answers.unknown);
    expect(answers.known.at(-1)).toMatch(/^429 TOO_MANY_REQUESTS/);
  });

  it('reset: the same answer whether or not the account exists, mail only to a real one', async () => {
    const app = appFor(env.runtime);
    const { email } = await signup(app, 'enum-reset');
    const unknown = uniqueEmail('ghost');
    const known = await call(app, 'auth.requestPasswordReset', { email });
    const ghost = await call(app, 'auth.requestPasswordReset', { email: unknown });
    expect([ghost.status, ghost.result]).toEqual([known.status, known.result]);
    expect(known.result).toEqual({ ok: true });
  });

  it('invitations: inviting an existing account and a new address look the same', async () => {
    const app = appFor(env.runtime);
    const owner = await ownerWithKey(env.db.orm);
    const { email: existing } = await signup(app, 'invitee');
    const fresh = uniqueEmail('fresh');
    const shapes = [];
    for (const email of [existing, fresh]) {
      const answer = await call(
        app,
        'organizations.invite',
        { organizationId: owner.organizationId, email },
        { headers: bearer(owner.key) },
      );
      expect(answer.error).toBeUndefined();
      const invitation = answer.result as Record<string, unknown>;
      expect(invitation).not.toHaveProperty('userId');
      shapes.push({ keys: Object.keys(invitation).sort(), status: invitation.status, role: invitation.role });
    }
    expect(shapes[0]).toEqual(shapes[1]);
    // A made-up token tells nothing either.
    expectRefused(await call(app, 'invitations.lookup', { token: `ghi_${secret('z')}` }, { query: true }), 'NOT_FOUND');
  });
});

describe('API key timing', () => {
  const orms: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const orm of orms) await orm.close();
  });

  it('a wrong secret for a live key costs what an unknown prefix costs (deterministic: the same queries, none)', async () => {
    const lookups: string[] = [];
    const orm = await openOrm({
      url: env.db.url,
      debug: true,
      log: (line) => {
        if (/from "?api_keys"?/.test(line)) lookups.push(line);
      },
    });
    orms.push(orm);
    const runtime = await createRuntime({
      orm,
      publicUrl: 'http://gatehouse.test',
      mail: createLogTransport(() => {}),
      log: () => {},
    });
    try {
      const owner = await ownerWithKey(env.db.orm);
      const [, prefixId] = owner.key.split('_');
      const whoami = (key: string) =>
        callerFor(runtime, bearer(key), '192.0.2.77')
          .auth.whoami()
          .catch(() => null);
      await whoami(owner.key); // now cached: a right secret costs no query at all
      const costOf = async (key: string) => {
        lookups.length = 0;
        await whoami(key);
        return lookups.length;
      };
      expect(await costOf(owner.key)).toBe(0);
      // Neither prefix follows from the secret presented: refused by the hash alone, no lookup.
      const wrongSecret = await costOf(`gh_${prefixId}_${secret('w')}`);
      const unknownPrefix = await costOf(`gh_qqqqqqqq_${secret('w')}`);
      expect(wrongSecret).toBe(0);
      expect(unknownPrefix).toBe(0);
      // Only a key as this server makes them (its prefix derived from its secret) is looked up.
      expect(await costOf(generateKey().key)).toBe(1);
    } finally {
      await runtime.stop();
    }
  });

  it('and takes about as long (generous statistical bound: medians within 3x)', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const [, prefixId] = owner.key.split('_');
    const caller = (key: string, i: number) => callerFor(env.runtime, bearer(key), `192.0.3.${i % 200}`);
    await caller(owner.key, 0).auth.whoami();
    const samples = { wrong: [] as number[], unknown: [] as number[] };
    for (let i = 0; i < 150; i++) {
      for (const kind of ['wrong', 'unknown'] as const) {
        const key = kind === 'wrong' ? `gh_${prefixId}_${secret('t')}` : `gh_tttttttt_${secret('t')}`;
        const started = performance.now();
        await caller(key, i)
          .auth.whoami()
          .catch(() => null);
        samples[kind].push(performance.now() - started);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const ratio = median(samples.wrong) / median(samples.unknown);
    expect(ratio).toBeGreaterThan(1 / 3);
    expect(ratio).toBeLessThan(3);
  });
});
