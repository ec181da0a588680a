// The example end to end: Gatehouse serving on a real port, two service accounts of one organization
// (orders and its caller, billing) and one of another; the orders service starts with its own
// credentials, and billing calls it with a token Gatehouse issued for orders' audience.
import type { Runtime } from '@gatehouse/api';
import {
  bearer,
  callerFor,
  guardFetch,
  internalErrorLog,
  ownerWithKey,
  startTestRuntime,
} from '@gatehouse/api/testing';
import { createTestDatabase, type TestDatabase } from '@gatehouse/db/testing';
import { createApp } from '@gatehouse/server/app';
import { type ServerType, serve } from '@hono/node-server';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createOrdersService, tokenSource } from '../src/service.js';

let db: TestDatabase;
let runtime: Runtime;
let server: ServerType;
let url: string;
let gatehouse: { fetch: (request: Request) => Response | Promise<Response> };

beforeAll(async () => {
  db = await createTestDatabase();
  server = serve({ port: 0, hostname: '127.0.0.1', fetch: (request) => gatehouse.fetch(request) });
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  runtime = await startTestRuntime(db, { publicUrl: url });
  gatehouse = guardFetch(createApp({ runtime, logger: pino({ level: 'error' }, internalErrorLog) }));
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await runtime?.stop();
  await db?.drop();
});

async function serviceAccountOf(ownerKey: string, organizationId: string, name: string) {
  const gh = callerFor(runtime, bearer(ownerKey));
  const sa = await gh.serviceAccounts.create({ organizationId, name, role: 'member' });
  const credential = await gh.serviceAccounts.credentials.create({ organizationId, serviceAccountId: sa.id });
  return { id: sa.id, clientId: credential.clientId, clientSecret: credential.clientSecret };
}

it('gets a token, calls Gatehouse with it, and verifies its callers offline', async () => {
  const owner = await ownerWithKey(db.orm);
  const ordersAccount = await serviceAccountOf(owner.key, owner.organizationId, 'orders');
  const billingAccount = await serviceAccountOf(owner.key, owner.organizationId, 'billing');
  const audience = 'https://orders.internal';
  const orders = await createOrdersService({ gatehouseUrl: url, audience, ...ordersAccount });
  expect(orders).toMatchObject({ serviceAccountId: ordersAccount.id, organizationId: owner.organizationId });

  const call = (token?: string) =>
    orders.app.request('/orders', token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const billing = tokenSource({ gatehouseUrl: url, ...billingAccount });
  const ok = await call(await billing({ audience, scope: 'projects:read' }));
  expect(ok.status).toBe(200);
  expect(await ok.json()).toMatchObject({ caller: billingAccount.id, organization: owner.organizationId });

  // Refused offline: no token, a token for Gatehouse rather than for orders, one without the scope,
  // and one from a service account of another organization.
  expect((await call()).status).toBe(401);
  expect(await (await call(await billing())).json()).toEqual({ error: 'TOKEN_CLAIMS_INVALID' });
  expect((await call(await billing({ audience, scope: 'members:read' }))).status).toBe(403);
  const stranger = await ownerWithKey(db.orm);
  const strangerAccount = await serviceAccountOf(stranger.key, stranger.organizationId, 'stranger');
  const foreign = await tokenSource({ gatehouseUrl: url, ...strangerAccount })({ audience, scope: 'projects:read' });
  expect(await (await call(foreign)).json()).toEqual({ error: 'TOKEN_CLAIMS_INVALID' });
});
