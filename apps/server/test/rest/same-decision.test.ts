// Every REST route decides as its procedure does over tRPC. Table-driven from the route table itself:
// each route is called by an anonymous caller, another organization's owner, a viewer and a member,
// with the ids of its path (made-up ones for children, so nothing real is touched), once over REST and
// once through the tRPC caller with the same input; the outcomes (`OK` or `code:reason`) must match.
import { AppError } from '@gatehouse/api';
import { bearer, callerFor, memberWithKey, ownerWithKey, useTestRuntime } from '@gatehouse/api/testing';
import { TRPCError } from '@trpc/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Route, routes } from '../../src/rest/routes.js';
import { camel } from '../../src/rest/schemas.js';
import { type App, appFor, rest } from './http.js';

const env = useTestRuntime();
let app: App;
beforeAll(() => {
  app = appFor(env.runtime);
});

const PREFIXES: Record<string, string> = {
  user_id: 'usr',
  key_id: 'key',
  role_id: 'role',
  invitation_id: 'inv',
  service_account_id: 'sa',
  credential_id: 'cred',
  transaction_id: 'txn',
  reservation_id: 'rsv',
};
const madeUp = (name: string) => `${PREFIXES[name] ?? 'x'}_${'0'.repeat(26)}`;

function pathParams(route: Route, organizationId: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [, name = ''] of route.path.matchAll(/\{(\w+)\}/g)) {
    params[name] = name === 'organization_id' ? organizationId : madeUp(name);
  }
  return params;
}

async function overRest(route: Route, params: Record<string, string>, token: string | undefined) {
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? '');
  const answer = await rest(app, route.method, path, {
    ...(token ? { token } : {}),
    ...(route.method === 'POST' || route.method === 'PATCH' ? { body: {} } : {}),
  });
  return answer.status < 300 ? 'OK' : `${answer.body.code}:${answer.body.reason}`;
}

async function overTrpc(route: Route, params: Record<string, string>, token: string | undefined) {
  const input = Object.fromEntries(
    Object.entries(params)
      .filter(([name]) => !(route.callerOrganization && name === 'organization_id'))
      .map(([name, value]) => [camel(name), value]),
  );
  const caller = callerFor(env.runtime, token ? bearer(token) : {}) as unknown as Record<string, unknown>;
  const procedure = route.procedure.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], caller) as (
    input: unknown,
  ) => Promise<unknown>;
  try {
    await procedure(input);
    return 'OK';
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return `${error.code}:${error.cause instanceof AppError ? error.cause.reason : error.code}`;
  }
}

describe('REST and tRPC decide alike', () => {
  it('for every route and caller', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const stranger = await ownerWithKey(env.db.orm);
    const viewer = await memberWithKey(env.db.orm, owner.organizationId, 'viewer');
    const member = await memberWithKey(env.db.orm, owner.organizationId, 'member');
    const callers = { anonymous: undefined, stranger: stranger.key, viewer: viewer.key, member: member.key };

    const mismatches: string[] = [];
    const outcomes = new Set<string>();
    for (const route of routes) {
      const params = pathParams(route, owner.organizationId);
      for (const [who, token] of Object.entries(callers)) {
        const viaRest = await overRest(route, params, token);
        // The users router acts in the caller's organization over tRPC; over REST the path names it,
        // and another tenant's is NOT_FOUND whatever the procedure would have done in the caller's own.
        const expected =
          route.callerOrganization && who === 'stranger' ? 'NOT_FOUND:NOT_FOUND' : await overTrpc(route, params, token);
        outcomes.add(viaRest);
        if (viaRest !== expected)
          mismatches.push(`${route.method} ${route.path} as ${who}: REST ${viaRest}, tRPC ${expected}`);
      }
    }
    expect(mismatches).toEqual([]);
    // The table really exercised the gates, not just one answer.
    expect([...outcomes]).toEqual(
      expect.arrayContaining([
        'OK',
        'UNAUTHORIZED:UNAUTHORIZED',
        'NOT_FOUND:NOT_FOUND',
        'FORBIDDEN:FORBIDDEN',
        'BAD_REQUEST:BAD_REQUEST',
      ]),
    );
  });
});
