import { Membership, newId, Organization, type User } from '@gatehouse/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Actor, record } from '../audit.js';
import { freeLabel } from './labels.js';

/**
 * Queues a new organization with `owner` as its owner (flushed by the caller's transaction).
 * The owner's primary organization becomes this one if they had none.
 */
export async function createOrganization(
  em: EntityManager,
  actor: Actor,
  input: { name: string; description?: string | null; owner: User },
): Promise<Organization> {
  const label = await freeLabel(em, input.name);
  const organization = em.create(Organization, {
    id: newId('org'),
    name: input.name,
    label,
    namespace: label,
    description: input.description ?? null,
  });
  em.create(Membership, { id: newId('mem'), organizationId: organization.id, userId: input.owner.id, role: 'owner' });
  input.owner.organizationId ??= organization.id;
  record(em, actor, {
    organizationId: organization.id,
    action: 'organization.created',
    target: { type: 'organization', id: organization.id },
  });
  return organization;
}
