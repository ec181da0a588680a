import { randomUUID } from 'node:crypto';
import {
  appRouter,
  authorizationServerMetadata,
  createContext,
  devMailPage,
  handleTokenRequest,
  jwksResponse,
  type MailMessage,
  type Runtime,
} from '@gatehouse/api';
import { ping } from '@gatehouse/db';
import { getConnInfo } from '@hono/node-server/conninfo';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { Hono } from 'hono';
import type { Logger } from 'pino';

export interface AppOptions {
  runtime: Runtime;
  logger: Logger;
  /** Believe X-Forwarded-For for the client IP (only behind a proxy that sets it). */
  trustProxy?: boolean;
  /** Serves /dev/mail, the development mail viewer, from these messages (unset: no viewer). */
  devMail?: (() => readonly MailMessage[]) | undefined;
}

type Env = { Variables: { requestId: string; ip: string | null } };

// Above this, one HTTP request could carry enough calls to dodge per-call limits or hog a worker.
export const MAX_BATCH_SIZE = 10;
const REQUEST_ID = /^[\w.:-]{1,128}$/;

function clientIp(c: Parameters<typeof getConnInfo>[0], trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null; // not served by @hono/node-server (in-process tests)
  }
}

/** The HTTP app, without a listening socket, so tests build one in-process. */
export function createApp({ runtime, logger, trustProxy = false, devMail }: AppOptions) {
  const app = new Hono<Env>();

  app.use(async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    c.set('ip', clientIp(c, trustProxy));
    c.header('x-request-id', requestId);
    const started = performance.now();
    await next();
    logger.info(
      {
        requestId,
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      },
      'request',
    );
  });

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) =>
    (await ping(runtime.orm))
      ? c.json({ status: 'ok', database: 'up' })
      : c.json({ status: 'unavailable', database: 'down' }, 503),
  );

  // Service accounts' client-credentials grant, and what verifiers need to check its tokens offline.
  app.post('/oauth/token', (c) => handleTokenRequest(runtime, c.req.raw, c.get('ip')));
  app.get('/.well-known/jwks.json', () => jwksResponse(runtime));
  app.get('/.well-known/oauth-authorization-server', () => authorizationServerMetadata(runtime));

  if (devMail) app.get('/dev/mail', (c) => c.html(devMailPage(devMail())));

  app.all('/trpc/*', (c) =>
    fetchRequestHandler({
      endpoint: '/trpc',
      req: c.req.raw,
      router: appRouter,
      maxBatchSize: MAX_BATCH_SIZE,
      createContext: () =>
        createContext({ runtime, headers: c.req.raw.headers, requestId: c.get('requestId'), ip: c.get('ip') }),
      // Throttled calls tell the client when to come back.
      responseMeta({ errors }) {
        const waits = errors.map(
          (e) => (e.cause as { details?: { retryAfterSeconds?: number } })?.details?.retryAfterSeconds,
        );
        const retryAfter = Math.max(0, ...waits.filter((w): w is number => typeof w === 'number'));
        return retryAfter > 0 ? { headers: { 'retry-after': String(retryAfter) } } : {};
      },
      onError({ error, path }) {
        if (error.code === 'INTERNAL_SERVER_ERROR') {
          logger.error({ requestId: c.get('requestId'), path, err: error.cause ?? error }, 'unhandled error');
        }
      },
    }),
  );

  return app;
}
