import { useTestRuntime } from '@gatehouse/api/testing';
import { compileErrors, validate } from '@readme/openapi-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes, sameAs } from '../../src/rest/routes.js';
import { camel, procedurePaths, schemasOf } from '../../src/rest/schemas.js';
import { type App, appFor } from '../app.js';

const env = useTestRuntime();
let app: App;
beforeAll(() => {
  app = appFor(env.runtime);
});

describe('the route table', () => {
  it('gives every procedure a path, or its routed twin one', () => {
    const routed = new Set(routes.map((r) => r.procedure));
    const missing = procedurePaths().filter((p) => !routed.has(p) && !(p in sameAs));
    expect(missing, 'procedures with neither a REST path nor a twin in sameAs').toEqual([]);
    for (const twin of Object.values(sameAs)) expect(routed, `${twin} has no path`).toContain(twin);
    for (const procedure of [...routed, ...Object.keys(sameAs)]) {
      expect(procedurePaths(), `${procedure} is not a procedure`).toContain(procedure);
    }
  });

  it('names each path parameter after an input field (or the organization a users route acts in)', () => {
    for (const route of routes) {
      const properties = schemasOf(route.procedure).input?.properties ?? {};
      for (const [, name = ''] of route.path.matchAll(/\{(\w+)\}/g)) {
        const selectsOrganization = route.callerOrganization && name === 'organization_id';
        expect(selectsOrganization || camel(name) in properties, `${route.method} ${route.path}: {${name}}`).toBe(true);
      }
    }
  });

  it('has one operation per method and path', () => {
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    expect(keys.length).toBe(new Set(keys).size);
  });
});

describe('/api/v1/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const res = await app.request('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const document = await res.json();
    expect(document.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(document));
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
  });

  it('describes every route in wire names, with problem+json errors', async () => {
    const document = await (await app.request('/api/v1/openapi.json')).json();
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item as object));
    expect(operations).toHaveLength(routes.length);

    const retrieve = document.paths['/organizations/{organization_id}'].get;
    expect(retrieve.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'organization_id', in: 'path', required: true }),
        expect.objectContaining({ name: 'expand[]', in: 'query' }),
      ]),
    );
    const organization = retrieve.responses['200'].content['application/json'].schema;
    expect(Object.keys(organization.properties)).toEqual(expect.arrayContaining(['sso_enabled', 'created_at']));
    expect(JSON.stringify(document)).not.toMatch(/"(createdAt|organizationId|pageInfo)"/);
    expect(retrieve.responses['404']).toEqual({ $ref: '#/components/responses/Problem404' });
    expect(document.components.responses.Problem404.content['application/problem+json'].schema).toEqual({
      $ref: '#/components/schemas/Problem',
    });

    const list = document.paths['/api-keys'].get.responses['200'].content['application/json'].schema;
    expect(list.properties.page_info).toEqual({ $ref: '#/components/schemas/PageInfo' });

    const consume = document.paths['/organizations/{organization_id}/credits/consume'].post;
    expect(consume.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]),
    );
    expect(consume.requestBody.content['application/json'].schema.required).not.toContain('idempotency_key');
    expect(document.paths['/organizations/{organization_id}/token'].post.security).toEqual([]);
  });
});

describe('/docs', () => {
  it('serves the reference with its script from this origin, under a CSP that loads nothing else', async () => {
    const page = await app.request('/docs');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('/api/v1/openapi.json');
    expect(html).toContain('src="/docs/scalar.js"');
    expect(html).not.toMatch(/https?:\/\/(cdn|fonts)\./);
    const csp = page.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(html).toContain(`nonce="${nonce}"`);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/https?:/);

    const script = await app.request('/docs/scalar.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
  });
});
