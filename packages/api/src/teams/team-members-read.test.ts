// Reading who is in a team is reading members: teams:read alone does not list the organization's people.
import { describe, expect, it } from 'vitest';
import { callerAs, ownerWithKey, rejectionOf, useTestRuntime } from '../testing/fixtures.js';
import { type SeededAccount, seedAccounts } from '../testing/matrix.js';

const env = useTestRuntime();
const reason = (error: { cause?: unknown }) => (error.cause as { reason?: string } | undefined)?.reason;

describe('teams.members', () => {
  it('needs members:read: a teams:read-only role cannot list every member’s email through the everyone team', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const { organizationId } = owner;
    const roleKey = `team-browser-${Date.now()}`;
    await callerAs(env.runtime, owner.key).roles.create({
      organizationId,
      key: roleKey,
      name: 'Team browser',
      permissions: ['teams:read'],
    });
    const [browser] = (await seedAccounts(env.db.orm, [
      { memberOf: { organizationId, role: roleKey }, key: { organizationId, scopes: null } },
    ])) as [SeededAccount];
    const c = callerAs(env.runtime, browser.key as string);
    // organizations.members is refused to this role...
    const members = await rejectionOf(c.organizations.members({ organizationId }));
    expect([members.code, reason(members)]).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    // ...and so is the same list through a team.
    const { items } = await c.teams.list({ organizationId });
    const everyone = items.find((t) => t.isEveryone)?.id as string;
    const refused = await rejectionOf(c.teams.members({ organizationId, teamId: everyone }));
    expect([refused.code, reason(refused), refused.message]).toEqual([
      'FORBIDDEN',
      'FORBIDDEN',
      'Requires members:read',
    ]);
    // A viewer (members:read) still reads it.
    const [viewer] = (await seedAccounts(env.db.orm, [
      { memberOf: { organizationId, role: 'viewer' }, key: { organizationId, scopes: null } },
    ])) as [SeededAccount];
    const listed = await callerAs(env.runtime, viewer.key as string).teams.members({
      organizationId,
      teamId: everyone,
    });
    expect(listed.items.map((m) => m.userId)).toEqual(expect.arrayContaining([owner.userId, browser.userId]));
  });
});
