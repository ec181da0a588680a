import type { Runtime } from '../infra/caller.js';
import { type BrowserOptions, readSessionCookie, sessionCookieSink, siteOf } from '../sessions/cookie.js';
import type { Credential, RequestContext, RuntimeHandle } from './request-context.js';

export type { Credential, RequestContext };

export const runtimeOf = (handle: RuntimeHandle) => handle as unknown as Runtime;

/**
 * The request's credential: a header's (Authorization, X-API-KEY + X-API-SECRET) before anything else;
 * else, for a browser, its session cookie, with what the CSRF rules need to judge it (authenticate.ts).
 */
export function readCredential(headers: Headers, browser?: BrowserOptions, method = 'POST'): Credential | null {
  const authorization = headers.get('authorization');
  if (authorization) {
    const [scheme, token] = authorization.split(' ', 2);
    return scheme?.toLowerCase() === 'bearer' && token ? { type: 'bearer', token: token.trim() } : null;
  }
  const prefix = headers.get('x-api-key');
  const secret = headers.get('x-api-secret');
  if (prefix && secret) return { type: 'apiKeyPair', prefix, secret };
  const token = browser ? readSessionCookie(headers, browser.secure) : null;
  if (!browser || !token) return null;
  return {
    type: 'cookie',
    token,
    csrf: headers.get('x-gatehouse-csrf'),
    site: siteOf(headers, browser.trustedOrigins),
    unsafeMethod: method !== 'GET' && method !== 'HEAD',
  };
}

export function createContext(opts: {
  runtime: Runtime;
  headers: Headers;
  requestId: string;
  ip: string | null;
  /** The HTTP method (a cookie's CSRF rules depend on it); default POST, the strict reading. */
  method?: string;
  /** A browser may be at the other end: read the session cookie, and set it on `responseHeaders`. */
  browser?: BrowserOptions;
}): RequestContext {
  return {
    runtime: opts.runtime as unknown as RuntimeHandle,
    requestId: opts.requestId,
    ip: opts.ip,
    userAgent: opts.headers.get('user-agent'),
    credential: readCredential(opts.headers, opts.browser, opts.method),
    organizationHeader: opts.headers.get('x-gatehouse-organization'),
    sessionCookie: opts.browser ? sessionCookieSink(opts.browser) : null,
  };
}
