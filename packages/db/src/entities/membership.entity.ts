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

/**
 * The words a member is found by in an organization's people search, one row each, kept by database
 * triggers (see Migration20261202040000_member_search): rank 0 is the whole email or name, rank 1 any
 * later word of the name, a word of the email's local part, or its domain. `term` is lower-case and
 * collated "C", so a prefix search is one range of the primary key, walked in order, whatever the
 * organization's size; a search costs in proportion to the page, not to the organization.
 */
export const MemberSearchTerm = defineEntity({
  name: 'MemberSearchTerm',
  tableName: 'member_search_terms',
  properties: {
    organizationId: p.string().primary(),
    rank: p.smallint().primary(),
    term: p.text().collation('C').primary(),
    membershipId: () =>
      p.manyToOne(Membership).mapToPk().fieldName('membership_id').deleteRule('cascade').primary().index(),
  },
});
export type MemberSearchTerm = InferEntity<typeof MemberSearchTerm>;
