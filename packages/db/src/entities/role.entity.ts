import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { timestamps } from './base.js';
import { Organization } from './organization.entity.js';

/**
 * A custom role of one organization, built from the permission catalogue. Members hold it by its
 * `key` (memberships.role), like the built-in owner/admin/member/viewer.
 */
export const Role = defineEntity({
  name: 'Role',
  tableName: 'roles',
  properties: {
    id: p.string().primary(),
    organizationId: () => p.manyToOne(Organization).mapToPk().fieldName('organization_id').deleteRule('cascade'),
    key: p.string(),
    name: p.string(),
    description: p.string().nullable(),
    permissions: p.array(),
    ...timestamps,
  },
  uniques: [{ properties: ['organizationId', 'key'] }],
});
export type Role = InferEntity<typeof Role>;
