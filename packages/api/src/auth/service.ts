import { Organization, User } from '@gatehouse/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../errors.js';
import type { Principal } from '../principal.js';
import type { TWhoami } from './schema.js';

export async function whoami(em: EntityManager, principal: Principal): Promise<TWhoami> {
  const [user, organization] = await Promise.all([
    em.findOne(User, principal.userId, { fields: ['id', 'email', 'name'] }),
    principal.organizationId ? em.findOne(Organization, principal.organizationId, { fields: ['id', 'name'] }) : null,
  ]);
  if (!user) throw new AppError('UNAUTHORIZED', 'Unknown user');
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    roles: principal.role ? [principal.role] : [],
    organization: organization ? { id: organization.id, name: organization.name } : null,
    ...(principal.apiKey ? { apiKey: principal.apiKey } : {}),
    principal: 'user',
  };
}
