import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../core/audit.js';
import type { Principal } from '../core/principal.js';
import type { Runtime } from './runtime.js';

/** What a service needs to know about the request it serves. The tRPC context satisfies it. */
export interface Caller {
  em: EntityManager;
  runtime: Runtime;
  principal: Principal;
  ip: string | null;
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
