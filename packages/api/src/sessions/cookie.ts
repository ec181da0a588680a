import type { SessionCookieSink } from './cookie-sink.js';
import { SESSION_MAX_MS } from './sessions.js';

/**
 * Browser sessions held as a cookie. The cookie is `HttpOnly` (no script reads it), `SameSite=Lax`
 * (a cross-site POST leaves it behind), `Path=/`; on https also `Secure` and named with the `__Host-`
 * prefix, which the browser accepts only from this very host over https with `Path=/` and no Domain,
 * so a sibling subdomain cannot plant a session of its own (session fixation). On https only the
 * prefixed name is read.
 */
export const cookieNameFor = (secure: boolean) => (secure ? '__Host-gatehouse_session' : 'gatehouse_session');

/** What the HTTP app tells the context about the browser side of a request. */
export interface BrowserOptions {
  /** Served over https (the request itself, or the configured public URL behind a TLS proxy). */
  secure: boolean;
  /** Origins whose pages may use the cookie: the server's public origin and the allowed origins. */
  trustedOrigins: readonly string[];
  /** Where Set-Cookie goes; without it (GraphQL) the cookie is read but never set. */
  responseHeaders?: Headers | undefined;
}

/**
 * Where a browser says the request comes from. `same-origin`: the Origin is a trusted one, or the
 * browser says Sec-Fetch-Site: same-origin. `cross-site`: any other Origin, or Sec-Fetch-Site naming
 * another site. `unknown`: neither header (a client that is no browser, or an old one).
 */
export type Site = 'same-origin' | 'cross-site' | 'unknown';

export function siteOf(headers: Headers, trustedOrigins: readonly string[]): Site {
  const origin = headers.get('origin');
  const fetchSite = headers.get('sec-fetch-site');
  if ((origin !== null && trustedOrigins.includes(origin)) || fetchSite === 'same-origin') return 'same-origin';
  if (origin !== null || (fetchSite !== null && fetchSite !== 'none')) return 'cross-site';
  return 'unknown';
}

/** The session token in the request's cookie of that name, if any. */
export function readSessionCookie(headers: Headers, secure: boolean): string | null {
  const header = headers.get('cookie');
  if (!header) return null;
  const name = cookieNameFor(secure);
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

export function sessionCookieSink(browser: BrowserOptions): SessionCookieSink | null {
  const headers = browser.responseHeaders;
  if (!headers) return null;
  const name = cookieNameFor(browser.secure);
  const attributes = `Path=/; HttpOnly; SameSite=Lax${browser.secure ? '; Secure' : ''}`;
  return {
    // As long as the session may live (it slides up to its cap); the server decides whether it still does.
    set: (token) => headers.append('set-cookie', `${name}=${token}; ${attributes}; Max-Age=${SESSION_MAX_MS / 1000}`),
    clear: () => headers.append('set-cookie', `${name}=; ${attributes}; Max-Age=0`),
  };
}
