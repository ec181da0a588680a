import { type Orm, User } from '@gatehouse/db';
import { bootstrapWithKey } from '../bootstrap/service.js';
import { createContext } from '../context.js';
import { appRouter } from '../root.js';
import { createCallerFactory } from '../trpc.js';

let counter = 0;

/** A new platform admin owning a new organization, with an owner API key. */
export async function ownerWithKey(orm: Orm, organization = `Org ${++counter}`) {
  const result = await bootstrapWithKey(orm.em.fork(), { email: `owner${++counter}@example.com`, organization });
  return {
    userId: result.userId,
    organizationId: result.organizationId,
    key: result.apiKey.key,
    keyId: result.apiKey.id,
  };
}

/** A server-side caller of the whole router, authenticated the way an HTTP request would be. */
export function callerFor(orm: Orm, headers: Record<string, string> = {}) {
  return createCallerFactory(appRouter)(
    createContext({ orm, headers: new Headers(headers), requestId: 'test', ip: '127.0.0.1' }),
  );
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

export async function setUserStatus(orm: Orm, userId: string, status: User['status']) {
  await orm.em.fork().nativeUpdate(User, { id: userId }, { status });
}
