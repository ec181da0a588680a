import type { EntityManager } from '@mikro-orm/postgresql';
import type { Credential } from '../context.js';
import { AppError } from '../errors.js';
import type { Principal } from '../principal.js';
import { verifyApiKey } from './api-keys.js';

/** Every way a caller proves who they are ends here. Session tokens and service-account JWTs join later. */
export async function authenticate(em: EntityManager, credential: Credential | null): Promise<Principal> {
  if (!credential) throw new AppError('UNAUTHORIZED', 'Missing credentials');
  const key = credential.type === 'bearer' ? credential.token : `${credential.prefix}_${credential.secret}`;
  return verifyApiKey(em, key);
}
