import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { timestamps } from './base.js';
import { Organization } from './organization.entity.js';

export const userStatuses = ['active', 'invited', 'deactivated', 'archived'] as const;
export const platformRoles = ['user', 'admin'] as const;

export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p.string().primary(),
    // Stored normalised; unique case-insensitively through the lower(email) index below.
    email: p.string(),
    name: p.string(),
    username: p.string().nullable().unique(),
    passwordHash: p.string().nullable().hidden().lazy(),
    platformRole: p.enum(platformRoles).default('user'),
    status: p.enum(userStatuses).default('active'),
    // The organization that created the account (users.create, preRegister, an invitation accepted by
    // someone without an account) and may change it account-wide; null: the account manages itself.
    managedBy: () =>
      p.manyToOne(Organization).mapToPk().fieldName('managed_by').deleteRule('set null').nullable().index(),
    // Set once someone proved control of the address with a mailed token; until then the address is
    // never matched for membership.
    emailVerified: p.boolean().default(false),
    // The primary organization: the first one joined or created.
    organizationId: p.string().nullable().index(),
    avatarUrl: p.string().nullable(),
    // onCreate, not default('{}'): a string default would be stored as a JSON string.
    profile: p
      .json<{ title?: string; timezone?: string }>()
      .defaultRaw("'{}'")
      .onCreate((u) => u.profile ?? {}),
    lastLoginAt: p.datetime().nullable(),
    ...timestamps,
  },
  indexes: [
    // Prefix search (`lower(x) like 'abc%'`) needs text_pattern_ops under a non-C collation.
    {
      name: 'users_email_prefix_index',
      expression: 'create index "users_email_prefix_index" on "users" (lower("email") text_pattern_ops)',
    },
    {
      name: 'users_name_prefix_index',
      expression: 'create index "users_name_prefix_index" on "users" (lower("name") text_pattern_ops)',
    },
    {
      name: 'users_email_lower_unique',
      expression: 'create unique index "users_email_lower_unique" on "users" (lower("email"))',
    },
  ],
});
export type User = InferEntity<typeof User>;
