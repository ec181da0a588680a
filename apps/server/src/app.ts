import { randomUUID } from 'node:crypto';
import {
  appRouter,
  authorizationServerMetadata,
  type BrowserOptions,
  createContext,
  devMailPage,
  handleSamlCallback,
  handleSamlMetadata,
  handleSsoCallback,
  handleSsoStart,
  handleTokenRequest,
  jwksResponse,
  type MailMessage,
  type Runtime,
} from '@gatehouse/api';
import { ping } from '@gatehouse/db';
import { getConnInfo } from '@hono/node-server/conninfo';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { Hono } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from 'pino';
import { clientAddressResolver, type TrustProxy } from './client-address.js';
import { mountConsole } from './console.js';
import { createGraphQLHandler } from './graphql/handler.js';
import {
  bodyLimit,
  cors,
  jsonDepthExceeds,
  logRefusedOrigins,
  nodeResponse,
  problem,
  securityHeaders,
} from './http-guards.js';
import { failureOf } from './logger.js';
import { createMetrics, type Metrics, metricsAllowed, procedureLabel } from './metrics.js';
import { mountRestApi } from './rest/index.js';
import { mountDirectTrpc, retryAfterOf } from './trpc-direct.js';

export interface AppOptions {
  runtime: Runtime;
  logger: Logger;
  /** Which proxies' X-Forwarded-For to believe for the client address (default: none). */
  trustProxy?: TrustProxy;
  /** Serves /dev/mail, the development mail viewer, from these messages (unset: no viewer). */
  devMail?: (() => readonly MailMessage[]) | undefined;
  /** Origins allowed to call from a browser (`*` for any); empty: no CORS. */
  corsOrigins?: string[];
  /** Largest request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Adds HSTS (production is served over TLS); GraphQL without introspection and suggestions. */
  production?: boolean;
  /** Serves /metrics to `Authorization: Bearer <token>` (GATEHOUSE_METRICS_TOKEN); unset: no /metrics here. */
  metricsToken?: string | undefined;
  /** Counts every request (main.ts shares it with the metrics port); made here when a token is set. */
  metrics?: Metrics | undefined;
  /** Serves the console and hosted pages built into this directory (apps/console/dist); unset: not served. */
  consoleDir?: string | undefined;
}

type Env = { Variables: { requestId: string; ip: string | null } };

/**
 * The request for tRPC once its body has been read (for the depth check). A JSON call gets a view that
 * answers text() with that body: `new Request(raw, { body })` built two undici Requests on every
 * mutation (the node server materializes its own, then the copy), headers converted twice, which a
 * query never pays. tRPC reads only url, method, headers, signal and the text of a JSON call; any
 * other content type (multipart, octet-stream: read as a stream or form) gets a real Request.
 */
function withBody(raw: Request, body: string): Request {
  if (!raw.headers.get('content-type')?.toLowerCase().startsWith('application/json')) {
    return new Request(raw, { body });
  }
  const view: Pick<Request, 'url' | 'method' | 'headers' | 'signal' | 'text' | 'json'> = {
    url: raw.url,
    method: raw.method,
    headers: raw.headers,
    signal: raw.signal,
    text: async () => body,
    json: async () => JSON.parse(body),
  };
  return view as Request;
}

// Above this, one HTTP request could carry enough calls to dodge per-call limits or hog a worker.
export const MAX_BATCH_SIZE = 10;
const REQUEST_ID = /^[\w.:-]{1,128}$/;
// JSON nesting past this is refused before tRPC parses it: far beyond any real input (the input
// guard allows 32 levels of it, plus the batch and superjson envelopes), far below the stack.
export const MAX_JSON_DEPTH = 64;

function peerAddress(c: Parameters<typeof getConnInfo>[0]): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null; // not served by @hono/node-server (in-process tests)
  }
}

