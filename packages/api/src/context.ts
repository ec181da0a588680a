import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Credential, DatabaseHandle, RequestContext } from './request-context.js';

export type { Credential, RequestContext };

export const databaseHandle = (orm: MikroORM) => orm as unknown as DatabaseHandle;

/** A fork of the entity manager for one request alone. */
export const forkEntityManager = (handle: DatabaseHandle): EntityManager => (handle as unknown as MikroORM).em.fork();

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
}): RequestContext {
  return {
    database: databaseHandle(opts.orm),
    requestId: opts.requestId,
    ip: opts.ip,
    credential: readCredential(opts.headers),
  };
}
