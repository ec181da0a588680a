// The example end to end: Gatehouse serving on a real port; the workflows service starts with an owner's
// key (it holds apiKeys:verify) and answers its callers by what keys.verify says of their keys.
import type { Runtime } from '@gatehouse/api';
import {
  bearer,
  callerFor,
  guardFetch,
  internalErrorLog,
  memberWithKey,
  ownerWithKey,
  registerPermissions,
  setUserStatus,
  startTestRuntime,
} from '@gatehouse/api/testing';
import { createTestDatabase, type TestDatabase } from '@gatehouse/db/testing';
import { createApp } from '@gatehouse/server/app';
import { type ServerType, serve } from '@hono/node-server';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createVerifyService } from '../src/service.js';

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

it('answers 200, 401, 403 and 429 as keys.verify decides', async () => {
  // The operator registered the workflows service's permissions; viewers may read and see executions.
  await registerPermissions(runtime, ['workflows:read', 'executions:read'], ['member', 'viewer']);
  await registerPermissions(runtime, ['workflows:execute']);
  const owner = await ownerWithKey(db.orm);
  const service = createVerifyService({ gatehouseUrl: url, apiKey: owner.key });
  const call = async (key?: string) => {
    const response = await service.app.request(
      '/workflows',
      key ? { headers: { authorization: `Bearer ${key}` } } : {},
    );
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const asOwner = callerFor(runtime, bearer(owner.key));

  // 200: a viewer's key holds workflows:read and executions:read; the answer names its owner.
  const viewer = await memberWithKey(db.orm, owner.organizationId, 'viewer');
  expect(await call(viewer.key)).toMatchObject({
    status: 200,
    body: { caller: viewer.userId, organization: owner.organizationId, key: viewer.keyId },
  });

  // 401: no key, a key that does not exist, a key of another organization, expired, revoked, disabled.
  expect(await call()).toEqual({ status: 401, body: { error: 'missing_key' } });
  expect(await call('gh_nothere_x')).toEqual({ status: 401, body: { error: 'NOT_FOUND' } });
  const stranger = await ownerWithKey(db.orm);
  expect(await call(stranger.key)).toEqual({ status: 401, body: { error: 'NOT_FOUND' } });
  const expiring = await asOwner.auth.createKey({ name: 'expiring', expiresInDays: 1 });
  await db.orm.em
    .fork()
    .execute(`update api_keys set expires_at = now() - interval '1 minute' where id = ?`, [expiring.id]);
  expect(await call(expiring.key)).toEqual({ status: 401, body: { error: 'EXPIRED' } });
  const revoked = await asOwner.auth.createKey({ name: 'revoked' });
  await asOwner.auth.revokeKey({ keyId: revoked.id });
  expect(await call(revoked.key)).toEqual({ status: 401, body: { error: 'REVOKED' } });
  const departed = await memberWithKey(db.orm, owner.organizationId, 'viewer');
  await setUserStatus(db.orm, departed.userId, 'deactivated');
  expect(await call(departed.key)).toEqual({ status: 401, body: { error: 'DISABLED' } });

  // 403: a key scoped to workflows:read only (neither workflows:execute nor executions:read).
  const narrow = await memberWithKey(db.orm, owner.organizationId, 'viewer', ['workflows:read']);
  expect(await call(narrow.key)).toEqual({ status: 403, body: { error: 'INSUFFICIENT_PERMISSIONS' } });

  // 429: one call a minute, then one call in all; each first call passes.
  const limited = await asOwner.auth.createKey({ name: 'limited', rateLimit: { limit: 1, windowSeconds: 60 } });
  expect((await call(limited.key)).status).toBe(200);
  expect(await call(limited.key)).toEqual({ status: 429, body: { error: 'RATE_LIMITED' } });
  const metered = await asOwner.auth.createKey({ name: 'metered', remaining: 1 });
  expect((await call(metered.key)).status).toBe(200);
  expect(await call(metered.key)).toEqual({ status: 429, body: { error: 'USAGE_EXCEEDED' } });
});
