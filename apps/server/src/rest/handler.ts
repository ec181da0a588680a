import {
  appRouter,
  type BrowserOptions,
  createCallerFactory,
  createContext,
  type RequestContext,
  type Runtime,
  verifyKeyDirect,
} from '@gatehouse/api';
import { TRPCError } from '@trpc/server';
import { getErrorShape, getHTTPStatusCodeFromError } from '@trpc/server/unstable-core-do-not-import';
import type { Context, Hono } from 'hono';
import type { Logger } from 'pino';
import { jsonDepthExceeds } from '../http-guards.js';
import { routerConfig } from '../trpc-direct.js';
import type { Route } from './routes.js';
import {
  branches,
  camel,
  fromWire,
  type JsonSchema,
  type ProcedureSchemas,
  schemasOf,
  snake,
  snakeKeys,
  snakePath,
  toWire,
  typesOf,
  WireError,
} from './schemas.js';

type Env = { Variables: { requestId: string; ip: string | null } };

const createCaller = createCallerFactory(appRouter);

/**
 * Procedures served without tRPC's caller: the same chain and the same errors (see verifierMutation in
 * the api), for a route whose speed is the point. keys.verify is asked by a service on every request it serves.
 */
const DIRECT: Record<string, (ctx: RequestContext, input: unknown) => Promise<unknown>> = {
  'keys.verify': verifyKeyDirect,
};

const STATUS_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  reason: string;
  field_errors?: Record<string, string[]>;
  details?: unknown;
}

/** An RFC 9457 body: `code` the tRPC code, `reason` the same machine-readable reason tRPC sends. */
export function problemResponse(problem: Omit<Problem, 'type' | 'title'>, headers: Record<string, string> = {}) {
  const body: Problem = { type: 'about:blank', title: STATUS_TITLES[problem.status] ?? 'Error', ...problem };
  return new Response(JSON.stringify(body), {
    status: problem.status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });
}

const invalid = (fieldErrors: Record<string, string[]>, detail = 'Invalid input') =>
  problemResponse({
    status: 400,
    detail,
    code: 'BAD_REQUEST',
    reason: 'BAD_REQUEST',
    ...(Object.keys(fieldErrors).length > 0 ? { field_errors: fieldErrors } : {}),
  });

/** `{organization_id}` → Hono's `:organization_id`. */
export const honoPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

export interface RestOptions {
  runtime: Runtime;
  logger: Logger;
  /** JSON bodies nested deeper are refused before parsing (the limit /trpc applies). */
  maxJsonDepth: number;
  /** The browser side of a request (its session cookie), as /trpc reads it; unset: cookies are ignored. */
  browserOf?: (url: string, responseHeaders: Headers) => BrowserOptions;
}

/** Mounts every route of the table under /api/v1, each calling its procedure as /trpc would. */
export function mountRest(app: Hono<Env>, routes: Route[], options: RestOptions) {
  for (const route of routes) {
    const schemas = schemasOf(route.procedure);
    app.on(route.method, `/api/v1${honoPath(route.path)}`, (c) => handle(c, route, schemas, options));
  }
}

async function handle(c: Context<Env>, route: Route, schemas: ProcedureSchemas, options: RestOptions) {
  const { runtime, logger } = options;
  const built = await buildInput(c, route, schemas, options.maxJsonDepth);
  if (built instanceof Response) return built;
  const { input, hadCursor } = built;

  // The path names where the caller acts, as X-Gatehouse-Organization would: the procedure chain
  // verifies the credential and refuses (NOT_FOUND) one that cannot act there, whatever its kind.
  let headers = c.req.raw.headers;
  if (route.callerOrganization) {
    headers = new Headers(headers);
    headers.set('x-gatehouse-organization', c.req.param('organization_id') as string);
  }
  const responseHeaders = new Headers();
  const browser = options.browserOf?.(c.req.url, responseHeaders);
  const ctx = createContext({
    runtime,
    headers,
    requestId: c.get('requestId'),
    ip: c.get('ip'),
    method: c.req.method,
    ...(browser ? { browser } : {}),
  });
  const call = (path: string, arg: unknown) => {
    const direct = DIRECT[path];
    if (direct) return direct(ctx, arg);
    const caller = createCaller(ctx) as unknown as Record<string, unknown>;
    return (
      path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], caller) as (
        a: unknown,
      ) => Promise<unknown>
    )(arg);
  };

  try {
    const result = await call(route.procedure, input);
    // A session cookie set or cleared (auth.login with cookie, auth.logout) goes out with the answer.
    for (const cookie of responseHeaders.getSetCookie()) c.header('set-cookie', cookie, { append: true });
    if (isOk(schemas.output)) return c.body(null, 204);
    return c.json(toWire(result, schemas.output, hadCursor) as object, route.created ? 201 : 200);
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return errorResponse(error, route, input, ctx, c.get('requestId'), logger);
  }
}

/** `{ ok: true }` outputs say nothing a 204 does not. */
const isOk = (output: JsonSchema) => {
  const keys = Object.keys(output.properties ?? {});
  return keys.length === 1 && keys[0] === 'ok';
};

