// The seed-004 User Management API at /graphql, over HTTP to the in-process app, on real PostgreSQL.
// Every refusal is compared with what /trpc says for the same request: same code, same reason.
import {
  callerFor,
  markEmailVerified,
  memberWithKey,
  ownerWithKey,
  uniqueEmail,
  useTestRuntime,
} from '@gatehouse/api/testing';
import { describe, expect, it } from 'vitest';
import { createGraphQLHandler, MAX_COST, MAX_DEPTH } from '../../src/graphql/handler.js';
import { appFor, testLogger } from '../app.js';
import { bearer, call, expectRefused, signup } from '../hostile/http.js';
import {
  DISABLE_USER,
  type GraphQLAnswer,
  gql,
  INVITE_USER,
  keyPair,
  LIST_USERS,
  UPDATE_USER_ACCOUNT_TYPE,
} from './http.js';

const env = useTestRuntime();

/** The one error of a refused operation, with its code and reason. */
function refusal(answer: GraphQLAnswer, code: string, reason: string = code) {
  expect(answer.errors, JSON.stringify(answer.data)).toHaveLength(1);
  const [error] = answer.errors ?? [];
  expect({ code: error?.extensions?.code, reason: error?.extensions?.reason }).toEqual({ code, reason });
  return error;
}

describe('listUsers', () => {
  it('lists active members and pending or expired invitations in the seed shape', async () => {
    const app = appFor(env.runtime);
    const owner = await ownerWithKey(env.db.orm, 'Acme');
    const { organizationId } = owner;
    const admin = await memberWithKey(env.db.orm, organizationId, 'admin');
    const member = await memberWithKey(env.db.orm, organizationId, 'member');
    const viewer = await memberWithKey(env.db.orm, organizationId, 'viewer');
    const gone = await memberWithKey(env.db.orm, organizationId, 'member');
    const trpc = callerFor(env.runtime, bearer(owner.key));
    await trpc.users.deactivate({ userId: gone.userId });
    const [pendingAdmin, pendingDev, expired, cancelled] = [
      uniqueEmail('max'),
      uniqueEmail('john'),
      uniqueEmail('old'),
      uniqueEmail('no'),
    ];
    await trpc.organizations.invite({ organizationId, email: pendingAdmin, role: 'admin' });
    await trpc.organizations.invite({ organizationId, email: pendingDev, role: 'member' });
    await trpc.organizations.invite({ organizationId, email: expired, role: 'admin' });
    const dropped = await trpc.organizations.invite({ organizationId, email: cancelled });
    await trpc.organizations.cancelInvitation({ organizationId, invitationId: dropped.id });
    await env.db.orm.em
      .fork()
      .execute(`update invitations set expires_at = now() - interval '1 day' where email = ?`, [expired]);

    const answer = await gql(app, LIST_USERS, { headers: keyPair(owner.key) });
    expect(answer.status).toBe(200);
    expect(answer.errors).toBeUndefined();
    const list = answer.data?.listUsers as {
      ok: boolean;
      activeUsers: { uid: string }[];
      invitedUsers: { email: string }[];
    };
    expect(list.ok).toBe(true);
    const byUid = (a: { uid: string }, b: { uid: string }) => a.uid.localeCompare(b.uid);
    expect([...list.activeUsers].sort(byUid)).toEqual(
      [
        { uid: owner.userId, email: owner.email, name: expect.any(String), accountType: 'ADMIN' },
        { uid: admin.userId, email: admin.email, name: 'Member', accountType: 'ADMIN' },
        { uid: member.userId, email: member.email, name: 'Member', accountType: 'DEVELOPER' },
        { uid: viewer.userId, email: viewer.email, name: 'Member', accountType: 'DEVELOPER' },
      ].sort(byUid),
    );
    const byEmail = (a: { email: string }, b: { email: string }) => a.email.localeCompare(b.email);
    expect([...list.invitedUsers].sort(byEmail)).toEqual(
      [
        { email: pendingAdmin, accountType: 'ADMIN', inviteStatus: 'ACTIVE' },
        { email: pendingDev, accountType: 'DEVELOPER', inviteStatus: 'ACTIVE' },
        { email: expired, accountType: 'ADMIN', inviteStatus: 'EXPIRED' },
      ].sort(byEmail),
    );
  });

  it('pages through every member and invitation, and refuses rather than truncates past its bound', async () => {
    const owner = await ownerWithKey(env.db.orm);
    for (let i = 0; i < 3; i++) await memberWithKey(env.db.orm, owner.organizationId, 'member');
    const serve = (maxListed: number) =>
      createGraphQLHandler({ runtime: env.runtime, logger: testLogger(), production: false, maxListed });
    const ask = async (maxListed: number) => {
      const res = await serve(maxListed).fetch(
        new Request('http://gatehouse.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: LIST_USERS }),
        }),
        { headers: new Headers(bearer(owner.key)), requestId: 'bounded', ip: '192.0.2.30' },
      );
      return (await res.json()) as Pick<GraphQLAnswer, 'data' | 'errors'>;
    };
    const all = (await ask(4)).data?.listUsers as { activeUsers: unknown[] };
    expect(all.activeUsers).toHaveLength(4);
    const over = (await ask(3)).errors?.[0];
    expect(over?.extensions).toMatchObject({ code: 'BAD_REQUEST', reason: 'BAD_REQUEST' });
    expect(over?.message).toContain('More than 3 members');
  });

  it('acts in the key’s organization only: another tenant’s members never appear', async () => {
    const app = appFor(env.runtime);
    const mine = await ownerWithKey(env.db.orm);
    const theirs = await ownerWithKey(env.db.orm);
    await memberWithKey(env.db.orm, theirs.organizationId, 'admin');
    const list = (await gql(app, LIST_USERS, { headers: keyPair(mine.key) })).data?.listUsers as {
      activeUsers: { uid: string }[];
    };
    expect(list.activeUsers.map((u) => u.uid)).toEqual([mine.userId]);
  });
});

