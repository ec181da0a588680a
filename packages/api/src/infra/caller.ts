import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Actor } from '../core/audit.js';
import type { SecretBox } from '../core/crypto.js';
import { AppError } from '../core/errors.js';
import type { Principal } from '../core/principal.js';

/** Credentials tied to one of these changed: every process drops what it cached for them. */
export interface Invalidation {
  userId?: string;
  keyId?: string;
  sessionId?: string;
  organizationId?: string;
  serviceAccountId?: string;
  /** A service account's client credential. */
  credentialId?: string;
  /** The registered permissions (and so what the built-in roles grant). */
  catalogue?: true;
  /** Everything, e.g. after the listener lost its connection and may have missed events. */
  all?: true;
}

/** A message to deliver after the commit. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  html?: string | undefined;
}

/**
 * What one server process holds besides its requests. Declared here with what the machinery itself
 * needs; the composition root (../runtime.ts) adds every other part by declaration merging and builds
 * them all, so infra/ names nothing above core/ while services still see the whole runtime.
 */
export interface Runtime {
  orm: MikroORM;
  /** Every pooled connection shares one session (the embedded database): no per-connection state. */
  embedded: boolean;
  /** Evicts cached credentials in this process; other processes learn through NOTIFY (transaction.ts). */
  invalidate(event: Invalidation): void;
  /** Seals queued mail at rest (infra/mail.ts), under a key derived from the deployment secret. */
  mailSecrets: SecretBox;
  /**
   * Webhook deliveries are queued with the events that cause them (a job queue worker delivers them).
   * False where no worker can run (the embedded database): events are then written and listed only.
   */
  deliveries: boolean;
}

/** What a service needs to know about the request it serves. The tRPC context satisfies it. */
export interface Caller {
  em: EntityManager;
  runtime: Runtime;
  principal: Principal;
  ip: string | null;
  /** The request's User-Agent, when it came over HTTP (recorded on sessions). */
  userAgent?: string | null;
  requestId: string;
}

/**
 * The audit actor: the API key when the caller used one (it is the more precise trail), the service
 * account for an access token, else the user.
 */
export function actorOf(caller: Caller): Actor {
  const { principal } = caller;
  return {
    type: principal.serviceAccount ? 'serviceAccount' : principal.apiKey ? 'apiKey' : 'user',
    id: principal.serviceAccount?.id ?? principal.apiKey?.id ?? principal.userId,
    ip: caller.ip,
    requestId: caller.requestId,
    ...(principal.asPlatform ? { platform: true } : {}),
  };
}

/**
 * Whether a person is at the controls: a session (signed in), not a machine credential (an API key or
 * a service account's token). Only a person chooses, or is handed, a way into someone else's account
 * (a password, an invitation's link). A key or a token is held by whatever runs it and is bounded by
 * its expiry, scopes, limits and revocation; an account it could sign in as would outlive all of them,
 * and a service account would reach the procedures only users may call.
 */
export const bySession = (caller: Caller) => caller.principal.sessionId !== null;

/** SESSION_ONLY unless a person is signed in (see bySession). */
export function assertSession(caller: Caller, what: string): void {
  if (!bySession(caller)) {
    throw new AppError(
      'SESSION_ONLY',
      `Only a signed-in person can ${what}; an API key or a service account creates the account without one, and the person is mailed a link to choose their password`,
    );
  }
}
