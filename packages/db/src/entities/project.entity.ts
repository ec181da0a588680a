import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { timestamps } from './base.js';
import { Organization } from './organization.entity.js';

/** A project of an organization: members reach it through their role, teams and collaborators (role_bindings). */
export const Project = defineEntity({
  name: 'Project',
  tableName: 'projects',
  properties: {
    id: p.string().primary(),
    organizationId: () => p.manyToOne(Organization).mapToPk().fieldName('organization_id').deleteRule('cascade'),
    name: p.string(),
    description: p.string().nullable(),
    ...timestamps,
  },
  indexes: [{ properties: ['organizationId', 'id'] }],
});
export type Project = InferEntity<typeof Project>;
