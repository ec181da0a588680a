// POST /api/v1/keys/verify runs keys.verify's chain without tRPC's caller (verifierMutation in the api):
// over HTTP it must answer and refuse exactly as the tRPC procedure does, code, reason and details.
import { callerAs, memberWithKey, ownerWithKey, platformAdminWithKey, useTestRuntime } from '@gatehouse/api/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { schemasOf, toWire } from '../../src/rest/schemas.js';
import { type App, appFor } from '../app.js';
import { bearer, call } from '../hostile/http.js';
import { rest } from './http.js';

const env = useTestRuntime();
let app: App;
beforeAll(() => {
  app = appFor(env.runtime);
});

/** The same call over both surfaces: each one's status and answer, or its code, reason and details. */
async function both(credential: string | null, input: Record<string, unknown>, headers: Record<string, string> = {}) {
  const auth = credential ? bearer(credential) : {};
  const viaTrpc = await call(app, 'keys.verify', input, { headers: { ...auth, ...headers } });
  const viaRest = await rest(app, 'POST', '/keys/verify', { body: input, headers: { ...auth, ...headers } });
  const trpc = viaTrpc.error
    ? {
        status: viaTrpc.status,
        code: viaTrpc.error.code,
        reason: viaTrpc.error.reason,
        details: viaTrpc.error.details,
        fields: Object.keys(viaTrpc.error.fieldErrors ?? {}),
      }
    : { status: viaTrpc.status, answer: toWire(viaTrpc.result, schemasOf('keys.verify').output) };
  const body = viaRest.body;
  const restOutcome =
    viaRest.status >= 400
      ? {
          status: viaRest.status,
          code: body.code,
          reason: body.reason,
          details: body.details,
          fields: Object.keys(body.field_errors ?? {}),
        }
      : { status: viaRest.status, answer: body };
  return { trpc, rest: restOutcome };
}

describe('POST /api/v1/keys/verify decides as keys.verify over tRPC', () => {
  it('answers a valid key with the same body (snake_case) and another tenant’s key as NOT_FOUND', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const viewer = await memberWithKey(env.db.orm, owner.organizationId, 'viewer');
    const valid = await both(owner.key, { key: viewer.key, permissions: 'projects:read and members:read' });
    expect(valid.rest).toEqual(valid.trpc);
    expect(valid.rest).toMatchObject({
      status: 200,
      answer: { valid: true, code: 'VALID', key_id: viewer.keyId, owner_id: viewer.userId },
    });

    const other = await ownerWithKey(env.db.orm);
    const foreign = await both(owner.key, { key: other.key });
    expect(foreign.rest).toEqual({ status: 200, answer: { valid: false, code: 'NOT_FOUND' } });
    expect(foreign.rest).toEqual(foreign.trpc);
    // Platform credentials verify any organization's keys.
    const operator = await platformAdminWithKey(env.db.orm);
    const anywhere = await both(operator.platformKey, { key: other.key });
    expect(anywhere.rest).toMatchObject({ status: 200, answer: { valid: true, code: 'VALID' } });
    expect(anywhere.rest).toEqual(anywhere.trpc);
  });

  it('spends the key’s limits over REST as over tRPC, and says so in snake_case', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const limited = await callerAs(env.runtime, owner.key).auth.createKey({
      name: 'limited',
      rateLimit: { limit: 5, windowSeconds: 3600 },
      remaining: 10,
    });
    const { trpc, rest: overRest } = await both(owner.key, { key: limited.key, cost: 2 });
    expect(trpc).toMatchObject({ status: 200, answer: { valid: true, remaining: 8, rate_limit: { remaining: 3 } } });
    expect(overRest).toMatchObject({
      status: 200,
      answer: { valid: true, remaining: 6, rate_limit: { limit: 5, remaining: 1 } },
    });
  });

  it('refuses a caller without apiKeys:verify: FORBIDDEN', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const member = await memberWithKey(env.db.orm, owner.organizationId, 'member');
    const { trpc, rest: overRest } = await both(member.key, { key: owner.key });
    expect(overRest).toEqual({ status: 403, code: 'FORBIDDEN', reason: 'FORBIDDEN', details: undefined, fields: [] });
    expect(overRest).toEqual(trpc);
  });

  it('refuses another organization named by X-Gatehouse-Organization (NOT_FOUND), and no credential (UNAUTHORIZED)', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const other = await ownerWithKey(env.db.orm);
    const elsewhere = await both(owner.key, { key: other.key }, { 'x-gatehouse-organization': other.organizationId });
    expect(elsewhere.rest).toEqual({
      status: 404,
      code: 'NOT_FOUND',
      reason: 'NOT_FOUND',
      details: undefined,
      fields: [],
    });
    expect(elsewhere.rest).toEqual(elsewhere.trpc);
    const anonymous = await both(null, { key: other.key });
    expect(anonymous.rest).toMatchObject({ status: 401, code: 'UNAUTHORIZED', reason: 'UNAUTHORIZED' });
    expect(anonymous.rest).toEqual(anonymous.trpc);
  });

  it('refuses bad query syntax with its position: BAD_REQUEST', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const { trpc, rest: overRest } = await both(owner.key, { key: owner.key, permissions: 'projects:read and (' });
    expect(overRest).toEqual({
      status: 400,
      code: 'BAD_REQUEST',
      reason: 'BAD_REQUEST',
      details: { position: 19 },
      fields: [],
    });
    expect(overRest).toEqual(trpc);
  });

  it('refuses a cost out of range (0, 1001) and an unknown field: BAD_REQUEST naming the field', async () => {
    const owner = await ownerWithKey(env.db.orm);
    for (const cost of [0, 1001]) {
      const { trpc, rest: overRest } = await both(owner.key, { key: owner.key, cost });
      expect(overRest).toEqual({
        status: 400,
        code: 'BAD_REQUEST',
        reason: 'BAD_REQUEST',
        details: undefined,
        fields: ['cost'],
      });
      expect(overRest).toEqual(trpc);
    }
    const unknown = await both(owner.key, { key: owner.key, scope: 'x' });
    expect(unknown.rest).toMatchObject({ status: 400, code: 'BAD_REQUEST', fields: ['scope'] });
    expect(unknown.rest).toEqual(unknown.trpc);
  });
});