function errorResponse(
  error: TRPCError,
  route: Route,
  input: unknown,
  ctx: unknown,
  requestId: string,
  logger: Logger,
) {
  const shape = getErrorShape({
    config: routerConfig,
    error,
    type: schemasOf(route.procedure).type,
    path: route.procedure,
    input,
    ctx,
  }) as {
    message: string;
    data: { code: string; reason: string; fieldErrors?: Record<string, string[]>; details?: Record<string, unknown> };
  };
  const status = getHTTPStatusCodeFromError(error);
  if (error.code === 'INTERNAL_SERVER_ERROR') {
    logger.error({ requestId, path: route.procedure, err: error.cause ?? error }, 'unhandled error');
  }
  const { data } = shape;
  const retryAfter = data.details?.retryAfterSeconds;
  // A zod failure's message is its issues as JSON: field_errors says the same, readably.
  const detail = data.fieldErrors ? 'Invalid input' : shape.message;
  return problemResponse(
    {
      status,
      detail,
      code: data.code,
      reason: data.reason,
      ...(data.fieldErrors
        ? { field_errors: Object.fromEntries(Object.entries(data.fieldErrors).map(([k, v]) => [snakePath(k), v])) }
        : {}),
      ...(data.details ? { details: snakeKeys(data.details) } : {}),
    },
    {
      ...(typeof retryAfter === 'number' && retryAfter > 0 ? { 'retry-after': String(retryAfter) } : {}),
      // RFC 9110: a 401 names the scheme that would be accepted.
      ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
    },
  );
}

/**
 * The procedure's input from the request: path parameters, then the query (GET, DELETE) or the JSON
 * body (POST, PATCH), then the Idempotency-Key header. Every value is still checked by the
 * procedure's zod schema; this only maps names and turns query strings into the types it expects.
 */
async function buildInput(
  c: Context<Env>,
  route: Route,
  schemas: ProcedureSchemas,
  maxJsonDepth: number,
): Promise<Response | { input: unknown; hadCursor: boolean }> {
  const schema = schemas.input;
  const properties = schema?.properties ?? {};
  let wire: Record<string, unknown> = {};

  if (route.method === 'GET' || route.method === 'DELETE') {
    const url = new URL(c.req.url);
    for (const rawName of new Set(url.searchParams.keys())) {
      const name = rawName.endsWith('[]') ? rawName.slice(0, -2) : rawName;
      const values = url.searchParams.getAll(rawName);
      // An unknown parameter goes through as given: the procedure's strict schema refuses it, after
      // the credential is checked, as over tRPC.
      const field = properties[camel(name)];
      wire[name] = field ? fromQuery(values, field) : values.at(-1);
    }
  } else {
    const text = await c.req.text();
    if (text.trim() !== '') {
      const type = c.req.header('content-type') ?? '';
      if (!/^application\/(.+\+)?json\b/i.test(type)) {
        return problemResponse({
          status: 415,
          detail: 'Send a JSON body (application/json)',
          code: 'UNSUPPORTED_MEDIA_TYPE',
          reason: 'BAD_REQUEST',
        });
      }
      if (jsonDepthExceeds(text, maxJsonDepth)) {
        return invalid({}, `JSON input is nested deeper than ${maxJsonDepth} levels`);
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return invalid({}, 'The body is not valid JSON');
      }
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        return invalid({ _: ['Expected a JSON object'] });
      }
      wire = body as Record<string, unknown>;
    }
  }

  // Path parameters are the resource's identity: they win over anything the body says. The
  // organization of a callerOrganization route is not input: it selects where the caller acts.
  for (const [name, value] of Object.entries(c.req.param() as Record<string, string>)) {
    if (camel(name) in properties) wire[name] = value;
  }

  const idempotencyKey = c.req.header('idempotency-key');
  if (idempotencyKey !== undefined && 'idempotencyKey' in properties) {
    if (wire.idempotency_key !== undefined && wire.idempotency_key !== idempotencyKey) {
      return invalid({ idempotency_key: ['Differs from the Idempotency-Key header'] });
    }
    wire.idempotency_key = idempotencyKey;
  }

  if (!schema) {
    if (Object.keys(wire).length > 0) {
      return invalid(Object.fromEntries(Object.keys(wire).map((k) => [snake(k), ['Unknown field']])));
    }
    return { input: undefined, hadCursor: false };
  }
  try {
    const input = fromWire(wire, schema) as Record<string, unknown>;
    return { input, hadCursor: typeof input.cursor === 'string' };
  } catch (error) {
    if (error instanceof WireError) return invalid(error.fieldErrors);
    throw error;
  }
}

/** Query strings are text: numbers, booleans and lists are read as the field's schema says. */
function fromQuery(values: string[], field: JsonSchema): unknown {
  const types = typesOf(field);
  if (types.includes('array')) {
    const item = branches(field).find((b) => b.items)?.items;
    return values.map((v) => scalar(v, typesOf(item)));
  }
  return scalar(values.at(-1) ?? '', types);
}

function scalar(value: string, types: string[]): unknown {
  if ((types.includes('integer') || types.includes('number')) && value.trim() !== '' && !Number.isNaN(Number(value))) {
    return Number(value);
  }
  if (types.includes('boolean') && (value === 'true' || value === 'false')) return value === 'true';
  if (types.includes('null') && value === 'null') return null;
  return value;
}
