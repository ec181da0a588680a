import type { Route } from './routes.js';
import { type JsonSchema, PAGE_INFO_SCHEMA, schemasOf, wireSchema } from './schemas.js';

const PROBLEM_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details. `reason` is the machine-readable reason, the same as over tRPC.',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', description: 'The tRPC error code, e.g. NOT_FOUND' },
    reason: { type: 'string', description: 'e.g. NOT_FOUND, LAST_OWNER, INSUFFICIENT_CREDITS' },
    field_errors: {
      type: 'object',
      description: 'Validation failures by field (dotted path in wire names; `_` for the input as a whole)',
      additionalProperties: { type: 'array', items: { type: 'string' } },
    },
    details: { type: 'object', additionalProperties: true },
  },
  required: ['type', 'title', 'status', 'detail', 'code', 'reason'],
};

const ERRORS: Record<string, string> = {
  '400': 'Invalid input (field_errors says which)',
  '401': 'Missing, invalid, expired or revoked credential',
  '403': 'Authenticated, but not allowed',
  '404': 'Not found, or in another organization',
  '409': 'Conflict with the current state',
  '412': 'Precondition failed (e.g. INSUFFICIENT_CREDITS)',
  '429': 'Throttled: retry after Retry-After seconds',
};

const tagOf = (path: string) => {
  const parts = path.split('/').filter((p) => p && !p.startsWith('{'));
  const resource = parts[0] === 'organizations' && parts.length > 1 ? parts[1] : parts[0];
  return (resource ?? 'api').replace(/-/g, ' ');
};

/** The OpenAPI 3.1 document of the REST surface: the route table plus each procedure's zod schemas. */
export function openApiDocument(routes: Route[], serverUrl = '/api/v1') {
  const paths: Record<string, Record<string, unknown>> = {};
  const operationIds = new Map<string, number>();
  const components: Record<string, JsonSchema> = { Problem: PROBLEM_SCHEMA, PageInfo: PAGE_INFO_SCHEMA };

  /** A schema's own definitions (recursive parts) become components named after their procedure. */
  const hoisted = (schema: JsonSchema, prefix: string): JsonSchema => {
    const { $defs, ...rest } = schema;
    if (!$defs) return rest;
    const rename = (s: JsonSchema): JsonSchema =>
      JSON.parse(JSON.stringify(s).replaceAll('"#/$defs/', `"#/components/schemas/${prefix}_`));
    for (const [name, def] of Object.entries($defs)) {
      // The recursive ones are JSON values (metadata): typed generators choke on the recursion
      // (openapi-typescript's TS2502), so they are documented as any JSON; the procedure still checks them.
      const recursive = JSON.stringify(def).includes(`"#/$defs/${name}"`);
      components[`${prefix}_${name}`] = recursive ? { description: 'Any JSON value' } : rename(def);
    }
    return rename(rest);
  };

  for (const route of routes) {
    const { input, output } = schemasOf(route.procedure);
    const wireInput = input ? hoisted(wireSchema(input, 'input'), `${route.procedure}.input`) : null;
    const properties = { ...(wireInput?.properties ?? {}) };
    const required = new Set(wireInput?.required ?? []);
    const parameters: unknown[] = [];

    for (const [, name] of route.path.matchAll(/\{(\w+)\}/g)) {
      if (!name) continue;
      parameters.push({ name, in: 'path', required: true, schema: properties[name] ?? { type: 'string' } });
      delete properties[name];
      required.delete(name);
    }
    if (properties.idempotency_key) {
      parameters.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description: 'Fills idempotency_key: a retried request with the same key returns the first result',
        schema: properties.idempotency_key,
      });
      required.delete('idempotency_key');
    }

    let requestBody: unknown;
    if (route.method === 'GET' || route.method === 'DELETE') {
      for (const [name, schema] of Object.entries(properties)) {
        const isArray = schema.type === 'array';
        parameters.push({
          name: isArray ? `${name}[]` : name,
          in: 'query',
          required: required.has(name),
          schema,
          ...(isArray ? { style: 'form', explode: true } : {}),
        });
      }
    } else if (Object.keys(properties).length > 0) {
      const body: JsonSchema = { ...wireInput, properties, required: [...required] };
      if (body.required?.length === 0) delete body.required;
      requestBody = {
        required: required.size > 0,
        content: { 'application/json': { schema: body } },
      };
    }

    const okOnly = Object.keys(output.properties ?? {}).join() === 'ok';
    const success = okOnly ? '204' : route.created ? '201' : '200';
    const responses: Record<string, unknown> = {
      [success]: okOnly
        ? { description: 'Done' }
        : {
            description: 'OK',
            content: {
              'application/json': { schema: hoisted(wireSchema(output, 'output'), `${route.procedure}.output`) },
            },
          },
    };
    for (const status of Object.keys(ERRORS)) responses[status] = { $ref: `#/components/responses/Problem${status}` };

    const base = route.procedure.replace(/\./g, '_');
    const seen = operationIds.get(base) ?? 0;
    operationIds.set(base, seen + 1);

    const item = paths[route.path] ?? {};
    paths[route.path] = item;
    item[route.method.toLowerCase()] = {
      operationId: seen === 0 ? base : `${base}_${seen + 1}`,
      summary: route.summary,
      description: `Calls the tRPC procedure \`${route.procedure}\`.`,
      tags: [tagOf(route.path)],
      ...(route.auth === 'none'
        ? { security: [] }
        : route.auth === 'optional'
          ? { security: [{}, { bearer: [] }, { apiKey: [], apiSecret: [] }] }
          : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses,
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Gatehouse REST API',
      version: '1.0.0',
      description:
        'Identity and access: organizations, members, invitations, roles, API keys, service accounts, credits and ' +
        'audit events. Every operation calls the same tRPC procedure as /trpc, with the same rules. Wire names are ' +
        'snake_case; lists are `{ items, page_info }`; errors are RFC 9457 problem details. A session acts in the ' +
        'organization its `X-Gatehouse-Organization` header names (else its primary one); an API key or a service ' +
        'account only in its own.',
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }, { apiKey: [], apiSecret: [] }],
    tags: [...new Set(routes.map((r) => tagOf(r.path)))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key (gh_…), a session token, or a service account access token',
        },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-KEY', description: "The API key's prefix (gh_…)" },
        apiSecret: { type: 'apiKey', in: 'header', name: 'X-API-SECRET', description: "The API key's secret" },
      },
      schemas: components,
      responses: Object.fromEntries(
        Object.entries(ERRORS).map(([status, description]) => [
          `Problem${status}`,
          {
            description,
            ...(status === '429'
              ? { headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } } }
              : {}),
            content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
          },
        ]),
      ),
    },
  };
}
