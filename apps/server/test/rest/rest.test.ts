import {
  markEmailVerified,
  memberWithKey,
  ownerWithKey,
  platformAdminWithKey,
  useTestRuntime,
} from '@gatehouse/api/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { type App, appFor } from '../app.js';
import { type RestAnswer, rest } from './http.js';

const env = useTestRuntime();
let app: App;
beforeAll(() => {
  app = appFor(env.runtime);
});

const MISSING_ORG = 'org_00000000000000000000000000';
const MISSING_SA = 'sa_00000000000000000000000000';

/** A refusal as RFC 9457 problem details, with exactly this status, code and reason. */
function expectProblem(answer: RestAnswer, status: number, code: string, reason: string = code) {
  expect(answer.headers.get('content-type')).toBe('application/problem+json');
  // The app's security headers hold on REST answers as on every other.
  expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
  expect(answer.headers.get('cache-control')).toBe('no-store');
  expect(answer.body).toMatchObject({ type: 'about:blank', status, code, reason });
  expect(typeof answer.body.title).toBe('string');
  expect(typeof answer.body.detail).toBe('string');
  expect(answer.status).toBe(status);
  return answer.body;
}

describe('REST wire format', () => {
  it('speaks snake_case, ISO timestamps and expand[]=permissions', async () => {
    const owner = await ownerWithKey(env.db.orm, 'Snake Inc');
    const plain = await rest(app, 'GET', `/organizations/${owner.organizationId}`, { token: owner.key });
    expect(plain.status).toBe(200);
    expect(plain.body).toMatchObject({ id: owner.organizationId, name: 'Snake Inc', sso_enabled: false });
    expect(plain.body.created_at).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    expect(plain.body).not.toHaveProperty('createdAt');
    expect(plain.body).not.toHaveProperty('permissions');

    const expanded = await rest(app, 'GET', `/organizations/${owner.organizationId}?expand[]=permissions`, {
      token: owner.key,
    });
    expect(expanded.body.permissions.organizations).toMatchObject({ read: true, update: true });

    // Map keys are data: a key's metadata comes back as it was sent.
    const key = await rest(app, 'POST', '/api-keys', {
      token: owner.key,
      body: { name: 'ci', expires_in_days: 30, metadata: { buildId: 7, team_name: 'x' } },
    });
    expect(key.status).toBe(201);
    expect(key.body).toMatchObject({ name: 'ci', key_prefix: expect.stringMatching(/^gh_/) });
    expect(key.body.key).toMatch(/^gh_/);
    const fetched = await rest(app, 'GET', `/api-keys/${key.body.id}`, { token: owner.key });
    expect(fetched.body.metadata).toEqual({ buildId: 7, team_name: 'x' });
    expect(fetched.body.organization_id).toBe(owner.organizationId);
  });

  it('pages lists as { items, page_info } with the cursor moving forward', async () => {
    const owner = await ownerWithKey(env.db.orm);
    for (const name of ['a', 'b', 'c']) {
      expect((await rest(app, 'POST', '/api-keys', { token: owner.key, body: { name } })).status).toBe(201);
    }
    const first = await rest(app, 'GET', '/api-keys?limit=2', { token: owner.key });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.page_info).toEqual({
      has_next_page: true,
      has_prev_page: false,
      end_cursor: expect.any(String),
      start_cursor: null,
    });
    const second = await rest(
      app,
      'GET',
      `/api-keys?limit=2&cursor=${encodeURIComponent(first.body.page_info.end_cursor)}`,
      { token: owner.key },
    );
    expect(second.body.items).toHaveLength(2); // the bootstrap key and one more
    expect(second.body.page_info).toMatchObject({ has_next_page: false, has_prev_page: true });
    const ids = [...first.body.items, ...second.body.items].map((k: { id: string }) => k.id);
    expect(new Set(ids).size).toBe(4);

    const tampered = await rest(app, 'GET', '/api-keys?cursor=abc.def', { token: owner.key });
    expectProblem(tampered, 400, 'BAD_REQUEST', 'INVALID_CURSOR');
  });

  it('answers { ok: true } procedures with 204 and creations with 201', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const sa = await rest(app, 'POST', `/organizations/${owner.organizationId}/service-accounts`, {
      token: owner.key,
      body: { name: 'deployer', role: 'org_viewer' },
    });
    expect(sa.status).toBe(201);
    expect(sa.body).toMatchObject({ name: 'deployer', role: 'viewer', organization_id: owner.organizationId });
    const gone = await rest(app, 'DELETE', `/organizations/${owner.organizationId}/service-accounts/${sa.body.id}`, {
      token: owner.key,
    });
    expect(gone.status).toBe(204);
    expect(gone.body).toBeUndefined();
  });
});

