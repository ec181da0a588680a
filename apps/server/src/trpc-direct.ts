import { appRouter, type BrowserOptions, createContext, type Runtime, verifyKeyDirect } from '@gatehouse/api';
import type { TRPCError } from '@trpc/server';
import { getErrorShape, getHTTPStatusCode, getTRPCErrorFromUnknown } from '@trpc/server/unstable-core-do-not-import';
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import { jsonDepthExceeds } from './http-guards.js';

type Env = { Variables: { requestId: string; ip: string | null } };

/** The router's transformer and error formatter, as tRPC's handler uses them (REST's errors too). */
export const routerConfig = (
  appRouter as unknown as { _def: { _config: Parameters<typeof getErrorShape>[0]['config'] } }
)._def._config;

/** The Retry-After a throttled call's answer carries: the longest wait any of its errors asks for. */
export function retryAfterOf(errors: TRPCError[]): Record<string, string> {
  const waits = errors.map(
    (e) => (e.cause as { details?: { retryAfterSeconds?: number } })?.details?.retryAfterSeconds,
  );
  const retryAfter = Math.max(0, ...waits.filter((w): w is number => typeof w === 'number'));
  return retryAfter > 0 ? { 'retry-after': String(retryAfter) } : {};
}

export interface DirectTrpcOptions {
  runtime: Runtime;
  logger: Logger;
  maxJsonDepth: number;
  maxBatchSize: number;
  browserOf: (url: string, responseHeaders: Headers) => BrowserOptions;
}

/**
 * `POST /trpc/keys.verify` answered without tRPC's request handler. An integrator's service asks it on
 * every request it serves, through the typed client, and tRPC's handler (the request rebuilt, the
 * context copied at each of the chain's four layers, the answer assembled for every kind of call) cost
 * it a third of its throughput against the same procedure over REST. The call runs the procedure's
 * chain without tRPC's caller (`verifyKeyDirect`, as REST does: credential, verifier's gate, schemas,
 * service, errors), and tRPC's own functions shape the answer: the router's transformer and error
 * formatter (`getErrorShape`), `getHTTPStatusCode` for a batch's status. Only the plain case is taken:
 * a JSON POST of keys.verify alone, or batched with itself (the client's batch link joins calls made in
 * the same tick); anything else (another content type, a streaming accept, unparseable JSON) goes on
 * to tRPC's handler, which answers it as before. `apps/server/test/trpc-direct.test.ts` holds the two
 * answers side by side.
 */
export function mountDirectTrpc(app: Hono<Env>, options: DirectTrpcOptions) {
  const { runtime, logger } = options;
  app.post('/trpc/:paths{keys\\.verify(?:,keys\\.verify)*}', async (c, next) => {
    const paths = c.req.param('paths').split(',');
    const batch = c.req.query('batch') === '1';
    if (
      c.req.header('trpc-accept') !== undefined ||
      !c.req.header('content-type')?.toLowerCase().startsWith('application/json') ||
      (!batch && paths.length > 1) ||
      paths.length > options.maxBatchSize
    ) {
      return next();
    }
    const body = await c.req.text();
    if (jsonDepthExceeds(body, options.maxJsonDepth)) return next();
    let inputs: unknown[];
    try {
      const parsed = JSON.parse(body) as unknown;
      const raws = batch ? paths.map((_, i) => (parsed as Record<number, unknown> | null)?.[i]) : [parsed];
      inputs = raws.map((raw) => (raw === undefined ? undefined : routerConfig.transformer.input.deserialize(raw)));
    } catch {
      return next();
    }
    const headers = new Headers([
      ['vary', 'trpc-accept, accept'],
      ['content-type', 'application/json'],
    ]);
    let ctx: ReturnType<typeof createContext>;
    try {
      ctx = createContext({
        runtime,
        headers: c.req.raw.headers,
        requestId: c.get('requestId'),
        ip: c.get('ip'),
        method: 'POST',
        browser: options.browserOf(c.req.url, headers),
      });
    } catch {
      // tRPC's handler answers a context that cannot be made (all its calls fail alike).
      return next();
    }
    const errors: TRPCError[] = [];
    const answers = await Promise.all(
      inputs.map(async (input) => {
        try {
          return { result: { data: await verifyKeyDirect(ctx, input) } };
        } catch (cause) {
          const error = getTRPCErrorFromUnknown(cause);
          errors.push(error);
          if (error.code === 'INTERNAL_SERVER_ERROR') {
            logger.error(
              { requestId: ctx.requestId, path: 'keys.verify', err: error.cause ?? error },
              'unhandled error',
            );
          }
          return {
            error: getErrorShape({ config: routerConfig, error, type: 'mutation', path: 'keys.verify', input, ctx }),
          };
        }
      }),
    );
    for (const [key, value] of Object.entries(retryAfterOf(errors))) headers.set(key, value);
    // transformTRPCResponse's items, written directly: its generic copies were 8% of a call's CPU.
    const { serialize } = routerConfig.transformer.output;
    const wire = answers.map((a) =>
      'error' in a ? { error: serialize(a.error) } : { result: { data: serialize(a.result.data) } },
    );
    return new Response(JSON.stringify(batch ? wire : wire[0]), { status: getHTTPStatusCode(answers), headers });
  });
}