describe('authentication', () => {
  it('accepts X-API-KEY (the key prefix) + X-API-SECRET (the secret), and Authorization: Bearer with the whole key', async () => {
    const app = appFor(env.runtime);
    const owner = await ownerWithKey(env.db.orm);
    const pair = keyPair(owner.key);
    expect(pair['x-api-key']).toMatch(/^gh_[a-z0-9]{8}$/);
    for (const headers of [pair, bearer(owner.key)]) {
      const answer = await gql(app, LIST_USERS, { headers });
      expect(answer.errors).toBeUndefined();
      expect(answer.data).toMatchObject({ listUsers: { ok: true } });
    }
  });

  it('refuses a wrong secret, a whole key as X-API-KEY and no credentials with 401 UNAUTHORIZED, as /trpc does', async () => {
    const app = appFor(env.runtime);
    const owner = await ownerWithKey(env.db.orm);
    const pair = keyPair(owner.key);
    const attempts: Record<string, string>[] = [
      { ...pair, 'x-api-secret': `${pair['x-api-secret']?.slice(0, -1)}${owner.key.endsWith('x') ? 'y' : 'x'}` },
      { 'x-api-key': owner.key, 'x-api-secret': pair['x-api-secret'] as string },
      bearer('gh_aaaaaaaa_not-a-key'),
      {},
    ];
    for (const [i, headers] of attempts.entries()) {
      const peer = `198.51.100.${i + 1}`;
      const answer = await gql(app, LIST_USERS, { headers, peer });
      expect(answer.status).toBe(401);
      expect(answer.data).toEqual({ listUsers: null });
      refusal(answer, 'UNAUTHORIZED');
      expectRefused(await call(app, 'auth.whoami', undefined, { headers, query: true, peer }), 'UNAUTHORIZED');
    }
  });
  it('takes a session too, acting in the organization X-Gatehouse-Organization names', async () => {
    const app = appFor(env.runtime);
    const { sessionToken, userId } = await signup(app, 'graphql-session');
    await markEmailVerified(env.db.orm, userId);
    const session = bearer(sessionToken);
    // No organization yet: refused as users.* refuse it.
    const none = await gql(app, LIST_USERS, { headers: session });
    expect(none.status).toBe(400);
    refusal(none, 'BAD_REQUEST');
    const first = (await call(app, 'organizations.create', { name: 'First' }, { headers: session })).result as {
      id: string;
    };
    const second = (await call(app, 'organizations.create', { name: 'Second' }, { headers: session })).result as {
      id: string;
    };
    const owner = await ownerWithKey(env.db.orm);
    await memberWithKey(env.db.orm, second.id, 'member');
    const inOrganization = async (organizationId: string) => {
      const headers = { ...session, 'x-gatehouse-organization': organizationId };
      const list = (await gql(app, LIST_USERS, { headers })).data?.listUsers as { activeUsers: unknown[] } | undefined;
      return list?.activeUsers.length;
    };
    expect(await inOrganization(first.id)).toBe(1);
    expect(await inOrganization(second.id)).toBe(2);
    // Not a member there: NOT_FOUND, never a peek.
    refusal(
      await gql(app, LIST_USERS, { headers: { ...session, 'x-gatehouse-organization': owner.organizationId } }),
      'NOT_FOUND',
    );
  });
});

