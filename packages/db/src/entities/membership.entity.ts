import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { timestamps } from './base.js';
import { Organization } from './organization.entity.js';
import { User } from './user.entity.js';

export const membershipStatuses = ['active', 'deactivated', 'archived'] as const;

export const Membership = defineEntity({
  name: 'Membership',
  tableName: 'memberships',
  properties: {
    id: p.string().primary(),
    organizationId: () => p.manyToOne(Organization).mapToPk().fieldName('organization_id').deleteRule('cascade'),
    userId: () => p.manyToOne(User).mapToPk().fieldName('user_id').deleteRule('cascade').index(),
    // A built-in role (owner, admin, member, viewer) or a custom role's key.
    role: p.string(),
    // Set by an organization that does not manage the account: a deactivated membership cannot act there.
    status: p.enum(membershipStatuses).default('active'),
    ...timestamps,
  },
  uniques: [{ properties: ['organizationId', 'userId'] }],
  // Members lists page by (organization, id) and filter by role.
  indexes: [{ properties: ['organizationId', 'id'] }, { properties: ['organizationId', 'role', 'id'] }],
});
export type Membership = InferEntity<typeof Membership>;
