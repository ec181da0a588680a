import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * The one way Gatehouse fetches a URL a customer supplied (OIDC discovery, JWKS, SAML metadata,
 * webhook endpoints): such a URL must never reach the deployment's own network (server-side request
 * forgery). Rules:
 *
 * - http and https only, no credentials in the URL.
 * - The address is checked where the socket connects: a `lookup` of our own runs for every connection
 *   and refuses the name if any address it resolves to is not public unicast (private, carrier-grade
 *   NAT, loopback, link-local, unique-local, unspecified, multicast, reserved, and IPv4-mapped or
 *   translated IPv6 forms of those). The socket connects to the address that was checked, so a name
 *   that resolves elsewhere a moment later (DNS rebinding) changes nothing. A literal IP in the URL
 *   (which no lookup sees) is checked the same way before anything is sent.
 * - Redirects are not followed unless asked (`maxRedirects`, at most 5): each hop is a new request,
 *   checked like the first; http(s) only. Unasked, a 3xx is a `REDIRECT` error.
 * - The response is bounded: 64 KB (`maxBytes`) and 10 s for the whole exchange (`timeoutMs`).
 * - A connection is reused only when asked (`keepAlive`, webhook deliveries: one receiver takes many
 *   in a row). Reuse skips no check: a pooled socket is one that connected to an address checked when it
 *   connected, and it stays connected to that address whatever the name resolves to later. Unasked,
 *   each request resolves and checks afresh. No proxy variable is read.
 *
 * Loopback (127.0.0.0/8, ::1) is allowed only when the deployment says so
 * (GATEHOUSE_ALLOW_LOOPBACK_URLS=true: local development and tests; refused in production).
 */

export type GuardedFetchReason =
  | 'BAD_URL'
  | 'PRIVATE_ADDRESS'
  | 'TOO_LARGE'
  | 'TIMEOUT'
  | 'BAD_STATUS'
  | 'REDIRECT'
  | 'NETWORK';

export class GuardedFetchError extends Error {
  override readonly name = 'GuardedFetchError';
  constructor(
    readonly reason: GuardedFetchReason,
    message: string,
    /** The HTTP status, for BAD_STATUS and REDIRECT. */
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface GuardedFetchOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Largest body read (default 64 KB; metadata documents may ask for 1 MB). */
  maxBytes?: number;
  /** The whole exchange, connection to last byte (default 10 s). */
  timeoutMs?: number;
  /** Redirects followed, each hop checked like the first (default 0: a 3xx is a REDIRECT error; at most 5). */
  maxRedirects?: number;
  /** Send over a kept-alive connection of this fetcher's pool, if one is free (default: a fresh connection). */
  keepAlive?: boolean;
}

export interface GuardedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The URL that answered (after any redirects followed). */
  url: string;
  text(): string;
  json(): unknown;
}

export type GuardedFetch = (url: string | URL, options?: GuardedFetchOptions) => Promise<GuardedResponse>;

/** How names become addresses: node's own lookup, or a test's. */
export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

export interface GuardedFetcherSettings {
  /** Let 127.0.0.0/8 and ::1 through (GATEHOUSE_ALLOW_LOOPBACK_URLS; development and tests only). */
  allowLoopback?: boolean;
  resolve?: Resolve;
}

export const DEFAULT_MAX_BYTES = 64 * 1024;
export const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_REDIRECTS = 5;
/**
 * An idle pooled connection is closed after this long: below the 5 s that Node's and most servers'
 * keep-alive allows, so that we close first rather than write into a socket the receiver is closing.
 */
const IDLE_MS = 4_000;
/** Connections a fetcher keeps to one receiver (host and port): 16. */
const POOL = { keepAlive: true, maxSockets: 16, maxFreeSockets: 16, timeout: IDLE_MS };

const systemResolve: Resolve = (hostname) =>
  new Promise((resolve, reject) => {
    const options: LookupAllOptions = { all: true, verbatim: true };
    dnsLookup(hostname, options, (error, addresses) => (error ? reject(error) : resolve(addresses)));
  });

/**
 * Why an address may not be reached, or null when it may. Only public unicast passes: ipaddr.js names
 * every special range, and anything but 'unicast' (loopback aside, when allowed) is refused, so a range
 * forgotten here is refused rather than let through. IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged as
 * the IPv4 address it is.
 */
export function refusedAddress(address: string, allowLoopback = false): string | null {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  const ip = ipaddr.process(address);
  const range = ip.range();
  // Of IPv6, only global unicast (2000::/3) is public: nothing embeds another address in it unnoticed.
  if (range === 'unicast' && ip.kind() === 'ipv6' && ((ip as ipaddr.IPv6).parts[0] ?? 0) >> 13 !== 1) {
    return 'not global unicast';
  }
  if (range === 'unicast') return null;
  if (range === 'loopback' && allowLoopback) return null;
  return range;
}

function guardedLookup(resolve: Resolve, allowLoopback: boolean): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (all) => {
        const family = options.family === 4 || options.family === 6 ? options.family : 0;
        const addresses = all.filter((a) => family === 0 || a.family === family);
        // One refused address refuses the name: a resolver answering a public and a private address
        // must not get its choice of the two.
        if (addresses.length === 0) {
          callback(new GuardedFetchError('NETWORK', `${hostname} has no address to connect to`), '');
          return;
        }
        const refused = addresses.find((a) => refusedAddress(a.address, allowLoopback) !== null);
        if (refused) {
          const why = refusedAddress(refused.address, allowLoopback);
          callback(
            new GuardedFetchError('PRIVATE_ADDRESS', `${hostname} resolves to a non-public address (${why})`),
            '',
          );
          return;
        }
        if (options.all) callback(null, addresses);
        else {
          const first = addresses[0] as LookupAddress;
          callback(null, first.address, first.family);
        }
      },
      (error: NodeJS.ErrnoException) =>
        callback(new GuardedFetchError('NETWORK', `cannot resolve ${hostname}: ${error.code ?? error.message}`), ''),
    );
  };
}