describe('mutations', () => {
  it('inviteUser invites with the mapped role, as organizations.invite does', async () => {
    const app = appFor(env.runtime);
    const owner = await ownerWithKey(env.db.orm);
    const [dev, adm] = [uniqueEmail('alice'), uniqueEmail('bob')];
    for (const [email, accountType] of [
      [dev, 'DEVELOPER'],
      [adm, 'ADMIN'],
    ] as const) {
      const answer = await gql(app, INVITE_USER, { variables: { email, accountType }, headers: keyPair(owner.key) });
      expect(answer).toMatchObject({ status: 200, data: { inviteUser: { ok: true } } });
    }
    const invitations = await callerFor(env.runtime, bearer(owner.key)).organizations.listInvitations({
      organizationId: owner.organizationId,
    });
    expect(invitations.items.map((i) => [i.email, i.role, i.status])).toEqual([
      [adm, 'admin', 'pending'],
      [dev, 'member', 'pending'],
    ]);
  });

  it('inviteUser refuses an invalid email as BAD_REQUEST with the field named', async () => {
    const app = appFor(env.runtime);
    const owner = await ownerWithKey(env.db.orm);
    const answer = await gql(app, INVITE_USER, {
      variables: { email: 'not-an-email', accountType: 'DEVELOPER' },
      headers: keyPair(owner.key),
    });
    expect(answer.status).toBe(400);
    const error = refusal(answer, 'BAD_REQUEST');
    expect(Object.keys(error?.extensions?.fieldErrors as object)).toEqual(['email']);
  });

  it('updateUserAccountType changes the member’s role; disableUser deactivates their membership', async () => {
    const app = appFor(env.runtime);
    const owner = await ownerWithKey(env.db.orm);
    const member = await memberWithKey(env.db.orm, owner.organizationId, 'member');
    const as = { headers: keyPair(owner.key) };
    const members = async () =>
      (
        await callerFor(env.runtime, bearer(owner.key)).organizations.members({ organizationId: owner.organizationId })
      ).items.find((m) => m.userId === member.userId);

    const promoted = await gql(app, UPDATE_USER_ACCOUNT_TYPE, {
      ...as,
      variables: { uid: member.userId, accountType: 'ADMIN' },
    });
    expect(promoted.data).toEqual({ updateUserAccountType: { ok: true } });
    expect((await members())?.role).toBe('admin');
    await gql(app, UPDATE_USER_ACCOUNT_TYPE, { ...as, variables: { uid: member.userId, accountType: 'DEVELOPER' } });
    expect((await members())?.role).toBe('member');

    const disabled = await gql(app, DISABLE_USER, { ...as, variables: { uid: member.userId } });
    expect(disabled.data).toEqual({ disableUser: { ok: true } });
    expect((await members())?.status).toBe('deactivated');
    const list = (await gql(app, LIST_USERS, as)).data?.listUsers as { activeUsers: { uid: string }[] };
    expect(list.activeUsers.map((u) => u.uid)).toEqual([owner.userId]);
    // The disabled member's own key no longer works, here as over /trpc.
    const overTrpc = await call(app, 'auth.whoami', undefined, { headers: bearer(member.key), query: true });
    refusal(await gql(app, LIST_USERS, { headers: keyPair(member.key) }), 'UNAUTHORIZED', overTrpc.error?.reason);
  });

  it('refuses a member (not an admin) with FORBIDDEN and the reason /trpc gives', async () => {
    const app = appFor(env.runtime);
    const owner = await ownerWithKey(env.db.orm);
    const member = await memberWithKey(env.db.orm, owner.organizationId, 'member');
    const other = await memberWithKey(env.db.orm, owner.organizationId, 'member');
    const orgId = owner.organizationId;
    const cases = [
      [
        INVITE_USER,
        { email: uniqueEmail('x'), accountType: 'DEVELOPER' },
        'organizations.invite',
        { organizationId: orgId, email: uniqueEmail('y'), role: 'member' },
      ],
      [
        UPDATE_USER_ACCOUNT_TYPE,
        { uid: other.userId, accountType: 'ADMIN' },
        'organizations.updateMemberRole',
        { organizationId: orgId, userId: other.userId, role: 'admin' },
      ],
      [DISABLE_USER, { uid: other.userId }, 'users.deactivate', { userId: other.userId }],
    ] as const;
    for (const [query, variables, path, input] of cases) {
      const overTrpc = expectRefused(await call(app, path, input, { headers: bearer(member.key) }), 'FORBIDDEN');
      const answer = await gql(app, query, { variables, headers: keyPair(member.key) });
      expect(answer.status).toBe(403);
      const error = refusal(answer, 'FORBIDDEN', overTrpc.reason);
      expect(error?.message).toBe((await call(app, path, input, { headers: bearer(member.key) })).message);
    }
  });

  it('answers NOT_FOUND for a uid in another organization, as /trpc does', async () => {
    const app = appFor(env.runtime);
    const owner = await ownerWithKey(env.db.orm);
    const stranger = await ownerWithKey(env.db.orm);
    const theirs = await memberWithKey(env.db.orm, stranger.organizationId, 'member');
    for (const [query, variables] of [
      [UPDATE_USER_ACCOUNT_TYPE, { uid: theirs.userId, accountType: 'ADMIN' }],
      [DISABLE_USER, { uid: theirs.userId }],
    ] as const) {
      const answer = await gql(app, query, { variables, headers: keyPair(owner.key) });
      expect(answer.status).toBe(404);
      refusal(answer, 'NOT_FOUND');
    }
    expectRefused(
      await call(app, 'users.deactivate', { userId: theirs.userId }, { headers: bearer(owner.key) }),
      'NOT_FOUND',
    );
    // And the stranger's member is untouched.
    const still = await callerFor(env.runtime, bearer(stranger.key)).organizations.members({
      organizationId: stranger.organizationId,
    });
    expect(still.items.find((m) => m.userId === theirs.userId)).toMatchObject({ role: 'member', status: 'active' });
  });

  it('applies the service’s own rules: nobody changes their own role, over either surface', async () => {
    const app = appFor(env.runtime);
    const owner = await ownerWithKey(env.db.orm);
    const input = { organizationId: owner.organizationId, userId: owner.userId, role: 'member' };
    const overTrpc = await call(app, 'organizations.updateMemberRole', input, { headers: bearer(owner.key) });
    expectRefused(overTrpc, 'FORBIDDEN');
    const answer = await gql(app, UPDATE_USER_ACCOUNT_TYPE, {
      variables: { uid: owner.userId, accountType: 'DEVELOPER' },
      headers: keyPair(owner.key),
    });
    expect(answer.status).toBe(403);
    expect(refusal(answer, 'FORBIDDEN', overTrpc.error?.reason)?.message).toBe(overTrpc.message);
  });
});

