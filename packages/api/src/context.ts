import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Principal } from './principal.js';

/** The raw credential a request carried; verified only by procedures that need a principal. */
export type Credential = { type: 'bearer'; token: string } | { type: 'apiKeyPair'; prefix: string; secret: string };

export interface Context {
  /** A fork of the entity manager for this request alone. */
  em: EntityManager;
  requestId: string;
  ip: string | null;
  credential: Credential | null;
  /** Set by authedProcedure. */
  principal?: Principal;
}

export function readCredential(headers: Headers): Credential | null {
  const authorization = headers.get('authorization');
  if (authorization) {
    const [scheme, token] = authorization.split(' ', 2);
    return scheme?.toLowerCase() === 'bearer' && token ? { type: 'bearer', token: token.trim() } : null;
  }
  const prefix = headers.get('x-api-key');
  const secret = headers.get('x-api-secret');
  return prefix && secret ? { type: 'apiKeyPair', prefix, secret } : null;
}

export function createContext(opts: {
  orm: MikroORM;
  headers: Headers;
  requestId: string;
  ip: string | null;
}): Context {
  return {
    em: opts.orm.em.fork(),
    requestId: opts.requestId,
    ip: opts.ip,
    credential: readCredential(opts.headers),
  };
}