describe('REST problems', () => {
  it('401 without a credential, with the same reason as tRPC', async () => {
    const anonymous = await rest(app, 'GET', '/me');
    expectProblem(anonymous, 401, 'UNAUTHORIZED');
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    expectProblem(await rest(app, 'GET', '/me', { token: 'gh_nothing1_x' }), 401, 'UNAUTHORIZED');
  });

  it('403 FORBIDDEN for a role without the permission', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const viewer = await memberWithKey(env.db.orm, owner.organizationId, 'viewer');
    const answer = await rest(app, 'PATCH', `/organizations/${owner.organizationId}`, {
      token: viewer.key,
      body: { name: 'Renamed' },
    });
    expectProblem(answer, 403, 'FORBIDDEN');
  });

  it("404 for a missing resource and for another tenant's, alike", async () => {
    const a = await ownerWithKey(env.db.orm);
    const b = await ownerWithKey(env.db.orm);
    const missing = await rest(app, 'GET', `/organizations/${MISSING_ORG}`, { token: a.key });
    const foreign = await rest(app, 'GET', `/organizations/${b.organizationId}`, { token: a.key });
    expectProblem(missing, 404, 'NOT_FOUND');
    expectProblem(foreign, 404, 'NOT_FOUND');
    expect(foreign.body.detail).toBe(missing.body.detail);

    // The users router acts in the caller's organization: another one in the path is the same 404.
    const foreignUsers = await rest(app, 'GET', `/organizations/${b.organizationId}/users`, { token: a.key });
    expect(foreignUsers.body).toEqual(missing.body);
    const foreignUser = await rest(app, 'GET', `/organizations/${b.organizationId}/users/${b.userId}`, {
      token: a.key,
    });
    expect(foreignUser.body).toEqual(missing.body);

    const noAccount = await rest(app, 'GET', `/organizations/${a.organizationId}/service-accounts/${MISSING_SA}`, {
      token: a.key,
    });
    expectProblem(noAccount, 404, 'NOT_FOUND');
    expectProblem(await rest(app, 'GET', '/nowhere', { token: a.key }), 404, 'NOT_FOUND');
  });

  it('400 with field_errors in wire names for invalid input, unknown and camelCase fields', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const invalid = await rest(app, 'POST', '/api-keys', {
      token: owner.key,
      body: { name: '', expires_in_days: 'soon' },
    });
    const problem = expectProblem(invalid, 400, 'BAD_REQUEST');
    expect(Object.keys(problem.field_errors).sort()).toEqual(['expires_in_days', 'name']);

    const unknown = await rest(app, 'POST', '/api-keys', { token: owner.key, body: { name: 'x', colour: 'red' } });
    expect(expectProblem(unknown, 400, 'BAD_REQUEST').field_errors).toEqual({ colour: ['Unknown field'] });
    const camel = await rest(app, 'POST', '/api-keys', { token: owner.key, body: { name: 'x', expiresInDays: 3 } });
    expect(expectProblem(camel, 400, 'BAD_REQUEST').field_errors).toEqual({ expiresInDays: ['Unknown field'] });
    const query = await rest(app, 'GET', '/api-keys?sort=name', { token: owner.key });
    expect(expectProblem(query, 400, 'BAD_REQUEST').field_errors).toEqual({ sort: ['Unknown field'] });
    // As over tRPC, the credential is checked before the input.
    expectProblem(await rest(app, 'GET', '/api-keys?sort=name'), 401, 'UNAUTHORIZED');
    const limit = await rest(app, 'GET', '/api-keys?limit=0', { token: owner.key });
    expect(Object.keys(expectProblem(limit, 400, 'BAD_REQUEST').field_errors)).toEqual(['limit']);

    expectProblem(await rest(app, 'POST', '/api-keys', { token: owner.key, raw: '{"name":' }), 400, 'BAD_REQUEST');
    const deep = `${'['.repeat(100)}${']'.repeat(100)}`;
    expectProblem(await rest(app, 'POST', '/api-keys', { token: owner.key, raw: deep }), 400, 'BAD_REQUEST');
    expectProblem(await rest(app, 'POST', '/api-keys', { token: owner.key, raw: '[1]' }), 400, 'BAD_REQUEST');
    const text = await rest(app, 'POST', '/api-keys', {
      token: owner.key,
      raw: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(text.status).toBe(415);
  });

  it('405 for a known path with another method; 413 for an oversized body', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const put = await rest(app, 'PUT', `/organizations/${owner.organizationId}`, { token: owner.key, body: {} });
    expectProblem(put, 405, 'METHOD_NOT_SUPPORTED');
    expect(put.headers.get('allow')).toBe('GET, PATCH, DELETE');
    const small = appFor(env.runtime, { bodyLimit: 1024 });
    const big = await rest(small, 'POST', '/api-keys', { token: owner.key, body: { name: 'x'.repeat(2000) } });
    expectProblem(big, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('409 CONFLICT with its reason (LAST_OWNER)', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const leave = await rest(app, 'DELETE', `/organizations/${owner.organizationId}/members/${owner.userId}`, {
      token: owner.key,
    });
    expectProblem(leave, 409, 'CONFLICT', 'LAST_OWNER');
  });

  it('429 with Retry-After for a throttled key', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const limited = await rest(app, 'POST', '/api-keys', {
      token: owner.key,
      body: { name: 'limited', rate_limit: { limit: 1, window_seconds: 60 } },
    });
    expect(limited.body.rate_limit).toEqual({ limit: 1, window_seconds: 60 });
    expect((await rest(app, 'GET', '/me', { token: limited.body.key })).status).toBe(200);
    const throttled = await rest(app, 'GET', '/me', { token: limited.body.key });
    const problem = expectProblem(throttled, 429, 'TOO_MANY_REQUESTS');
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(problem.details.retry_after_seconds).toBe(Number(throttled.headers.get('retry-after')));
  });
});

