/**
 * Sets and clears the browser's session cookie on one request's answer (sessions/cookie.ts makes it).
 * On its own, importing nothing: the request context names it, and clients load that type.
 */
export interface SessionCookieSink {
  set(token: string): void;
  clear(): void;
}
