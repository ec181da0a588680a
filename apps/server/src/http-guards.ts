import { ServerResponse } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { cors as honoCors } from 'hono/cors';
import type { Logger } from 'pino';

/** An RFC 9457 problem response, shaped as the contract's REST errors are. */
export function problem(c: Context, status: 400 | 413, reason: string, detail: string) {
  const title = status === 413 ? 'Payload Too Large' : 'Bad Request';
  return c.body(JSON.stringify({ type: 'about:blank', title, status, detail, code: reason, reason }), status, {
    'content-type': 'application/problem+json',
  });
}

/**
 * The node response under a request that @hono/node-server serves (none under `app.request`). A header
 * set on it before the answer is written is a property write; set on the answer (a Fetch Response),
 * it turns the node server's plain header record into undici Headers, which are then copied and
 * iterated back: 7–13% of a small call's cost, measured on two machines (README, Verifying keys).
 * Headers the answer carries take precedence over these when node writes the head.
 */
export function nodeResponse(c: Context): ServerResponse | undefined {
  const outgoing = (c.env as { outgoing?: unknown } | undefined)?.outgoing;
  return outgoing instanceof ServerResponse ? outgoing : undefined;
}

/**
 * Headers every response carries: no MIME sniffing, no referrer leaking tokens from URLs, never
 * framed (clickjacking), nothing loaded by an API response, nothing cached (answers carry keys,
 * tokens and personal data); HSTS once served in production, where TLS is expected in front.
 */
export function securityHeaders({ production }: { production: boolean }): MiddlewareHandler {
  const always: [string, string][] = [
    ['x-content-type-options', 'nosniff'],
    ['referrer-policy', 'no-referrer'],
    ['x-frame-options', 'DENY'],
    ['cross-origin-resource-policy', 'same-origin'],
    ...(production ? [['strict-transport-security', 'max-age=31536000; includeSubDomains'] as [string, string]] : []),
  ];
  const unlessSet: [string, string][] = [
    ['content-security-policy', "default-src 'none'; frame-ancestors 'none'"],
    ['cache-control', 'no-store'],
  ];
  const apply = (headers: Headers) => {
    for (const [name, value] of always) headers.set(name, value);
    for (const [name, value] of unlessSet) if (!headers.has(name)) headers.set(name, value);
  };
  const all = [...always, ...unlessSet];
  return async (c, next) => {
    const node = nodeResponse(c);
    if (node) {
      // The answer's own headers win over these when it is written: the unless-set rule (and no route
      // sets the others).
      for (const [name, value] of all) node.setHeader(name, value);
      return next();
    }
    await next();
    // Set on the response as it is (c.header would copy the whole response once per header).
    try {
      apply(c.res.headers);
    } catch {
      c.res = new Response(c.res.body, c.res); // a response with immutable headers: copied once
      apply(c.res.headers);
    }
  };
}

/**
 * Cross-origin calls only from the listed origins (`*`: any origin, never with credentials). Not
 * installed without a list: no CORS headers, so a browser page elsewhere cannot read a response.
 */
export function cors(origins: string[]): MiddlewareHandler {
  return honoCors({
    origin: origins.includes('*') ? '*' : origins,
    credentials: false, // credentials travel in headers the caller sets, never cookies
    allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowHeaders: [
      'authorization',
      'content-type',
      'x-api-key',
      'x-api-secret',
      'x-gatehouse-organization',
      'x-request-id',
      'idempotency-key',
    ],
    exposeHeaders: ['retry-after', 'x-request-id'],
    maxAge: 600,
  });
}

// Enough for every origin a deployment really serves; a flood of made-up Origin headers stops here.
export const MAX_LOGGED_ORIGINS = 100;

/**
 * Logs an origin whose browser pages CORS leaves out (not in the list, or no list at all) once per
 * process, with the setting that would let it in. The browser refuses such a page on its side, so
 * without this line the server's log never says why a console or SPA cannot call it. Same-origin
 * pages (the Origin's host is the Host, or the Origin is the public URL's) need no CORS and are never logged. At most
 * MAX_LOGGED_ORIGINS origins are remembered, each cut to 200 characters: made-up Origin headers cannot
 * grow memory or the log.
 */
export function logRefusedOrigins(
  origins: string[],
  logger: Pick<Logger, 'warn'>,
  /** The server's own public origin(s): its pages may reach it through a proxy under another Host. */
  own: string[] = [],
): MiddlewareHandler {
  const allowed = new Set([...origins, ...own]);
  const logged = new Set<string>();
  const why =
    origins.length === 0
      ? 'GATEHOUSE_CORS_ORIGINS is unset (list the origin there to let its pages call Gatehouse)'
      : 'it is not in GATEHOUSE_CORS_ORIGINS (add it there to let its pages call Gatehouse)';
  return async (c, next) => {
    const header = c.req.header('origin');
    if (header === undefined || origins.includes('*') || allowed.has(header) || logged.size > MAX_LOGGED_ORIGINS) {
      return next();
    }
    const origin = header.slice(0, 200);
    if (!logged.has(origin) && hostOf(origin) !== new URL(c.req.url).host) {
      logged.add(origin);
      if (logged.size > MAX_LOGGED_ORIGINS) {
        logger.warn(`CORS: ${MAX_LOGGED_ORIGINS} origins refused and logged; further ones are not`);
      } else {
        logger.warn({ origin }, `CORS: refused origin ${origin}: ${why}`);
      }
    }
    return next();
  };
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined; // "null" (a sandboxed page, a file) or garbage: never this server
  }
}

/**
 * Refuses a body over `maxBytes` before anything reads it (by Content-Length, else while streaming).
 * GET and HEAD carry none: they pass untouched. Asking for the body (`c.req.raw.body`, as Hono's
 * bodyLimit does first) makes @hono/node-server build a full Request and a web stream, and the body is
 * then read through that stream instead of straight from the socket: so a body with a Content-Length
 * (Node's parser never delivers more than it says) is judged by the header alone, and only a chunked
 * one goes through Hono's streaming count.
 */
export function bodyLimit(maxBytes: number): MiddlewareHandler {
  const onError = (c: Context) =>
    problem(c, 413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBytes} bytes`);
  const streaming = honoBodyLimit({ maxSize: maxBytes, onError });
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    // No length, a chunked body or a length that is no number: counted as it streams.
    if (!length || !/^\d+$/.test(length) || c.req.header('transfer-encoding') !== undefined) {
      return streaming(c, next);
    }
    return Number(length) > maxBytes ? onError(c) : next();
  };
}

/**
 * Whether JSON text nests deeper than `max`, found without parsing it (no recursion, so a
 * 10,000-deep body cannot exhaust the stack). Strings are skipped with indexOf: a 1 MB body is
 * mostly string, and walking it a character at a time would cost tens of milliseconds.
 */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 34 /* " */) {
      // To the closing quote: the first one not escaped by an odd run of backslashes.
      for (;;) {
        const quote = text.indexOf('"', i + 1);
        if (quote < 0) return false; // unterminated: JSON.parse will say so
        let slashes = 0;
        while (text.charCodeAt(quote - 1 - slashes) === 92 /* \ */) slashes++;
        i = quote;
        if (slashes % 2 === 0) break;
      }
    } else if (ch === 123 /* { */ || ch === 91 /* [ */) {
      if (++depth > max) return true;
    } else if (ch === 125 /* } */ || ch === 93 /* ] */) depth--;
  }
  return false;
}