describe('limits and production', () => {
  const INTROSPECTION = '{ __schema { queryType { name } types { name } } }';
  const DEEP_TYPE = '{ __type(name: "Query") { fields { type { ofType { ofType { ofType { name } } } } } } }';

  it('refuses documents past the depth and cost limits', async () => {
    const dev = appFor(env.runtime);
    const owner = await ownerWithKey(env.db.orm);
    const headers = keyPair(owner.key);
    // (Refused before execution: graphql-yoga answers a JSON client 200 with the errors and no data.)
    const deep = await gql(dev, DEEP_TYPE, { headers });
    expect(deep.data).toBeUndefined();
    expect(deep.errors?.[0]?.message).toContain(`Query depth limit of ${MAX_DEPTH} exceeded`);

    // One full listUsers fits; the same read aliased three times does not.
    expect((await gql(dev, LIST_USERS, { headers })).errors).toBeUndefined();
    const body = LIST_USERS.replace('query ListUsers { ', '').slice(0, -2);
    const aliased = `{ ${Array.from({ length: 3 }, (_, i) => `u${i}: ${body}`).join(' ')} }`;
    const costly = await gql(dev, aliased, { headers });
    expect(costly.data).toBeUndefined();
    expect(costly.errors?.[0]?.message).toContain(`Query Cost limit of ${MAX_COST} exceeded`);
  });

  it('serves introspection and suggestions in development only', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const headers = keyPair(owner.key);
    const dev = appFor(env.runtime);
    const prod = appFor(env.runtime, { production: true });

    const schema = await gql(dev, INTROSPECTION, { headers });
    expect(schema.errors).toBeUndefined();
    const hidden = await gql(prod, INTROSPECTION, { headers });
    expect(hidden.data ?? null).toBeNull();
    expect(hidden.errors?.[0]?.message).toMatch(/introspection/i);
    expect((await gql(prod, '{ __type(name: "Query") { name } }', { headers })).errors).toBeDefined();

    const typo = '{ listUser { ok } }';
    expect(JSON.stringify((await gql(dev, typo, { headers })).errors)).toContain('Did you mean');
    const blocked = await gql(prod, typo, { headers });
    expect(blocked.errors).toBeDefined();
    expect(JSON.stringify(blocked.errors)).not.toMatch(/did you mean|listUsers/i);

    // Limits hold in production too, without telling the limit.
    const deep = await gql(prod, DEEP_TYPE.replace('__type', '__typeX'), { headers });
    expect(deep.data).toBeUndefined();
    expect(deep.errors?.map((e) => e.message)).toContain('Syntax Error: Query validation error.');
    expect(JSON.stringify(deep.errors)).not.toContain(String(MAX_DEPTH));
    // And the seed's own query still works.
    expect((await gql(prod, LIST_USERS, { headers })).errors).toBeUndefined();
  });

  it('refuses mutations over GET and answers no GraphiQL page', async () => {
    const app = appFor(env.runtime);
    const owner = await ownerWithKey(env.db.orm);
    const mutation = encodeURIComponent(`mutation { disableUser(uid: "${owner.userId}") { ok } }`);
    const viaGet = await app.request(`/graphql?query=${mutation}`, { headers: keyPair(owner.key) });
    expect(viaGet.status).toBe(405);
    const page = await app.request('/graphql', { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type') ?? '').not.toContain('text/html');
  });
});
