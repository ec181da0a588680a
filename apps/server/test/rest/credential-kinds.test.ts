// REST through every kind of credential: a session, an API key (Bearer, and split into X-API-KEY +
// X-API-SECRET) and a service account's access token from POST /oauth/token. The path's organization
// is decided by the procedure chain, as for tRPC; and none but a session sets another person's password.
import { createLogTransport, createRuntime, type Runtime } from '@gatehouse/api';
import { ownerWithKey, sessionFor, uniqueEmail, useTestRuntime } from '@gatehouse/api/testing';
import { type Orm, openOrm } from '@gatehouse/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, appFor } from '../app.js';
import { call } from '../hostile/http.js';
import { type RestAnswer, rest } from './http.js';

const env = useTestRuntime();
let app: App;
beforeAll(() => {
  app = appFor(env.runtime);
});

const KINDS = ['session', 'apiKey', 'splitKey', 'serviceAccount'] as const;
type Kind = (typeof KINDS)[number];
const MACHINES = ['apiKey', 'splitKey', 'serviceAccount'] as const;

/** A refusal as problem+json with exactly this status, code and reason. */
function expectProblem(answer: RestAnswer, status: number, code: string, reason: string = code) {
  expect(answer.headers.get('content-type')).toBe('application/problem+json');
  expect({ status: answer.status, code: answer.body.code, reason: answer.body.reason }).toEqual({
    status,
    code,
    reason,
  });
}

