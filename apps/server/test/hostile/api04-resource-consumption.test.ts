// OWASP API4:2023 Unrestricted Resource Consumption: bodies and nesting bounded before parsing,
// text that PostgreSQL (or a terminal) would choke on refused at the door, and hourly budgets on
// what costs someone else (invitation mail) or the deployment (organizations).
import { markEmailVerified, ownerWithKey, sessionFor, useTestRuntime } from '@gatehouse/api/testing';
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../src/app.js';
import { appFor, fromPeer } from '../app.js';
import { bearer, call, expectRefused, signup, uniqueEmail } from './http.js';

const env = useTestRuntime({ budgets: { invitesPerHour: 5, organizationsPerHour: 2 } });

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

async function problemOf(res: Response) {
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  return (await res.json()) as { type: string; title: string; status: number; detail: string; reason: string };
}

describe('request bounds', () => {
  it('refuses a body over the limit with 413 and a problem, before reading it', async () => {
    const app = appFor(env.runtime, { bodyLimit: 1024 * 1024 });
    const owner = await ownerWithKey(env.db.orm);
    let pulled = 0;
    const tenMegabytes = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 64 * 1024;
        if (pulled > 10 * 1024 * 1024) controller.close();
        else controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
      },
    });
    const declared = await app.request(
      '/trpc/auth.createKey',
      {
        method: 'POST',
        headers: {
          ...bearer(owner.key),
          'content-type': 'application/json',
          'content-length': String(10 * 1024 * 1024),
        },
        body: tenMegabytes,
        duplex: 'half',
      } as RequestInit,
      fromPeer('192.0.2.40'),
    );
    expect(declared.status).toBe(413);
    expect(await problemOf(declared)).toMatchObject({
      status: 413,
      title: 'Payload Too Large',
      reason: 'PAYLOAD_TOO_LARGE',
    });
    expect(pulled).toBeLessThanOrEqual(128 * 1024); // refused on its Content-Length, not read

    // Without a length (chunked), it is counted as it streams and cut off at the limit.
    pulled = 0;
    const chunked = await app.request(
      '/trpc/auth.createKey',
      {
        method: 'POST',
        headers: { ...bearer(owner.key), 'content-type': 'application/json' },
        body: new ReadableStream<Uint8Array>({
          pull(controller) {
            pulled += 64 * 1024;
            controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
          },
        }),
        duplex: 'half',
      } as RequestInit,
      fromPeer('192.0.2.40'),
    );
    expect(chunked.status).toBe(413);
    expect(pulled).toBeLessThan(2 * 1024 * 1024);
    // Just under the limit is an ordinary request.
    const padded = `${JSON.stringify({ json: { name: 'padded' } })}${' '.repeat(1000 * 1000)}`;
    expect(
      (await call(app, 'auth.createKey', undefined, { raw: padded, headers: bearer(owner.key) })).error,
    ).toBeUndefined();
  });

  it('refuses JSON nested 10,000 deep with a clear 400, in a body or a query', async () => {
    const app = appFor(env.runtime);
    const body = `{"json":{"email":${nested(10_000)}}}`;
    const res = await app.request('/trpc/auth.login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(400);
    const problem = await problemOf(res);
    expect(problem.detail).toBe(`JSON input is nested deeper than ${MAX_JSON_DEPTH} levels`);
    expect(problem.detail).not.toMatch(/stack/i);
    const query = await app.request(`/trpc/users.list?input=${encodeURIComponent(`{"json":${nested(5000)}}`)}`);
    expect(query.status).toBe(400);
    // Brackets inside strings (escaped quotes included) are text, not nesting.
    const owner = await ownerWithKey(env.db.orm);
    const bracketed = await call(
      app,
      'auth.createKey',
      { name: `\\"${'['.repeat(90)}"\\` },
      { headers: bearer(owner.key) },
    );
    expect(bracketed.error).toBeUndefined();
    // Deep but within the HTTP bound: the input check names where it went too deep.
    const deep = await call(app, 'auth.login', { email: JSON.parse(nested(40)), password: 'x' });
    const fields = expectRefused(deep, 'BAD_REQUEST').fieldErrors ?? {};
    expect(Object.values(fields)).toEqual([['Nested deeper than 32 levels']]);
    expect(Object.keys(fields)[0]).toMatch(/^email(\.0)+$/);
  });

  it('refuses NUL and other control characters in every text input, naming the field', async () => {
    const app = appFor(env.runtime);
    const owner = await ownerWithKey(env.db.orm);
    const as = { headers: bearer(owner.key) };
    const cases: [string, unknown, string, { query?: boolean; headers?: Record<string, string> }][] = [
      ['users.list', { search: 'a\u0000b' }, 'search', { ...as, query: true }],
      ['auth.login', { email: 'a\u0000@example.com', password: 'whatever it is' }, 'email', {}],
      ['auth.login', { email: 'a@example.com', password: 'pass\u0000word!!' }, 'password', {}],
      ['auth.signup', { email: 'b@example.com', password: 'a sturdy passphrase', name: 'Eve\u001b[2J' }, 'name', {}],
      ['organizations.create', { name: 'Acme\u0007' }, 'name', as],
      ['users.create', { email: 'c@example.com', name: 'Bell\u007f' }, 'name', as],
      ['auth.createKey', { name: 'key', metadata: { 'k\u0000': 'v' } }, 'metadata.k?', as],
      ['auth.createKey', { name: 'key', metadata: { note: ['ok', 'bad\u0085'] } }, 'metadata.note.1', as],
      ['invitations.lookup', { token: 'ghi_\u0000' }, 'token', { query: true }],
      ['users.preRegister', { emails: ['ok@example.com', 'x\u0000@example.com'] }, 'emails.1', as],
    ];
    for (const [path, input, field, opts] of cases) {
      const answer = await call(app, path, input, opts);
      const data = expectRefused(answer, 'BAD_REQUEST');
      expect(data.fieldErrors, path).toEqual({ [field]: ['Must not contain control characters'] });
    }
    // Tab, line feed and carriage return are text.
    const created = await call(
      app,
      'organizations.update',
      { organizationId: owner.organizationId, description: 'two\nlines\tand a tab\r\n' },
      as,
    );
    expect(created.error).toBeUndefined();
  });

  it('bounds batches and pages', async () => {
    const app = appFor(env.runtime);
    const owner = await ownerWithKey(env.db.orm);
    const eleven = Array(11).fill('auth.whoami').join(',');
    const res = await app.request(`/trpc/${eleven}?batch=1&input=${encodeURIComponent('{}')}`, {
      headers: bearer(owner.key),
    });
    expect(res.status).toBe(400);
    expectRefused(
      await call(app, 'users.list', { limit: 201 }, { query: true, headers: bearer(owner.key) }),
      'BAD_REQUEST',
    );
  });
});

