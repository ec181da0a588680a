/**
 * The context tRPC is initialised with. It is part of the AppRouter type that every client loads,
 * so it names no server type: the runtime travels as an opaque handle, and the procedure chain adds
 * the typed runtime and entity manager (see trpc.ts). This keeps ~440 ORM declaration files out of
 * every consumer's type check.
 */
import type { SessionCookieSink } from '../sessions/cookie-sink.js';

declare const opaque: unique symbol;
export type RuntimeHandle = { readonly [opaque]: true };

/** The raw credential a request carried; verified only by procedures that need a principal. */
export type Credential =
  | { type: 'bearer'; token: string }
  | { type: 'apiKeyPair'; prefix: string; secret: string }
  | {
      /** A browser's session cookie (see sessions/cookie.ts), accepted only under the CSRF rules. */
      type: 'cookie';
      token: string;
      /** X-Gatehouse-CSRF. */
      csrf: string | null;
      /** Where the browser says the request comes from (Origin, Sec-Fetch-Site). */
      site: 'same-origin' | 'cross-site' | 'unknown';
      /** The HTTP method changes state (not GET or HEAD): REST's POST, PATCH, DELETE. */
      unsafeMethod: boolean;
    };

export type { SessionCookieSink };

export interface RequestContext {
  runtime: RuntimeHandle;
  requestId: string;
  ip: string | null;
  /** The User-Agent, recorded on the sessions the request signs in or uses (auth.sessions.list). */
  userAgent: string | null;
  credential: Credential | null;
  /**
   * X-Gatehouse-Organization (REST: the path's organization): where the request acts. A session acts in
   * any organization it is a member of, a key or a service account's token in its own; else NOT_FOUND.
   */
  organizationHeader: string | null;
  /** Sets and clears the browser's session cookie on this request's answer (null: not over HTTP). */
  sessionCookie: SessionCookieSink | null;
}