/** An access token from POST /oauth/token for a new admin service account of the owner's organization. */
async function serviceAccountToken(on: App, owner: { key: string; organizationId: string }) {
  const org = `/organizations/${owner.organizationId}`;
  const sa = await rest(on, 'POST', `${org}/service-accounts`, {
    token: owner.key,
    body: { name: 'p', role: 'admin' },
  });
  const credential = await rest(on, 'POST', `${org}/service-accounts/${sa.body.id}/credentials`, {
    token: owner.key,
    body: { name: 'ci' },
  });
  const { client_id, client_secret } = credential.body as { client_id: string; client_secret: string };
  const response = await on.request('/oauth/token', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** An organization with an owner, and the headers of one credential of each kind acting in it. */
async function tenant(on: App = app, orm: Orm = env.db.orm) {
  const owner = await ownerWithKey(orm);
  const [, prefixId, secret] = owner.key.split('_') as [string, string, string];
  const headers: Record<Kind, Record<string, string>> = {
    session: { authorization: `Bearer ${await sessionFor(orm, owner.userId)}` },
    apiKey: { authorization: `Bearer ${owner.key}` },
    splitKey: { 'x-api-key': `gh_${prefixId}`, 'x-api-secret': secret },
    serviceAccount: { authorization: `Bearer ${await serviceAccountToken(on, owner)}` },
  };
  return { owner, headers };
}

describe('the organization of the path', () => {
  it.each(KINDS)('%s: its own organization is 200; another is 404 NOT_FOUND problem+json', async (kind) => {
    const { owner, headers } = await tenant();
    const stranger = await ownerWithKey(env.db.orm);
    const own = await rest(app, 'GET', `/organizations/${owner.organizationId}/users`, { headers: headers[kind] });
    expect(own.status).toBe(200);
    expect(own.body.items.map((u: { id: string }) => u.id)).toContain(owner.userId);
    for (const path of ['users', `users/${owner.userId}`, `users/${stranger.userId}`]) {
      const theirs = await rest(app, 'GET', `/organizations/${stranger.organizationId}/${path}`, {
        headers: headers[kind],
      });
      expectProblem(theirs, 404, 'NOT_FOUND');
    }
    // A write is refused the same way, and changes nothing in either organization.
    const email = uniqueEmail('rest-kind');
    const created = await rest(app, 'POST', `/organizations/${stranger.organizationId}/users`, {
      headers: headers[kind],
      body: { email, name: 'Nobody' },
    });
    expectProblem(created, 404, 'NOT_FOUND');
    expect(await env.db.orm.em.fork().execute('select id from users where email = ?', [email])).toEqual([]);
  });

  it('a forged or unsigned token naming the organization is 401, in it or elsewhere', async () => {
    const { owner, headers } = await tenant();
    const stranger = await ownerWithKey(env.db.orm);
    const good = (headers.serviceAccount.authorization as string).slice('Bearer '.length);
    const [header, payload, signature] = good.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string };
    for (const organizationId of [owner.organizationId, stranger.organizationId]) {
      const named = b64({ ...claims, org: organizationId });
      const forged = {
        unsigned: `${b64({ alg: 'none', typ: 'at+jwt', kid })}.${named}.`,
        tampered: `${header}.${named}.${signature}`,
      };
      for (const [name, token] of Object.entries(forged)) {
        if (name === 'tampered' && organizationId === owner.organizationId) continue; // that is the good token
        const answer = await rest(app, 'GET', `/organizations/${organizationId}/users`, { token });
        expect(`${name} ${answer.status}`).toBe(`${name} 401`);
        expectProblem(answer, 401, 'UNAUTHORIZED');
      }
    }
  });

  it('over tRPC, X-Gatehouse-Organization naming another organization is NOT_FOUND for every kind too', async () => {
    const { owner, headers } = await tenant();
    const stranger = await ownerWithKey(env.db.orm);
    for (const kind of KINDS) {
      const named = (organizationId: string) => ({
        query: true,
        headers: { ...headers[kind], 'x-gatehouse-organization': organizationId },
      });
      expect(`${kind} ${(await call(app, 'users.list', {}, named(owner.organizationId))).status}`).toBe(`${kind} 200`);
      const theirs = await call(app, 'auth.whoami', undefined, named(stranger.organizationId));
      expect(`${kind} ${theirs.error?.code}:${theirs.error?.reason}`).toBe(`${kind} NOT_FOUND:NOT_FOUND`);
    }
  });
});

describe('what a REST request costs the database', () => {
  let orm: Orm;
  let runtime: Runtime;
  const statements: string[] = [];
  let checkouts = 0;
  afterAll(async () => {
    await runtime?.stop();
    await orm?.close();
  });

  it('nothing more than the same call over tRPC: no query of its own, none on api_keys once the key is warm', async () => {
    // A process of its own whose ORM logs every statement it sends, and whose pool counts checkouts
    // (prepared statements go to the pool directly, past the ORM's log).
    orm = await openOrm({ url: env.db.url, debug: true, log: (line) => statements.push(line) });
    const pool = (await orm.em.getConnection().getNativeClient()) as { on(event: 'acquire', f: () => void): void };
    pool.on('acquire', () => checkouts++);
    runtime = await createRuntime({
      orm,
      publicUrl: 'http://gatehouse.test',
      mail: createLogTransport(() => {}),
      log: () => {},
    });
    const logged = appFor(runtime);
    const { owner, headers } = await tenant(logged, env.db.orm);
    const stranger = await ownerWithKey(env.db.orm);
    const cost = async (send: () => Promise<unknown>) => {
      statements.length = 0;
      checkouts = 0;
      await send();
      return {
        statements: statements.length,
        checkouts,
        apiKeys: statements.filter((s) => /from "?api_keys"?/.test(s)).length,
      };
    };
    const own = `/organizations/${owner.organizationId}/users`;
    const theirs = `/organizations/${stranger.organizationId}/users`;
    for (const kind of MACHINES) {
      const byRest = (path: string) => () => rest(logged, 'GET', path, { headers: headers[kind] });
      const byTrpc = () => call(logged, 'users.list', {}, { query: true, headers: headers[kind] });
      await byRest(own)(); // warm: the credential, the membership and the bindings are cached now
      const overTrpc = await cost(byTrpc);
      const overRest = await cost(byRest(own));
      // The page itself is one checkout (measured: 1 over each surface), so the counter does count.
      expect(overTrpc.checkouts).toBeGreaterThan(0);
      expect({ kind, ...overRest }).toEqual({ kind, ...overTrpc });
      expect({ kind, apiKeys: overRest.apiKeys }).toEqual({ kind, apiKeys: 0 });
      // Another organization in the path is refused from the caches alone.
      expect({ kind, ...(await cost(byRest(theirs))) }).toEqual({ kind, statements: 0, checkouts: 0, apiKeys: 0 });
    }
  });
});

describe('passwords of other people', () => {
  const create = (kind: Kind, headers: Record<Kind, Record<string, string>>, organizationId: string, body: object) =>
    rest(app, 'POST', `/organizations/${organizationId}/users`, { headers: headers[kind], body });

  it.each(MACHINES)(
    '%s: POST …/users with a password is 403 SESSION_ONLY; without, 201 and no password back',
    async (kind) => {
      const { owner, headers } = await tenant();
      const email = uniqueEmail('rest-kind');
      const refused = await create(kind, headers, owner.organizationId, {
        email,
        name: 'Ada',
        password: 'chosen-by-the-Machine-42',
      });
      expectProblem(refused, 403, 'FORBIDDEN', 'SESSION_ONLY');
      expect(await env.db.orm.em.fork().execute('select id from users where email = ?', [email])).toEqual([]);

      const created = await create(kind, headers, owner.organizationId, { email, name: 'Ada' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ email, status: 'active' });
      expect(created.body).not.toHaveProperty('generated_password');
      const [mail] = await env.db.orm.em
        .fork()
        .execute<{ kind: string }[]>('select kind from outbox_messages where to_address = ?', [email]);
      expect(mail?.kind).toBe('set_password');
    },
  );

  it('session: POST …/users may choose the password, or get a generated one', async () => {
    const { owner, headers } = await tenant();
    const chosen = await create('session', headers, owner.organizationId, {
      email: uniqueEmail('rest-kind'),
      name: 'Ada',
      password: 'chosen-by-a-Person-42',
    });
    expect(chosen.status).toBe(201);
    const generated = await create('session', headers, owner.organizationId, {
      email: uniqueEmail('rest-kind'),
      name: 'Bob',
    });
    expect(generated.body.generated_password).toMatch(/^[0-9A-Za-z]{24}$/);
  });

  it.each(MACHINES)('%s: POST …/pre-registrations mails every invitation and shows no link', async (kind) => {
    const { owner, headers } = await tenant();
    const path = `/organizations/${owner.organizationId}/pre-registrations`;
    const quiet = await rest(app, 'POST', path, {
      headers: headers[kind],
      body: { emails: [uniqueEmail('rest-kind')], send_invite_email: false },
    });
    expectProblem(quiet, 403, 'FORBIDDEN', 'SESSION_ONLY');
    const answer = await rest(app, 'POST', path, {
      headers: headers[kind],
      body: { emails: [uniqueEmail('rest-kind')] },
    });
    if (kind === 'serviceAccount') {
      // An invitation needs a person as its inviter.
      expectProblem(answer, 403, 'FORBIDDEN', 'USER_ONLY');
      return;
    }
    expect(answer.status).toBe(200);
    expect(answer.body.results[0]).toMatchObject({ outcome: 'invited', accept_invite_url: null });
  });
});
