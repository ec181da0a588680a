// POST /trpc/keys.verify is answered without tRPC's request handler (src/trpc-direct.ts). The typed client
// and every tRPC tool must not tell: each answer, success or refusal, is compared here with the one
// tRPC's handler gives for the same call (a batch naming another path goes to tRPC's handler),
// wire for wire; and the route is shown to take exactly the plain calls, leaving the rest to tRPC.
import { memberWithKey, ownerWithKey, useTestRuntime } from '@gatehouse/api/testing';
import { Hono } from 'hono';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { mountDirectTrpc } from '../src/trpc-direct.js';
import { type App, appFor, fromPeer } from './app.js';

const env = useTestRuntime();
let app: App;
beforeAll(() => {
  app = appFor(env.runtime);
});

const post = (target: App | Hono, path: string, body: string, headers: Record<string, string> = {}) =>
  target.request(
    `/trpc/${path}`,
    { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body },
    fromPeer('192.0.2.10'),
  );

/** keys.verify answered by the direct route (alone, unbatched) and by tRPC's handler (in a batch). */
async function both(credential: string | null, input: Record<string, unknown>, headers: Record<string, string> = {}) {
  const auth = { ...(credential ? { authorization: `Bearer ${credential}` } : {}), ...headers };
  const direct = await post(app, 'keys.verify', JSON.stringify({ json: input }), auth);
  const handled = await post(
    app,
    'keys.verify,keys.none?batch=1',
    JSON.stringify({ 0: { json: input }, 1: { json: {} } }),
    auth,
  );
  const [viaTrpc] = (await handled.json()) as { error?: { json: { data: { httpStatus: number } } } }[];
  return {
    direct: { status: direct.status, body: await direct.json(), vary: direct.headers.get('vary') },
    trpc: { status: viaTrpc?.error?.json.data.httpStatus ?? 200, body: viaTrpc, vary: handled.headers.get('vary') },
  };
}

describe('POST /trpc/keys.verify answers as tRPC’s handler does', () => {
  it('a valid key, another tenant’s key (an answer, not an error)', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const viewer = await memberWithKey(env.db.orm, owner.organizationId, 'viewer');
    const valid = await both(owner.key, { key: viewer.key, permissions: 'projects:read and members:read' });
    expect(valid.direct).toEqual(valid.trpc);
    expect(valid.direct.body).toMatchObject({ result: { data: { json: { valid: true, keyId: viewer.keyId } } } });
    const other = await ownerWithKey(env.db.orm);
    const foreign = await both(owner.key, { key: other.key });
    expect(foreign.direct).toEqual(foreign.trpc);
    expect(foreign.direct.body).toEqual({ result: { data: { json: { valid: false, code: 'NOT_FOUND' } } } });
  });

  it('each refusal: no credential, no apiKeys:verify, another organization, bad syntax, bad fields', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const member = await memberWithKey(env.db.orm, owner.organizationId, 'member');
    const other = await ownerWithKey(env.db.orm);
    const cases = [
      { credential: null, input: { key: owner.key }, reason: 'UNAUTHORIZED', status: 401 },
      { credential: member.key, input: { key: owner.key }, reason: 'FORBIDDEN', status: 403 },
      {
        credential: owner.key,
        input: { key: other.key },
        headers: { 'x-gatehouse-organization': other.organizationId },
        reason: 'NOT_FOUND',
        status: 404,
      },
      {
        credential: owner.key,
        input: { key: owner.key, permissions: 'projects:read and (' },
        reason: 'BAD_REQUEST',
        status: 400,
      },
      { credential: owner.key, input: { key: owner.key, cost: 0, scope: 'x' }, reason: 'BAD_REQUEST', status: 400 },
    ];
    for (const { credential, input, headers, reason, status } of cases) {
      const { direct, trpc } = await both(credential, input, headers);
      expect(direct, reason).toEqual(trpc);
      expect([direct.status, direct.body.error.json.data.reason]).toEqual([status, reason]);
    }
  });

  it('a batch of keys.verify alone: one answer each, 207 when they differ, as tRPC would', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const res = await post(
      app,
      'keys.verify,keys.verify?batch=1',
      JSON.stringify({ 0: { json: { key: owner.key } }, 1: { json: { key: owner.key, permissions: '(' } } }),
      { authorization: `Bearer ${owner.key}` },
    );
    const body = (await res.json()) as [
      { result: { data: { json: { code: string } } } },
      { error: { json: { data: { reason: string; details: unknown } } } },
    ];
    expect([res.status, body[0].result.data.json.code, body[1].error.json.data.reason]).toEqual([
      207,
      'VALID',
      'BAD_REQUEST',
    ]);
  });
});

describe('the direct route takes only the plain calls', () => {
  // The route alone on an app: what it does not take falls through to Hono's 404.
  const bare = new Hono<{ Variables: { requestId: string; ip: string | null } }>();
  bare.use(async (c, next) => {
    c.set('requestId', 'test');
    c.set('ip', '192.0.2.10');
    await next();
  });
  beforeAll(() => {
    mountDirectTrpc(bare, {
      runtime: env.runtime,
      logger: pino({ level: 'silent' }),
      maxJsonDepth: 64,
      maxBatchSize: 10,
      browserOf: () => ({ secure: false, trustedOrigins: [] }),
    });
  });
  const input = JSON.stringify({ json: { key: 'gh_x' } });

  it('takes keys.verify alone and batched with itself', async () => {
    expect((await post(bare, 'keys.verify', input)).status).toBe(401);
    expect((await post(bare, 'keys.verify,keys.verify?batch=1', JSON.stringify({ 0: {}, 1: {} }))).status).toBe(401);
  });

  it('leaves to tRPC: another content type, a streaming accept, bad JSON, a mixed or unbatched list, too many', async () => {
    const left = [
      await post(bare, 'keys.verify', input, { 'content-type': 'text/plain' }),
      await post(bare, 'keys.verify', input, { 'trpc-accept': 'application/jsonl' }),
      await post(bare, 'keys.verify', '{"json":'),
      await post(bare, 'keys.verify,auth.whoami?batch=1', JSON.stringify({ 0: {}, 1: {} })),
      await post(bare, 'keys.verify,keys.verify', input),
      await post(bare, `${Array(11).fill('keys.verify').join(',')}?batch=1`, '{}'),
      await post(bare, 'keys.verifyx', input),
    ];
    expect(left.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 404, 404]);
  });
});
