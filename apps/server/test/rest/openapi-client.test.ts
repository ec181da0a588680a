import { readFile } from 'node:fs/promises';
import { ownerWithKey, useTestRuntime } from '@gatehouse/api/testing';
import createClient from 'openapi-fetch';
import { beforeAll, describe, expect, it } from 'vitest';
import { type App, appFor } from '../app.js';
import { GENERATED, generateClientTypes } from './client-types.js';
import type { paths } from './generated/gatehouse-api.js';

const env = useTestRuntime();
let app: App;
beforeAll(() => {
  app = appFor(env.runtime);
});

/** A client typed from the document, its requests going into the in-process app. */
const clientFor = (apiKey: string) =>
  createClient<paths>({
    baseUrl: 'http://gatehouse.test/api/v1',
    headers: { authorization: `Bearer ${apiKey}` },
    fetch: (request) => Promise.resolve(app.fetch(request)),
  });

describe('a client generated from /api/v1/openapi.json', () => {
  it('compiles against types generated from the served document (the checked-in copy is current)', async () => {
    const served = await (await app.request('/api/v1/openapi.json')).json();
    expect(await readFile(GENERATED, 'utf8'), 'run `corepack pnpm --filter @gatehouse/server rest:types`').toBe(
      await generateClientTypes(served),
    );
  });

  it('calls five endpoints with typed inputs and outputs', async () => {
    const owner = await ownerWithKey(env.db.orm, 'Generated Ltd');
    const api = clientFor(owner.key);

    // 1. the caller
    const me = await api.GET('/me');
    expect(me.response.status).toBe(200);
    expect(me.data?.email).toBe(owner.email);

    // 2. a new organization (201), typed body in and out
    const created = await api.POST('/organizations', { body: { name: 'Typed Subsidiary' } });
    expect(created.response.status).toBe(201);
    expect(created.data?.label).toMatch(/^typed-subsidiary/);

    // A key acts in its own organization: the rest happens there.
    const { organizationId } = owner;

    // 3. retrieve an organization with expand[]=permissions
    const retrieved = await api.GET('/organizations/{organization_id}', {
      params: { path: { organization_id: organizationId }, query: { 'expand[]': ['permissions'] } },
    });
    const ssoEnabled: boolean | undefined = retrieved.data?.sso_enabled;
    expect(ssoEnabled).toBe(false);
    expect(retrieved.data?.permissions?.organizations?.delete).toBe(true);

    // 4. a service account there, with a Keycard role name
    const account = await api.POST('/organizations/{organization_id}/service-accounts', {
      params: { path: { organization_id: organizationId } },
      body: { name: 'builder', role: 'org_member' },
    });
    expect(account.response.status).toBe(201);
    expect(account.data).toMatchObject({ name: 'builder', role: 'member' });

    // 5. a page of members, and a typed problem for another tenant
    const members = await api.GET('/organizations/{organization_id}/members', {
      params: { path: { organization_id: organizationId }, query: { limit: 10 } },
    });
    expect(members.data?.items.map((m) => m.user_id)).toEqual([owner.userId]);
    expect(members.data?.page_info.has_next_page).toBe(false);

    const stranger = await ownerWithKey(env.db.orm);
    const refused = await clientFor(stranger.key).GET('/organizations/{organization_id}', {
      params: { path: { organization_id: organizationId } },
    });
    expect(refused.response.status).toBe(404);
    expect(refused.error).toMatchObject({ status: 404, code: 'NOT_FOUND', reason: 'NOT_FOUND' });
  });
});
