// A stand-in for the tRPC caller that goes over REST: `caller.organizations.retrieve(input)` becomes
// `GET /api/v1/organizations/{organization_id}` on the in-process app, its answer read back into the
// procedure's output (camelCase, Dates) and its problem into a TRPCError with the same code and reason.
// Lets tests written against callerFor (the authorization matrix) run unchanged over REST.
import { AppError, type Reason, type Runtime } from '@gatehouse/api';
import { TRPCError } from '@trpc/server';
import { type Route, routes, sameAs } from '../../src/rest/routes.js';
import { camel, fromWire, schemasOf, toWire } from '../../src/rest/schemas.js';
import { type App, appFor, fromPeer } from '../app.js';

type TrpcCode = ConstructorParameters<typeof TRPCError>[0]['code'];
type AnyCaller = Record<string, unknown>;

/** How the calls went: over REST, or handed to tRPC because REST cannot express them (and why). */
export const restCallStats = { rest: 0, handedToTrpc: new Map<string, number>() };

const apps = new WeakMap<Runtime, App>();
const routesOf = new Map<string, Route[]>();
for (const route of routes) routesOf.set(route.procedure, [...(routesOf.get(route.procedure) ?? []), route]);

/** The procedure's first route whose path the input can fill (users.deactivate: by id, else by email). */
function routeFor(procedure: string, input: unknown): Route | undefined {
  const candidates = routesOf.get(procedure) ?? [];
  const given = (name: string) => typeof (input as Record<string, unknown> | undefined)?.[camel(name)] === 'string';
  const fits = (route: Route) =>
    [...route.path.matchAll(/\{(\w+)\}/g)].every(
      ([, name = '']) => given(name) || (route.callerOrganization && name === 'organization_id'),
    );
  return candidates.find(fits) ?? candidates[0];
}

function handOver(reason: string) {
  restCallStats.handedToTrpc.set(reason, (restCallStats.handedToTrpc.get(reason) ?? 0) + 1);
}

const at = (caller: AnyCaller, path: string) =>
  path.split('.').reduce<unknown>((o, k) => (o as AnyCaller)[k], caller) as (input?: unknown) => Promise<unknown>;

/**
 * `trpc` is the real caller for the same credential: used only for what REST cannot say. `ip` is the
 * address the requests come from (callerFor's), as throttles count per address.
 */
export function restCaller(
  runtime: Runtime,
  headers: Record<string, string>,
  trpc: AnyCaller,
  ip = '127.0.0.1',
): AnyCaller {
  let app = apps.get(runtime);
  if (!app) {
    app = appFor(runtime);
    apps.set(runtime, app);
  }
  const invoke = (path: string, input: unknown) => call(app, headers, trpc, path, input, ip);
  const proxy = (path: string[]): unknown =>
    new Proxy(() => {}, {
      get: (_, key) => (typeof key === 'string' ? proxy([...path, key]) : undefined),
      apply: (_, __, args: unknown[]) => invoke(path.join('.'), args[0]),
    });
  return proxy([]) as AnyCaller;
}

/**
 * The REST request for `route` with a procedure's input: path parameters from the input (a users path
 * names `organizationId`, the caller's organization), the rest as the query or a JSON body. A string
 * instead when the input cannot fill the path.
 */
export function restRequestOf(
  route: Route,
  input: unknown,
  headers: Record<string, string>,
  organizationId?: string | null,
): { path: string; init: RequestInit & { headers: Record<string, string> } } | string {
  const schemas = schemasOf(route.procedure);
  const wire = (input === undefined ? {} : toWire(input, schemas.input ?? undefined)) as Record<string, unknown>;
  let path = route.path;
  for (const [, name = ''] of route.path.matchAll(/\{(\w+)\}/g)) {
    let value = wire[name];
    delete wire[name];
    if (route.callerOrganization && name === 'organization_id') {
      if (!organizationId) return 'a credential without an organization cannot name one in a users path';
      value = organizationId;
    }
    if (typeof value !== 'string') return `${route.method} ${route.path}: input without {${name}}`;
    path = path.replace(`{${name}}`, encodeURIComponent(value));
  }
  const init: RequestInit & { headers: Record<string, string> } = { method: route.method, headers: { ...headers } };
  if (route.method === 'GET' || route.method === 'DELETE') {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(wire)) {
      if (Array.isArray(value)) for (const v of value) query.append(`${name}[]`, String(v));
      else if (value !== undefined) query.append(name, value === null ? 'null' : String(value));
    }
    if (query.size > 0) path += `?${query}`;
  } else if (Object.keys(wire).length > 0) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(wire);
  }
  return { path: `/api/v1${path}`, init };
}

/** A REST answer as the tRPC caller would give it: the output, or a TRPCError with the same code and reason. */
export async function asProcedureResult(route: Route, res: Response): Promise<unknown> {
  if (res.status === 204) return { ok: true };
  const body = await res.json();
  const output = schemasOf(route.procedure).output;
  // An output already spelt the wire's way (the OAuth token response: access_token, …) comes back as it is.
  if (res.ok && Object.keys(output.properties ?? {}).some((name) => name.includes('_'))) return body;
  if (res.ok) return fromWire(camelPageInfo(body), output);
  const reason = body.reason as string;
  throw new TRPCError({
    code: body.code as TrpcCode,
    message: body.detail,
    ...(reason !== body.code ? { cause: new AppError(reason as Reason, body.detail, body.details) } : {}),
  });
}

async function call(
  app: App,
  headers: Record<string, string>,
  trpc: AnyCaller,
  procedure: string,
  input: unknown,
  ip: string,
) {
  // A Strongly-shaped duplicate goes to its twin's path.
  const route = routeFor(sameAs[procedure] ?? procedure, input);
  if (!route) throw new Error(`${procedure} has no REST path`);
  let organizationId: string | null | undefined;
  if (route.callerOrganization) {
    // Over tRPC the users router acts in the caller's organization: name that one in the path.
    organizationId = headers['x-gatehouse-organization'] ?? (await whoamiOrganization(trpc));
    if (organizationId === undefined) return at(trpc, procedure)(input); // whoami refused: so will the procedure
  }
  const request = restRequestOf(route, input, headers, organizationId);
  if (typeof request === 'string') {
    handOver(request);
    return at(trpc, procedure)(input);
  }
  restCallStats.rest++;
  return asProcedureResult(route, await app.request(request.path, request.init, fromPeer(ip)));
}

async function whoamiOrganization(trpc: AnyCaller): Promise<string | null | undefined> {
  try {
    const me = (await at(trpc, 'auth.whoami')()) as { organization: { id: string } | null };
    return me.organization?.id ?? null;
  } catch {
    return undefined;
  }
}

/** The wire's page_info back to the procedure's pageInfo (the extra Keycard fields dropped). */
function camelPageInfo(body: unknown): unknown {
  if (!body || typeof body !== 'object' || !('page_info' in body)) return body;
  const { page_info, ...rest } = body as { page_info: { has_next_page: boolean; end_cursor: string | null } };
  return { ...rest, page_info: { has_next_page: page_info.has_next_page, end_cursor: page_info.end_cursor } };
}
