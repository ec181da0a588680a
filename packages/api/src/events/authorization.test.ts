// An organization's events (the integrators' feed).
// The matrix's rules and plumbing: packages/api/src/testing/authorization/ (suite.ts says what is checked).
import { expect, it } from 'vitest';
import { foreignTenant } from '../testing/authorization/cross-tenant.js';
import { type Entries, org } from '../testing/authorization/entries.js';
import { as, organizationWithOwner } from '../testing/authorization/setup.js';
import { describeAuthorization } from '../testing/authorization/suite.js';

const entries: Entries = {
  'events.list': org('webhooks:read', (c, f) => c.events.list({ organizationId: f.organizationId })),
};

/** Procedures taking a child id that are not called above, and why. */
const crossTenantExempt: Record<string, string> = {};

describeAuthorization('events', { entries, crossTenant: { calls: {}, exempt: crossTenantExempt } });

it("lists only the caller's organization's events, never another tenant's", async () => {
  const caller = await organizationWithOwner();
  const { organizationId, owner, foreign } = await foreignTenant();
  await as(owner.key as string).organizations.updateMemberRole({
    organizationId,
    userId: foreign.member.userId,
    role: 'admin',
  });
  const theirs = await as(owner.key as string).events.list({ organizationId });
  expect(theirs.items.map((e) => e.type)).toContain('organization.member_role_changed');
  const mine = await as(caller.owner.key as string).events.list({ organizationId: caller.organizationId });
  expect(mine.items.every((e) => e.organizationId === caller.organizationId)).toBe(true);
  expect(mine.items.map((e) => e.data)).not.toContainEqual(expect.objectContaining({ userId: foreign.member.userId }));
});