function parseUrl(input: string | URL, allowLoopback: boolean): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new GuardedFetchError('BAD_URL', 'not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new GuardedFetchError('BAD_URL', `${url.protocol} URLs are not fetched: http or https only`);
  }
  if (url.username || url.password) throw new GuardedFetchError('BAD_URL', 'credentials in a URL are not sent');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // A literal address is connected to without a lookup: judged here. (URL has already turned the
  // IPv4 shorthands, 0x7f.1 or 2130706433, into dotted quads.)
  if (isIP(host)) {
    const why = refusedAddress(host, allowLoopback);
    if (why) throw new GuardedFetchError('PRIVATE_ADDRESS', `${host} is not a public address (${why})`);
  }
  return url;
}

/** A fetcher bound to the deployment's settings; `runtime.fetch` is one. */
export function createGuardedFetch(settings: GuardedFetcherSettings = {}): GuardedFetch {
  const allowLoopback = settings.allowLoopback ?? false;
  const lookup = guardedLookup(settings.resolve ?? systemResolve, allowLoopback);
  // Made on first use of `keepAlive`; the lookup sits in the request, so every new pooled socket is checked.
  let agents: { http: http.Agent; https: https.Agent } | undefined;
  const pooled = (url: URL) => {
    agents ??= { http: new http.Agent(POOL), https: new https.Agent(POOL) };
    return url.protocol === 'https:' ? agents.https : agents.http;
  };
  return async (input, options = {}) => {
    const maxRedirects = Math.min(options.maxRedirects ?? 0, MAX_REDIRECTS);
    const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    let url = parseUrl(input, allowLoopback);
    for (let hop = 0; ; hop++) {
      const agent = options.keepAlive ? pooled(url) : false;
      const response = await once(url, options, lookup, deadline, agent).catch((error: unknown) => {
        // A kept-alive socket the receiver closed just as we wrote to it: once more, on a new connection.
        if (error instanceof StaleSocket) return once(url, options, lookup, deadline, false);
        throw error;
      });
      const location = response.headers.location;
      if (response.status >= 300 && response.status < 400 && location) {
        if (hop >= maxRedirects) {
          throw new GuardedFetchError(
            'REDIRECT',
            `${url.origin} redirects (${response.status}); not followed`,
            response.status,
          );
        }
        url = parseUrl(new URL(location, url), allowLoopback);
        continue;
      }
      if (response.status < 200 || response.status >= 300) {
        throw new GuardedFetchError('BAD_STATUS', `${url.origin} answered ${response.status}`, response.status);
      }
      return response;
    }
  };
}

/** A reused socket failed before any answer: the request can go again on a fresh connection. */
class StaleSocket extends Error {}

function once(
  url: URL,
  options: GuardedFetchOptions,
  lookup: LookupFunction,
  deadline: number,
  agent: http.Agent | false,
): Promise<GuardedResponse> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const remaining = deadline - Date.now();
  if (remaining <= 0) return Promise.reject(new GuardedFetchError('TIMEOUT', `${url.origin} took too long`));
  return new Promise((resolve, reject) => {
    let settled = false;
    let answered = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      const code = (error as NodeJS.ErrnoException).code;
      if (request.reusedSocket && !answered && (code === 'ECONNRESET' || code === 'EPIPE')) {
        reject(new StaleSocket(code));
        return;
      }
      reject(
        error instanceof GuardedFetchError
          ? error
          : new GuardedFetchError(
              'NETWORK',
              `${url.origin}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
            ),
      );
    };
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method: options.method ?? 'GET',
      headers: {
        'user-agent': 'Gatehouse',
        ...options.headers,
        ...(body ? { 'content-length': String(body.length) } : {}),
      },
      // A new connection runs the lookup, and its check; a pooled one connected to a checked address.
      lookup,
      agent,
    });
    const timer = setTimeout(() => fail(new GuardedFetchError('TIMEOUT', `${url.origin} took too long`)), remaining);
    request.on('error', fail);
    request.on('response', (res) => {
      answered = true;
      const status = res.statusCode ?? 0;
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        fail(new GuardedFetchError('TOO_LARGE', `${url.origin} sent more than ${maxBytes} bytes`));
        return;
      }
      // A redirect's or a refusal's body is not read.
      if (status < 200 || status >= 300) {
        settled = true;
        clearTimeout(timer);
        request.destroy();
        resolve(responseOf(status, res.headers, Buffer.alloc(0), url));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) fail(new GuardedFetchError('TOO_LARGE', `${url.origin} sent more than ${maxBytes} bytes`));
        else chunks.push(chunk);
      });
      res.on('error', fail);
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(responseOf(status, res.headers, Buffer.concat(chunks), url));
      });
    });
    request.end(body);
  });
}

function responseOf(status: number, headers: IncomingHttpHeaders, body: Buffer, url: URL): GuardedResponse {
  return {
    status,
    headers,
    body,
    url: url.href,
    text: () => body.toString('utf8'),
    json: () => JSON.parse(body.toString('utf8')),
  };
}
