// Requirements in the chain (trpc/requirements.ts): each predicate grants what its permission would,
// and refuses with the code and reason the services used to give. Removing a rule fails a case here.
import { describe, expect, it } from 'vitest';
import { callerAs, ownerWithKey, rejectionOf, useTestRuntime } from '../testing/fixtures.js';
import { type SeededAccount, seedAccounts } from '../testing/matrix.js';

const env = useTestRuntime();
const reason = (error: { cause?: unknown }) => (error.cause as { reason?: string } | undefined)?.reason;

async function orgWithViewers(n: number) {
  const owner = await ownerWithKey(env.db.orm);
  const { organizationId } = owner;
  const viewers = (await seedAccounts(
    env.db.orm,
    Array.from({ length: n }, () => ({
      memberOf: { organizationId, role: 'viewer' },
      key: { organizationId, scopes: null },
    })),
  )) as SeededAccount[];
  return { owner, organizationId, viewers };
}

describe('maintainerOf', () => {
  it("lets a team's maintainer manage its members without teams:write, and no one else", async () => {
    const { owner, organizationId, viewers } = await orgWithViewers(3);
    const [maintainer, plain, target] = viewers as [SeededAccount, SeededAccount, SeededAccount];
    const team = await callerAs(env.runtime, owner.key).teams.create({ organizationId, name: `Team ${Date.now()}` });
    await callerAs(env.runtime, owner.key).teams.addMember({
      organizationId,
      teamId: team.id,
      userId: maintainer.userId,
      role: 'maintainer',
    });
    await callerAs(env.runtime, owner.key).teams.addMember({
      organizationId,
      teamId: team.id,
      userId: plain.userId,
      role: 'member',
    });

    const refused = await rejectionOf(
      callerAs(env.runtime, plain.key as string).teams.addMember({
        organizationId,
        teamId: team.id,
        userId: target.userId,
      }),
    );
    expect([refused.code, reason(refused), refused.message]).toEqual([
      'FORBIDDEN',
      'FORBIDDEN',
      "Requires teams:write or being the team's maintainer",
    ]);
    const added = await callerAs(env.runtime, maintainer.key as string).teams.addMember({
      organizationId,
      teamId: team.id,
      userId: target.userId,
    });
    expect(added.userId).toBe(target.userId);
    const removed = await rejectionOf(
      callerAs(env.runtime, plain.key as string).teams.removeMember({
        organizationId,
        teamId: team.id,
        userId: target.userId,
      }),
    );
    expect([removed.code, reason(removed)]).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    // self: a member leaves a team on their own.
    await expect(
      callerAs(env.runtime, plain.key as string).teams.removeMember({
        organizationId,
        teamId: team.id,
        userId: plain.userId,
      }),
    ).resolves.toEqual({ ok: true });
  });
});

describe('self', () => {
  it('lets a member leave the organization without members:remove, but not remove another', async () => {
    const { organizationId, viewers } = await orgWithViewers(2);
    const [leaver, other] = viewers as [SeededAccount, SeededAccount];
    const refused = await rejectionOf(
      callerAs(env.runtime, leaver.key as string).organizations.removeMember({ organizationId, userId: other.userId }),
    );
    expect([refused.code, reason(refused), refused.message]).toEqual([
      'FORBIDDEN',
      'FORBIDDEN',
      'Requires members:remove or acting on yourself',
    ]);
    await expect(
      callerAs(env.runtime, leaver.key as string).organizations.removeMember({ organizationId, userId: leaver.userId }),
    ).resolves.toEqual({ ok: true });
  });
});

describe('holderOf', () => {
  it("lets a key's holder read it without apiKeys:read, but not another member's key", async () => {
    const { owner, viewers } = await orgWithViewers(2);
    const [holder, other] = viewers as [SeededAccount, SeededAccount];
    const own = await callerAs(env.runtime, holder.key as string).auth.getKey({ keyId: holder.keyId as string });
    expect(own.id).toBe(holder.keyId);
    const refused = await rejectionOf(
      callerAs(env.runtime, other.key as string).auth.getKey({ keyId: holder.keyId as string }),
    );
    expect([refused.code, reason(refused), refused.message]).toEqual([
      'FORBIDDEN',
      'FORBIDDEN',
      'Requires apiKeys:read or holding the key',
    ]);
    // The owner holds apiKeys:read: the permission alternative grants it.
    await expect(
      callerAs(env.runtime, owner.key).auth.getKey({ keyId: holder.keyId as string }),
    ).resolves.toMatchObject({
      id: holder.keyId,
    });
  });
});
