import type { Runtime } from '../infra/caller.js';
import type { Credential, RequestContext, RuntimeHandle } from './request-context.js';

export type { Credential, RequestContext };

export const runtimeOf = (handle: RuntimeHandle) => handle as unknown as Runtime;

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
  runtime: Runtime;
  headers: Headers;
  requestId: string;
  ip: string | null;
}): RequestContext {
  return {
    runtime: opts.runtime as unknown as RuntimeHandle,
    requestId: opts.requestId,
    ip: opts.ip,
    userAgent: opts.headers.get('user-agent'),
    credential: readCredential(opts.headers),
    organizationHeader: opts.headers.get('x-gatehouse-organization'),
  };
}
