import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { timestamps } from './base.js';
import { Organization } from './organization.entity.js';

export const domainStatuses = ['pending', 'verified', 'failed'] as const;

/**
 * A domain an organization claims, proven by a DNS TXT record (`_gatehouse-challenge.<domain>` holding
 * `token`). Several organizations may claim one domain; at most one holds it verified (a partial unique
 * index), so a race of verifications has one winner. `failed`: it was verified and stopped verifying.
 */
export const Domain = defineEntity({
  name: 'Domain',
  tableName: 'domains',
  properties: {
    id: p.string().primary(),
    organizationId: () => p.manyToOne(Organization).mapToPk().fieldName('organization_id').deleteRule('cascade'),
    /** Lowercase ASCII (an IDN in punycode), no trailing dot. */
    domain: p.string(),
    status: p.enum(domainStatuses).default('pending'),
    /** The TXT record's value (not a secret: it is published in DNS). */
    token: p.string(),
    verifiedAt: p.datetime().nullable(),
    /** When DNS last confirmed the record: re-verification is due from it. */
    checkedAt: p.datetime().nullable(),
    /** Why the last check failed, when it did. */
    checkError: p.string().nullable(),
    ...timestamps,
  },
  uniques: [{ properties: ['organizationId', 'domain'] }],
  indexes: [
    { properties: ['organizationId', 'id'] },
    {
      name: 'domains_verified_unique',
      expression: `create unique index "domains_verified_unique" on "domains" ("domain") where "status" = 'verified'`,
    },
    // Re-verification finds the verified domains last checked long ago.
    {
      name: 'domains_verified_checked_at_index',
      expression: `create index "domains_verified_checked_at_index" on "domains" ("checked_at") where "status" = 'verified'`,
    },
  ],
});
export type Domain = InferEntity<typeof Domain>;
