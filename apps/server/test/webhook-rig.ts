// What the webhook delivery tests share: an organization with an endpoint at `url` subscribed to role
// changes, and one such change (a viewer made member), so exactly one delivery is queued for it.
import type { OwnedRuntime } from '@gatehouse/api';
import { callerAs, memberWithKey, ownerWithKey } from '@gatehouse/api/testing';
import type { Orm } from '@gatehouse/db';

export async function roleChangeHookedTo(runtime: OwnedRuntime, orm: Orm, url: string) {
  const owner = await ownerWithKey(orm);
  const gh = callerAs(runtime, owner.key);
  const webhook = await gh.webhooks.create({
    organizationId: owner.organizationId,
    url,
    events: ['organization.member_role_changed'],
  });
  const member = await memberWithKey(orm, owner.organizationId, 'viewer');
  await gh.organizations.updateMemberRole({
    organizationId: owner.organizationId,
    userId: member.userId,
    role: 'member',
  });
  return { owner, member, webhook };
}