describe('REST specifics', () => {
  it('Idempotency-Key fills idempotency_key: a retried consume debits once', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const org = owner.organizationId;
    // Credits come from the platform: the operator's billing key.
    const operator = await platformAdminWithKey(env.db.orm);
    const billing = await rest(app, 'POST', '/platform/api-keys', {
      token: operator.platformKey,
      body: { name: 'billing', scopes: ['credits:grant'] },
    });
    expect(billing.status).toBe(201);
    const granted = await rest(app, 'POST', `/organizations/${org}/credits/grant`, {
      token: billing.body.key,
      headers: { 'idempotency-key': 'grant-1' },
      body: { amount: 10, type: 'purchase' },
    });
    expect(granted.status).toBe(201);
    expect(granted.body).toMatchObject({ type: 'purchase', amount: 10, balance_after: 10 });

    const consume = () =>
      rest(app, 'POST', `/organizations/${org}/credits/consume`, {
        token: owner.key,
        headers: { 'idempotency-key': 'job-42' },
        body: { amount: 2.5, reason: 'job 42' },
      });
    const first = await consume();
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ type: 'usage', amount: -2.5, balance_after: 7.5, idempotency_key: 'job-42' });
    const again = await consume();
    expect(again.body).toEqual(first.body);
    const balance = await rest(app, 'GET', `/organizations/${org}/credits`, { token: owner.key });
    expect(balance.body).toMatchObject({ balance: 7.5 });

    const missing = await rest(app, 'POST', `/organizations/${org}/credits/consume`, {
      token: owner.key,
      body: { amount: 1, reason: 'no key' },
    });
    expect(expectProblem(missing, 400, 'BAD_REQUEST').field_errors).toHaveProperty('idempotency_key');
    const tooMuch = await rest(app, 'POST', `/organizations/${org}/credits/consume`, {
      token: owner.key,
      headers: { 'idempotency-key': 'job-43' },
      body: { amount: 100, reason: 'too much' },
    });
    expectProblem(tooMuch, 412, 'PRECONDITION_FAILED', 'INSUFFICIENT_CREDITS');

    const transactions = await rest(app, 'GET', `/organizations/${org}/transactions?limit=10`, { token: owner.key });
    expect(transactions.body.items.map((t: { type: string }) => t.type)).toEqual(['usage', 'purchase']);
  });

  it('refuses an idempotency_key in the body that differs from the Idempotency-Key header, writing nothing', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const org = owner.organizationId;
    const operator = await platformAdminWithKey(env.db.orm);
    const grant = await rest(app, 'POST', `/organizations/${org}/credits/grant`, {
      token: operator.platformKey,
      body: { amount: 10, type: 'purchase', idempotency_key: 'fund' },
    });
    expect(grant.status).toBe(201);
    const consume = (headerKey: string, bodyKey: string) =>
      rest(app, 'POST', `/organizations/${org}/credits/consume`, {
        token: owner.key,
        headers: { 'idempotency-key': headerKey },
        body: { amount: 1, reason: 'job', idempotency_key: bodyKey },
      });
    // Which key would a retry be deduplicated by? Neither is guessed.
    const differs = await consume('job-1', 'job-2');
    expect(expectProblem(differs, 400, 'BAD_REQUEST').field_errors).toEqual({
      idempotency_key: ['Differs from the Idempotency-Key header'],
    });
    const ledger = await rest(app, 'GET', `/organizations/${org}/transactions`, { token: owner.key });
    expect(ledger.body.items.map((t: { type: string }) => t.type)).toEqual(['purchase']);
    // The same key both ways is one key.
    const same = await consume('job-1', 'job-1');
    expect(same.status).toBe(201);
    expect(same.body).toMatchObject({ amount: -1, balance_after: 9, idempotency_key: 'job-1' });
  });

  it('accepts the Keycard role names as well as role keys', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const org = owner.organizationId;
    const invited = await rest(app, 'POST', `/organizations/${org}/invitations`, {
      token: owner.key,
      body: { email: 'keycard@example.com', role: 'org_admin' },
    });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ email: 'keycard@example.com', role: 'admin', status: 'pending' });

    const member = await memberWithKey(env.db.orm, org, 'member');
    const changed = await rest(app, 'PATCH', `/organizations/${org}/members/${member.userId}`, {
      token: owner.key,
      body: { role: 'org_viewer' },
    });
    expect(changed.body).toMatchObject({ user_id: member.userId, role: 'viewer' });
    const viaUsers = await rest(app, 'PATCH', `/organizations/${org}/users/${member.userId}`, {
      token: owner.key,
      body: { role: 'org_member' },
    });
    expect(viaUsers.body).toMatchObject({ id: member.userId, role: 'member' });
    const byKey = await rest(app, 'PATCH', `/organizations/${org}/members/${member.userId}`, {
      token: owner.key,
      body: { role: 'admin' },
    });
    expect(byKey.body.role).toBe('admin');
    const byEmail = await rest(app, 'POST', `/organizations/${org}/users/deactivate`, {
      token: owner.key,
      body: { email: member.email },
    });
    expect(byEmail.body).toMatchObject({ id: member.userId, status: 'deactivated' });
    const listed = await rest(app, 'GET', `/organizations/${org}/users?limit=10`, { token: owner.key });
    expect(listed.body.items.map((u: { id: string }) => u.id)).toContain(member.userId);
  });

  it('exchanges client credentials at POST …/token', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const org = owner.organizationId;
    const sa = await rest(app, 'POST', `/organizations/${org}/service-accounts`, {
      token: owner.key,
      body: { name: 'robot' },
    });
    const credential = await rest(app, 'POST', `/organizations/${org}/service-accounts/${sa.body.id}/credentials`, {
      token: owner.key,
      body: { name: 'ci' },
    });
    expect(credential.status).toBe(201);
    expect(credential.body.client_secret).toEqual(expect.any(String));
    const token = await rest(app, 'POST', `/organizations/${org}/token`, {
      body: { client_id: credential.body.client_id, client_secret: credential.body.client_secret },
    });
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String) });
    const whoami = await rest(app, 'GET', '/whoami', { token: token.body.access_token });
    expect(whoami.body).toMatchObject({ principal: 'serviceAccount' });
    const wrong = await rest(app, 'POST', `/organizations/${org}/token`, {
      body: { client_id: credential.body.client_id, client_secret: 'nope' },
    });
    expectProblem(wrong, 401, 'UNAUTHORIZED');
  });

  it('lists audit events with their wire names', async () => {
    const owner = await ownerWithKey(env.db.orm);
    await rest(app, 'PATCH', `/organizations/${owner.organizationId}`, { token: owner.key, body: { name: 'Audited' } });
    const events = await rest(app, 'GET', `/organizations/${owner.organizationId}/audit-events?limit=5`, {
      token: owner.key,
    });
    expect(events.status).toBe(200);
    expect(events.body.items[0]).toMatchObject({
      organization_id: owner.organizationId,
      actor: { type: 'apiKey', id: owner.keyId },
      request_id: expect.any(String),
    });
    const since = await rest(
      app,
      'GET',
      `/organizations/${owner.organizationId}/audit-events?since=${new Date(Date.now() + 60_000).toISOString()}`,
      { token: owner.key },
    );
    expect(since.body.items).toEqual([]);
  });

  it('users routes act in the organization of the path, spending one call of a key per request', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const org = owner.organizationId;
    const stranger = await ownerWithKey(env.db.orm);
    const metered = await rest(app, 'POST', '/api-keys', { token: owner.key, body: { name: 'm', remaining: 2 } });
    const mine = `/organizations/${org}/users/${owner.userId}`;
    expect((await rest(app, 'GET', mine, { token: metered.body.key })).body).toMatchObject({ id: owner.userId });
    expect((await rest(app, 'GET', mine, { token: metered.body.key })).status).toBe(200);
    expectProblem(await rest(app, 'GET', mine, { token: metered.body.key }), 401, 'UNAUTHORIZED', 'KEY_EXHAUSTED');

    // Another organization in the path: NOT_FOUND for a good key, UNAUTHORIZED for a forged one with its prefix.
    const theirs = `/organizations/${stranger.organizationId}/users`;
    expectProblem(await rest(app, 'GET', theirs, { token: owner.key }), 404, 'NOT_FOUND');
    const forged = `${owner.key.split('_', 2).join('_')}_forged`;
    expectProblem(await rest(app, 'GET', theirs, { token: forged }), 401, 'UNAUTHORIZED');
    expectProblem(await rest(app, 'GET', `/organizations/${org}/users`, { token: forged }), 401, 'UNAUTHORIZED');
    expectProblem(
      await rest(app, 'GET', theirs, {
        headers: { 'x-api-key': owner.key.split('_', 2).join('_'), 'x-api-secret': 'x' },
      }),
      401,
      'UNAUTHORIZED',
    );
  });

  it('a metered key neither lifts its own limits nor escapes them through a key it makes', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const metered = await rest(app, 'POST', '/api-keys', { token: owner.key, body: { name: 'm', remaining: 3 } });
    const lift = await rest(app, 'PATCH', `/api-keys/${metered.body.id}`, {
      token: metered.body.key,
      body: { remaining: null, rate_limit: null },
    });
    expectProblem(lift, 403, 'FORBIDDEN');
    const child = await rest(app, 'POST', '/api-keys', { token: metered.body.key, body: { name: 'child' } });
    expect(child.status).toBe(201);
    // Three calls in all: the refused lift, the child's creation and this one.
    expect((await rest(app, 'GET', '/whoami', { token: child.body.key })).status).toBe(200);
    expectProblem(await rest(app, 'GET', '/whoami', { token: child.body.key }), 401, 'UNAUTHORIZED', 'KEY_EXHAUSTED');
  });

  it('a session reaches the users of each organization it belongs to, and no other', async () => {
    const stranger = await ownerWithKey(env.db.orm);
    const signup = await rest(app, 'POST', '/auth/signup', {
      body: { email: 'rest-session@example.com', password: 'Quartz-lantern-8812-meadow', name: 'Session' },
    });
    expect(signup.body).toMatchObject({ user_id: expect.any(String) });
    expect(signup.status).toBe(201);
    const session = signup.body.session_token;
    const unverified = await rest(app, 'POST', '/organizations', { token: session, body: { name: 'Too Soon' } });
    expectProblem(unverified, 403, 'FORBIDDEN', 'EMAIL_NOT_VERIFIED');
    await markEmailVerified(env.db.orm, signup.body.user_id);
    const first = await rest(app, 'POST', '/organizations', { token: session, body: { name: 'First Session Org' } });
    const second = await rest(app, 'POST', '/organizations', { token: session, body: { name: 'Second Session Org' } });
    for (const organization of [first.body, second.body]) {
      const users = await rest(app, 'GET', `/organizations/${organization.id}/users`, { token: session });
      expect(users.status).toBe(200);
      expect(users.body.items.map((u: { id: string; organization_id: string }) => u.id)).toEqual([signup.body.user_id]);
    }
    const theirs = await rest(app, 'GET', `/organizations/${stranger.organizationId}/users`, { token: session });
    expectProblem(theirs, 404, 'NOT_FOUND');

    const login = await rest(app, 'POST', '/auth/login', {
      body: { email: 'rest-session@example.com', password: 'Quartz-lantern-8812-meadow' },
    });
    expect(login.body.session_token).toMatch(/^ghs_/);
    expect((await rest(app, 'POST', '/auth/logout', { token: login.body.session_token })).status).toBe(204);
    expectProblem(await rest(app, 'GET', '/me', { token: login.body.session_token }), 401, 'UNAUTHORIZED');
  });
});
