import { ApiKey } from '@gatehouse/db';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../core/errors.js';
import { ownerWithKey, platformAdminWithKey, useTestRuntime } from '../testing/fixtures.js';
import { createContext } from './context.js';
import { orgProcedure, publicProcedure, router } from './procedures.js';

const testRouter = router({
  echo: publicProcedure.input(z.strictObject({ name: z.string().min(2) })).query(({ input }) => input.name),
  boom: publicProcedure.query(() => {
    throw new Error('duplicate key value violates unique constraint "users_pkey" in select * from users');
  }),
  conflict: publicProcedure.query(() => {
    throw new AppError('HAS_DEPENDENCIES', 'Still in use', { blockers: ['organization'] });
  }),
  invite: orgProcedure('members:invite')
    .input(z.strictObject({ organizationId: z.string(), email: z.string() }))
    .query(({ input }) => input.email),
  grant: orgProcedure('credits:grant')
    .input(z.strictObject({ organizationId: z.string() }))
    .query(() => 'granted'),
});

const env = useTestRuntime({ principalTtlMs: 0 });

async function call(path: string, input: unknown, headers: Record<string, string> = {}) {
  const url = `http://test/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  const req = new Request(url, { headers });
  const res = await fetchRequestHandler({
    endpoint: '/trpc',
    req,
    router: testRouter,
    createContext: () => createContext({ runtime: env.runtime, headers: req.headers, requestId: 'r1', ip: null }),
  });
  const body = (await res.json()) as { error?: { json: { message: string; data: Record<string, unknown> } } };
  return { status: res.status, error: body.error?.json, body };
}

describe('error formatting', () => {
  it('reports validation failures by field, unknown fields included', async () => {
    const { status, error } = await call('echo', { name: 'x', extra: true });
    expect(status).toBe(400);
    expect(error?.data.reason).toBe('BAD_REQUEST');
    expect(error?.data.fieldErrors).toEqual({ name: [expect.any(String)], extra: ['Unknown field'] });
  });

  it('never leaks stacks, SQL or internal messages', async () => {
    const { status, error } = await call('boom', undefined);
    expect(status).toBe(500);
    expect(error?.message).toBe('Internal server error');
    expect(JSON.stringify(error)).not.toMatch(/select|users_pkey|stack|\.ts:/);
  });

  it('maps an AppError reason to its code and keeps its details', async () => {
    const { status, error } = await call('conflict', undefined);
    expect(status).toBe(409);
    expect(error?.data).toMatchObject({
      code: 'CONFLICT',
      reason: 'HAS_DEPENDENCIES',
      details: { blockers: ['organization'] },
    });
  });
});

describe('orgProcedure', () => {
  it('lets a member with the permission through', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const res = await call(
      'invite',
      { organizationId: owner.organizationId, email: 'a@b.c' },
      { authorization: `Bearer ${owner.key}` },
    );
    expect(res.status).toBe(200);
  });

  it('answers NOT_FOUND for another tenant, never FORBIDDEN', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const other = await ownerWithKey(env.db.orm);
    const { error } = await call(
      'invite',
      { organizationId: other.organizationId, email: 'a@b.c' },
      { authorization: `Bearer ${owner.key}` },
    );
    expect(error?.data.reason).toBe('NOT_FOUND');
  });

  it('is FORBIDDEN when the key is scoped below the permission', async () => {
    const owner = await ownerWithKey(env.db.orm);
    await env.db.orm.em.fork().nativeUpdate(ApiKey, { id: owner.keyId }, { scopes: ['members:read'] });
    const { error } = await call(
      'invite',
      { organizationId: owner.organizationId, email: 'a@b.c' },
      { authorization: `Bearer ${owner.key}` },
    );
    expect(error?.data.reason).toBe('FORBIDDEN');
  });

  it('gives credits:grant to platform admins only, never through an organization role', async () => {
    const admin = await platformAdminWithKey(env.db.orm);
    expect(
      (await call('grant', { organizationId: admin.organizationId }, { authorization: `Bearer ${admin.key}` })).status,
    ).toBe(200);
    await env.db.orm.em.getConnection().execute(`update users set platform_role = 'user' where id = ?`, [admin.userId]);
    const { error } = await call(
      'grant',
      { organizationId: admin.organizationId },
      { authorization: `Bearer ${admin.key}` },
    );
    expect(error?.data.reason).toBe('PLATFORM_ONLY');
  });
});