/** The HTTP app, without a listening socket, so tests build one in-process. */
export function createApp({
  runtime,
  logger,
  trustProxy = false,
  devMail,
  corsOrigins = [],
  bodyLimit: maxBody = 1024 * 1024,
  production = false,
  metricsToken,
  metrics = metricsToken ? createMetrics(runtime) : undefined,
  consoleDir,
}: AppOptions) {
  const app = new Hono<Env>();
  const clientAddress = clientAddressResolver(trustProxy);
  // Browsers may hold a session as a cookie (sessions/cookie.ts in the api): pages of the public origin,
  // and of the allowed origins, may use it; on https (the request's, or the public URL's behind a TLS
  // proxy) it is Secure and __Host- prefixed.
  const publicOrigin = new URL(runtime.publicUrl).origin;
  const trustedOrigins = [publicOrigin, ...corsOrigins.filter((o) => o !== '*')];
  const browserOf = (url: string, responseHeaders?: Headers): BrowserOptions => ({
    secure: publicOrigin.startsWith('https:') || url.startsWith('https:'),
    trustedOrigins,
    responseHeaders,
  });

  app.use(async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    c.set('ip', clientAddress(peerAddress(c), c.req.header('x-forwarded-for')));
    // Served by node: set on its response (http-guards.ts's nodeResponse says why). Else on the answer.
    const node = nodeResponse(c);
    if (node) node.setHeader('x-request-id', requestId);
    else c.header('x-request-id', requestId);
    const started = performance.now();
    await next();
    // A handler that returns its own Response (tRPC's, REST's) drops headers set before it ran.
    if (!node && !c.res.headers.has('x-request-id')) {
      try {
        c.res.headers.set('x-request-id', requestId);
      } catch {
        c.res = new Response(c.res.body, c.res);
        c.res.headers.set('x-request-id', requestId);
      }
    }
    const elapsed = performance.now() - started;
    const ms = Math.round(elapsed * 10) / 10;
    metrics?.observe(procedureLabel(c.req.path, routePath(c)), c.res.status, elapsed / 1000);
    // A failed request's line says why: the code and reason its answer gave.
    const failure = await failureOf(c.res);
    logger.info({ requestId, method: c.req.method, path: c.req.path, status: c.res.status, ms, ...failure }, 'request');
  });

  app.use(securityHeaders({ production }), logRefusedOrigins(corsOrigins, logger, [publicOrigin]), bodyLimit(maxBody));
  if (corsOrigins.length > 0) app.use(cors(corsOrigins));

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  if (metrics && metricsToken) {
    app.get('/metrics', async (c) => {
      if (!metricsAllowed(c.req.header('authorization'), metricsToken)) {
        return c.text('Unauthorized', 401, { 'www-authenticate': 'Bearer' });
      }
      return c.text(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType });
    });
  }
  // Ready while the database answers. A throttle store that does not answer degrades to this process's
  // memory (see limits/throttle-store.ts): still ready, and the body says so.
  app.get('/readyz', async (c) => {
    const { errors: _errors, ...throttle } = runtime.throttle.health();
    const degraded = throttle.degraded ? ['throttle'] : [];
    return (await ping(runtime.orm))
      ? c.json({ status: degraded.length ? 'degraded' : 'ok', database: 'up', throttle, degraded })
      : c.json({ status: 'unavailable', database: 'down', throttle, degraded }, 503);
  });

  // Service accounts' client-credentials grant, and what verifiers need to check its tokens offline.
  app.post('/oauth/token', (c) => handleTokenRequest(runtime, c.req.raw, c.get('ip')));
  app.get('/.well-known/jwks.json', () => jwksResponse(runtime));
  app.get('/.well-known/oauth-authorization-server', () => authorizationServerMetadata(runtime));

  // Single sign-on (OIDC): to the organization's IdP, and back with a one-time code for auth.exchangeSsoCode.
  app.get('/sso/callback', (c) =>
    handleSsoCallback({ runtime, ip: c.get('ip'), requestId: c.get('requestId') }, c.req.raw),
  );
  app.post('/sso/callback', (c) =>
    handleSamlCallback({ runtime, ip: c.get('ip'), requestId: c.get('requestId') }, c.req.raw),
  );
  app.get('/sso/:organizationLabel/saml/metadata', (c) =>
    handleSamlMetadata(runtime, c.req.param('organizationLabel')),
  );
  app.get('/sso/:organizationLabel/start', (c) =>
    handleSsoStart(
      { runtime, ip: c.get('ip'), requestId: c.get('requestId') },
      c.req.param('organizationLabel'),
      new URL(c.req.url),
    ),
  );

  if (devMail) app.get('/dev/mail', (c) => c.html(devMailPage(devMail())));
  if (consoleDir) mountConsole(app, consoleDir);

  // REST in the Keycard shape, calling the same procedures (src/rest/routes.ts).
  mountRestApi(app, { runtime, logger, maxJsonDepth: MAX_JSON_DEPTH, browserOf });

  // keys.verify, an integrator's service's hot path, without tRPC's handler (same answers; trpc-direct.ts).
  mountDirectTrpc(app, { runtime, logger, maxJsonDepth: MAX_JSON_DEPTH, maxBatchSize: MAX_BATCH_SIZE, browserOf });

  app.all('/trpc/*', async (c) => {
    // tRPC parses JSON recursively: bound the nesting on the text first, body and query alike. A query
    // (GET) has no body: not asking for one spares building a full Request on every call.
    const method = c.req.method;
    const body = method === 'GET' || method === 'HEAD' ? undefined : await c.req.text();
    const input = c.req.query('input');
    if ((body && jsonDepthExceeds(body, MAX_JSON_DEPTH)) || (input && jsonDepthExceeds(input, MAX_JSON_DEPTH))) {
      return problem(c, 400, 'BAD_REQUEST', `JSON input is nested deeper than ${MAX_JSON_DEPTH} levels`);
    }
    return fetchRequestHandler({
      endpoint: '/trpc',
      req: body === undefined ? c.req.raw : withBody(c.req.raw, body),
      router: appRouter,
      maxBatchSize: MAX_BATCH_SIZE,
      createContext: ({ resHeaders }) =>
        createContext({
          runtime,
          headers: c.req.raw.headers,
          requestId: c.get('requestId'),
          ip: c.get('ip'),
          method,
          browser: browserOf(c.req.url, resHeaders),
        }),
      // Throttled calls tell the client when to come back.
      responseMeta: ({ errors }) => ({ headers: retryAfterOf(errors) }),
      onError({ error, path }) {
        if (error.code === 'INTERNAL_SERVER_ERROR') {
          logger.error({ requestId: c.get('requestId'), path, err: error.cause ?? error }, 'unhandled error');
        }
      },
    });
  });

  // The seed-004 User Management API: resolvers call the procedures above through a server-side caller.
  const graphql = createGraphQLHandler({ runtime, logger, production });
  app.on(['GET', 'POST'], '/graphql', async (c) => {
    const body = c.req.method === 'POST' ? await c.req.text() : undefined;
    const variables = c.req.query('variables');
    if (
      (body && jsonDepthExceeds(body, MAX_JSON_DEPTH)) ||
      (variables && jsonDepthExceeds(variables, MAX_JSON_DEPTH))
    ) {
      return problem(c, 400, 'BAD_REQUEST', `JSON input is nested deeper than ${MAX_JSON_DEPTH} levels`);
    }
    const request = body === undefined ? c.req.raw : new Request(c.req.raw, { body });
    return graphql.fetch(request, {
      headers: c.req.raw.headers,
      requestId: c.get('requestId'),
      ip: c.get('ip'),
      method: c.req.method,
      // A cookie is accepted (under the same CSRF rules) but never set over GraphQL.
      browser: browserOf(c.req.url),
    });
  });

  return app;
}
