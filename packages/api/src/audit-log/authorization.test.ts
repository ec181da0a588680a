// The audit log of an organization.
// The matrix's rules and plumbing: packages/api/src/testing/authorization/ (suite.ts says what is checked).
import { expect, it } from 'vitest';
import { foreignTenant } from '../testing/authorization/cross-tenant.js';
import { type Entries, org } from '../testing/authorization/entries.js';
import { as, organizationWithOwner } from '../testing/authorization/setup.js';
import { describeAuthorization } from '../testing/authorization/suite.js';

const entries: Entries = {
  'audit.list': org('audit:read', (c, f) => c.audit.list({ organizationId: f.organizationId })),
};

/** Procedures taking a child id that are not called above, and why. */
const crossTenantExempt: Record<string, string> = {
  // Filters of the caller's own organization's events: another tenant's id matches nothing (checked below).
  'audit.list': 'filter',
};

describeAuthorization('audit-log', { entries, crossTenant: { calls: {}, exempt: crossTenantExempt } });

it("another tenant's ids, as audit filters, match nothing of the other tenant's events", async () => {
  const caller = await organizationWithOwner();
  const { organizationId, owner, foreign } = await foreignTenant();
  // An event of the other tenant's about its member, which the filter below names.
  await as(owner.key as string).users.update({ userId: foreign.member.userId, name: 'Renamed there' });
  const theirs = await as(owner.key as string).audit.list({ organizationId, targetId: foreign.member.userId });
  expect(theirs.items).not.toEqual([]);
  const audit = await as(caller.owner.key as string).audit.list({
    organizationId: caller.organizationId,
    targetId: foreign.member.userId,
  });
  expect(audit.items).toEqual([]);
});