describe('abuse budgets', () => {
  const backdate = (bucket: string) =>
    env.db.orm.em
      .fork()
      .execute(`update rate_limits set reset_at = now() - interval '1 second' where bucket like ?`, [bucket]);

  it('count every invitation email against the organization, preRegister and users.create included', async () => {
    const app = appFor(env.runtime);
    const owner = await ownerWithKey(env.db.orm);
    const as = { headers: bearer(owner.key) };
    // The owner signed in: only a person creates accounts without mailing them (a key's are mailed a link).
    const person = { headers: bearer(await sessionFor(env.db.orm, owner.userId)) };
    const emails = (n: number) => Array.from({ length: n }, () => uniqueEmail('batch'));

    // Six mails do not fit in a budget of five: the whole batch is refused, nothing is created.
    const six = emails(6);
    const tooBig = expectRefused(
      await call(app, 'users.preRegister', { emails: six, sendInviteEmail: true }, as),
      'TOO_MANY_REQUESTS',
    );
    expect(tooBig.details?.retryAfterSeconds).toBeGreaterThan(0);
    const none = await env.db.orm.em.fork().execute('select 1 from users where email in (?)', [six]);
    expect(none).toHaveLength(0);
    // Without email, pre-registering sends nothing and costs nothing.
    expect((await call(app, 'users.preRegister', { emails: emails(8) }, person)).error).toBeUndefined();

    expect(
      (await call(app, 'users.preRegister', { emails: emails(3), sendInviteEmail: true }, as)).error,
    ).toBeUndefined();
    for (let i = 0; i < 2; i++) {
      const created = await call(
        app,
        'users.create',
        { email: uniqueEmail('one'), name: 'One', sendInviteEmail: true },
        as,
      );
      expect(created.error).toBeUndefined();
    }
    // Five sent: every way of mailing an invitation is now refused for the hour…
    expectRefused(
      await call(app, 'users.create', { email: uniqueEmail('x'), name: 'X', sendInviteEmail: true }, as),
      'TOO_MANY_REQUESTS',
    );
    expectRefused(
      await call(app, 'organizations.invite', { organizationId: owner.organizationId, email: uniqueEmail('y') }, as),
      'TOO_MANY_REQUESTS',
    );
    expectRefused(
      await call(app, 'users.preRegister', { emails: emails(1), sendInviteEmail: true }, as),
      'TOO_MANY_REQUESTS',
    );
    // …a key's creation too, since it mails its person a link to choose a password…
    expectRefused(await call(app, 'users.create', { email: uniqueEmail('link'), name: 'L' }, as), 'TOO_MANY_REQUESTS');
    // …but not another organization's, and not a creation that mails nothing.
    const other = await ownerWithKey(env.db.orm);
    expect(
      (
        await call(
          app,
          'organizations.invite',
          { organizationId: other.organizationId, email: uniqueEmail('z') },
          { headers: bearer(other.key) },
        )
      ).error,
    ).toBeUndefined();
    expect(
      (await call(app, 'users.create', { email: uniqueEmail('quiet'), name: 'Quiet' }, person)).error,
    ).toBeUndefined();
    // An hour later (the window backdated), mail flows again.
    await backdate(`invite:org:${owner.organizationId}`);
    expect(
      (
        await call(
          app,
          'organizations.invite',
          { organizationId: owner.organizationId, email: uniqueEmail('later') },
          as,
        )
      ).error,
    ).toBeUndefined();
  });

  it('bound organizations created per user per hour', async () => {
    const app = appFor(env.runtime);
    const { sessionToken, userId } = await signup(app, 'founder');
    await markEmailVerified(env.db.orm, userId);
    const as = { headers: bearer(sessionToken) };
    for (let i = 0; i < 2; i++)
      expect((await call(app, 'organizations.create', { name: `Spam ${i}` }, as)).error).toBeUndefined();
    expectRefused(await call(app, 'organizations.create', { name: 'Spam 3' }, as), 'TOO_MANY_REQUESTS');
    const { sessionToken: someoneElse, userId: someoneElseId } = await signup(app, 'founder2');
    await markEmailVerified(env.db.orm, someoneElseId);
    expect(
      (await call(app, 'organizations.create', { name: 'Legit' }, { headers: bearer(someoneElse) })).error,
    ).toBeUndefined();
    await backdate(`org-create:user:${userId}`);
    expect((await call(app, 'organizations.create', { name: 'Next hour' }, as)).error).toBeUndefined();
  });
});
